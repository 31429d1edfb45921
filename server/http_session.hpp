#pragma once
// One HTTP connection: reads requests one after the other, answers each through the
// router, and logs one line per request.
//
// Thread safety: all work on the connection runs on its strand; `close_if_idle` may be
// called from any thread and posts itself onto the strand.

#include "server/http.hpp"

#include <memory>

namespace creneau::server {

class shared_state;

class http_session : public std::enable_shared_from_this<http_session> {
public:
    http_session(tcp::socket&& socket, std::shared_ptr<shared_state> state);
    ~http_session();

    // Starts serving the connection (the session keeps itself alive while it runs).
    void start();

    // During shutdown: closes the connection if no request is being read or answered.
    void close_if_idle();

private:
    net::awaitable<void> run();
    net::awaitable<response> answer(request& req, std::string& pattern);

    beast::tcp_stream stream_;
    std::shared_ptr<shared_state> state_;
    std::string remote_;
    std::uint64_t id_ = 0;
    bool joined_ = false;
    // True while waiting for the first byte of a request (on the strand only).
    bool idle_ = true;
};

}  // namespace creneau::server
