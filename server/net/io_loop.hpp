#pragma once
// Runs an I/O thread's io_context (docs/architecture.md, "The network layer").

#include <boost/asio/io_context.hpp>

namespace creneau::server {

// Runs `ioc` until it stops or runs out of work. A handler that throws is logged and the
// context run again, as Asio allows: one connection's failure does not end the thread and
// every other connection with it (each connection's coroutine already logs its own escape;
// this covers the plain handlers posted to the thread).
void run_io(boost::asio::io_context& ioc);

}  // namespace creneau::server
