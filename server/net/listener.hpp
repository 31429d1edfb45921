#pragma once
// Accepts connections and hands each, in turn, to one of the I/O threads' io_contexts with its
// http_session. Each of those contexts is run by one thread alone, so its executor is the
// connection's strand.
//
// Thread safety: `stop` may be called from any thread; it posts onto the acceptor's strand.

#include "server/net/http.hpp"

#include <memory>
#include <vector>

namespace creneau::server {

class shared_state;

class listener : public std::enable_shared_from_this<listener> {
  public:
    // Binds at once; throws boost::system::system_error if the address cannot be bound.
    // Accepts on `ioc` and hands the connections to `workers` in turn (one io_context per
    // I/O thread).
    listener(net::io_context& ioc, std::vector<net::io_context*> workers, tcp::endpoint endpoint,
             std::shared_ptr<shared_state> state);

    tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    void start();
    void stop();

  private:
    net::awaitable<void> accept_loop();

    std::vector<net::io_context*> workers_;
    std::size_t next_ = 0;
    tcp::acceptor acceptor_;
    std::shared_ptr<shared_state> state_;
};

}  // namespace creneau::server
