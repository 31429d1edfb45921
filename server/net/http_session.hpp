#pragma once
// One HTTP connection: reads requests one after the other, answers each through the
// router (or the web root's files), and logs one line per request.
//
// Thread safety: all work on the connection runs on its strand; `close_if_idle` may be
// called from any thread and posts itself onto the strand.

#include "server/net/forwarded.hpp"
#include "server/net/http.hpp"

#include <map>
#include <memory>
#include <string>

namespace creneau::server {

class shared_state;
struct route;

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
    net::awaitable<bool> read_request(beast::flat_buffer& buffer,
                                      http::request_parser<http::string_body>& parser, bool first);
    net::awaitable<bool> upgrade(request& req);
    net::awaitable<bool> serve(const request& req, std::chrono::steady_clock::time_point started);
    net::awaitable<response> answer(const request& req, const route* r,
                                    std::map<std::string, std::string> params, bool path_matched,
                                    std::string& pattern);
    // Refuses what the HTTP/1.1 grammar allows but we do not (RFC 9112): a missing or
    // doubled Host, a transfer coding other than chunked, fields after a chunked body
    // (`trailers`). nullopt: the request may go on.
    std::optional<response> refuse_framing(const request& req, bool trailers) const;
    // Writes an answer of either kind, headers only for HEAD; returns the bytes written.
    template <class Message>
    net::awaitable<std::size_t> write(Message& res, const request& req, beast::error_code& ec);
    void log_request(const request& req, const std::string& pattern, unsigned status,
                     std::size_t bytes, std::chrono::steady_clock::time_point started);

    beast::tcp_stream stream_;
    std::shared_ptr<shared_state> state_;
    std::string address_;  // the client's address, without the port
    std::string remote_;   // address:port, for the logs
    std::string client_;   // the current request's client (net/forwarded.hpp), for limits and logs
    std::uint64_t id_ = 0;
    bool joined_ = false;
    // True while waiting for the first byte of a request (on the strand only).
    bool idle_ = true;
};

}  // namespace creneau::server
