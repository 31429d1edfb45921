#include "server/http_session.hpp"

#include "server/api.hpp"
#include "server/log.hpp"
#include "server/shared_state.hpp"
#include "server/websocket_session.hpp"

#include <boost/beast/websocket.hpp>

#include <algorithm>

#include <chrono>

namespace creneau::server {
namespace {

constexpr std::size_t header_limit = 16 * 1024;
constexpr std::size_t body_limit = 1024 * 1024;

}  // namespace

http_session::http_session(tcp::socket&& socket, std::shared_ptr<shared_state> state)
    : stream_(std::move(socket)), state_(std::move(state)) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        remote_ = ep.address().is_v6() ? "[" + ep.address().to_string() + "]"
                                       : ep.address().to_string();
        remote_ += ":" + std::to_string(ep.port());
    }
}

http_session::~http_session() {
    if (joined_) state_->leave(id_);
}

void http_session::start() {
    if (!state_->join(shared_from_this(), id_)) {
        // Over the connection cap, or shutting down: refuse at once.
        beast::error_code ec;
        stream_.socket().close(ec);
        log::warn("connection refused", {{"remote", remote_}, {"reason", "connection cap"}});
        return;
    }
    joined_ = true;
    net::co_spawn(stream_.get_executor(), [self = shared_from_this()] { return self->run(); },
                  net::detached);
}

void http_session::close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        if (self->idle_) {
            beast::error_code ec;
            // Cancels the pending read; the session then ends by itself.
            self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
            self->stream_.close();
        }
    });
}

net::awaitable<void> http_session::run() {
    beast::flat_buffer buffer;
    const auto& cfg = state_->cfg;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(header_limit);
        parser.body_limit(body_limit);

        // Idle until the first byte, then the whole request must arrive within the read
        // timeout: a client dripping bytes slowly is cut off.
        idle_ = buffer.size() == 0;
        if (state_->draining() && idle_) break;
        if (idle_) {
            stream_.expires_after(cfg.idle_timeout);
            auto [ec, n] = co_await stream_.async_read_some(buffer.prepare(4096), net::as_tuple(net::use_awaitable));
            if (ec) break;  // closed, or idle too long
            buffer.commit(n);
        }
        idle_ = false;
        stream_.expires_after(cfg.read_timeout);
        auto started = std::chrono::steady_clock::now();
        auto [ec, n] =
            co_await http::async_read(stream_, buffer, parser, net::as_tuple(net::use_awaitable));
        (void)n;
        if (ec == http::error::end_of_stream) break;
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
            request req;
            req.version(11);
            bool header = ec == http::error::header_limit;
            auto res = problem_response(req, header ? http::status::request_header_fields_too_large
                                                    : http::status::payload_too_large,
                                        "too-large",
                                        header ? "The request header is larger than 16 KiB."
                                               : "The request body is larger than 1 MiB.");
            res.keep_alive(false);
            stream_.expires_after(cfg.read_timeout);
            co_await http::async_write(stream_, res, net::as_tuple(net::use_awaitable));
        log::info("request", {{"remote", remote_}, {"status", 413}, {"error", "too-large"}});
            break;
        }
        if (ec) {
            if (ec != beast::error::timeout && ec != net::error::operation_aborted &&
                ec != net::error::connection_reset && ec != http::error::partial_message) {
                request req;
                req.version(11);
                auto res = problem_response(req, http::status::bad_request, "bad-request",
                                            "The request is not valid HTTP/1.1.");
                res.keep_alive(false);
                co_await http::async_write(stream_, res, net::as_tuple(net::use_awaitable));
            }
            log::debug("read failed", {{"remote", remote_}, {"error", ec.message()}});
            break;
        }

        request req = parser.release();
        if (beast::websocket::is_upgrade(req) && target_path(req.target()) == "/live") {
            // The live channel: the connection becomes a WebSocket session of its own.
            auto who = identify(*state_, req);
            // Browsers always send an Origin; scripts without one are let in.
            bool origin_ok = req[http::field::origin].empty() || same_origin(*state_, req);
            if (origin_ok) {
                log::info("request", {{"remote", remote_}, {"method", "GET"}, {"path", "/live"}, {"route", "/live"},
                                      {"status", 101}});
                state_->stats.request("GET", "/live", 101, 0);
                std::make_shared<websocket_session>(std::move(stream_), state_, remote_, std::move(who))
                    ->start(std::move(req));
                co_return;
            }
            auto res = problem_response(req, http::status::forbidden, "bad-origin",
                                        "The live channel accepts this site's pages only (Origin header).");
            res.keep_alive(false);
            co_await http::async_write(stream_, res, net::as_tuple(net::use_awaitable));
            break;
        }
        std::string pattern;
        response res = co_await answer(req, pattern);
        bool keep = req.keep_alive() && !state_->draining();
        res.keep_alive(keep);

        stream_.expires_after(cfg.read_timeout);
        auto [wec, written] = co_await http::async_write(stream_, res, net::as_tuple(net::use_awaitable));
        auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
        state_->stats.request(std::string(req.method_string()), pattern, res.result_int(),
                              static_cast<std::uint64_t>(micros));
        log::info("request", {{"remote", remote_},
                              {"method", std::string(req.method_string())},
                              {"path", std::string(target_path(req.target()))},
                              {"route", pattern},
                              {"status", res.result_int()},
                              {"bytes", written},
                              {"duration_us", micros}});
        if (wec || !keep) break;
    }
    beast::error_code ec;
    // The peer may already be gone; nothing is left to tell it.
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
}

net::awaitable<response> http_session::answer(request& req, std::string& pattern) {
    call c{req, {}, remote_};
    try {
        co_return co_await state_->routes.dispatch(c, pattern);
    } catch (const std::exception& e) {
        // A handler bug must not take the connection or the process down with it.
        log::error("handler failed", {{"path", std::string(target_path(req.target()))},
                                      {"error", e.what()}});
        co_return problem_response(req, http::status::internal_server_error, "internal-error",
                                   "The server failed to answer this request.");
    }
}

}  // namespace creneau::server
