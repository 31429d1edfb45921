// An I/O thread's loop (server/net/io_loop.hpp) outlives a handler that throws.
#include "server/net/io_loop.hpp"

#include "support/capture.hpp"
#include "support/text.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>

#include <stdexcept>

using namespace creneau;
using namespace creneau::server;

TEST_CASE("io loop: a handler that throws is logged and the handlers after it run", "[net]") {
    boost::asio::io_context ioc(1);
    int ran = 0;
    boost::asio::post(ioc, [&] { ++ran; });
    boost::asio::post(ioc, [] { throw std::runtime_error("a handler's own failure"); });
    boost::asio::post(ioc, [] { throw 42; });
    boost::asio::post(ioc, [&] { ++ran; });
    auto log = test::stderr_of([&] { run_io(ioc); });
    CHECK(ran == 2);
    CHECK(ioc.stopped());  // it returned because the work ran out, not at the first throw
    // One line for each: the exception's message, and a throw of something else.
    CHECK(test::count_of(log, R"("msg":"an I/O handler failed")") == 2);
    CHECK(test::count_of(log, "a handler's own failure") == 1);
}

TEST_CASE("io loop: it returns once its context is stopped", "[net]") {
    boost::asio::io_context ioc(1);
    auto guard = boost::asio::make_work_guard(ioc);
    int ran = 0;
    boost::asio::post(ioc, [&] {
        ++ran;
        ioc.stop();
    });
    run_io(ioc);  // the guard would keep it running, had the stop not ended it
    CHECK(ran == 1);
}
