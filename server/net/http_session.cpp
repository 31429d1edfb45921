#include "server/net/http_session.hpp"

#include "server/api/support.hpp"
#include "server/live/websocket_session.hpp"
#include "server/net/shared_state.hpp"
#include "server/net/static_files.hpp"
#include "server/ops/log.hpp"

#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <type_traits>

namespace creneau::server {
namespace {

constexpr std::size_t header_limit = 16 * 1024;
constexpr std::size_t body_limit = 1024 * 1024;

// A bare request to answer framing errors with (the real one could not be read).
request bare_request() {
    request req;
    req.version(11);
    return req;
}

}  // namespace

http_session::http_session(tcp::socket&& socket, std::shared_ptr<shared_state> state)
    : stream_(std::move(socket)), state_(std::move(state)) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        // IPv4 clients of a dual-stack listener are keyed as IPv4, as forwarded ones are.
        address_ = canonical_address(ep.address().to_string());
        remote_.reserve(address_.size() + 8);
        if (ep.address().is_v6())
            remote_.append("[").append(address_).append("]");
        else
            remote_.append(address_);
        remote_.append(":").append(std::to_string(ep.port()));
    }
}

http_session::~http_session() {
    if (joined_) state_->leave(id_);
}

void http_session::start() {
    if (!state_->join(shared_from_this(), address_, id_)) {
        // Over the connection cap (in all or for this address), or shutting down.
        beast::error_code ec;
        stream_.socket().close(ec);
        state_->stats.connections_refused++;
        log::warn("connection refused", {{"remote", remote_}, {"reason", "connection cap"}});
        return;
    }
    joined_ = true;
    net::co_spawn(
        stream_.get_executor(), [self = shared_from_this()] { return self->run(); },
        log_escape("http"));
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

std::optional<response> http_session::refuse_framing(const request& req, bool trailers) const {
    if (trailers) {
        // Beast adds them to the header's fields, unseen by whatever checked the header on
        // the way (a proxy): an Authorization, say (docs/api.md, "Requests").
        auto res = problem_response(req, http::status::bad_request, "bad-request",
                                    "Fields after a chunked body (trailers) are not accepted; "
                                    "send them in the header.");
        res.keep_alive(false);
        return res;
    }
    if (req.version() >= 11 && req.count(http::field::host) != 1) {
        auto res = problem_response(req, http::status::bad_request, "bad-request",
                                    "An HTTP/1.1 request has exactly one Host header.");
        res.keep_alive(false);
        return res;
    }
    if (req.count(http::field::transfer_encoding) > 0 && !req.chunked()) {
        auto res = problem_response(req, http::status::not_implemented, "not-implemented",
                                    "The only transfer coding accepted is chunked.");
        res.keep_alive(false);
        return res;
    }
    return std::nullopt;
}

template <class Message>
net::awaitable<std::size_t> http_session::write(Message& res, const request& req,
                                                beast::error_code& ec) {
    stream_.expires_after(state_->cfg.read_timeout);
    if constexpr (std::is_same_v<Message, response>) {
        if (!res.chunked()) {
            // A string body, as most answers have: its head as one string and the body beside
            // it, in one gathered write (no body for HEAD).
            const std::string head = head_text(res.base());
            std::array<net::const_buffer, 2> buffers{net::buffer(head), net::buffer(res.body())};
            if (req.method() == http::verb::head) buffers[1] = net::const_buffer();
            auto [wec, n] =
                co_await net::async_write(stream_, buffers, net::as_tuple(net::use_awaitable));
            ec = wec;
            co_return n;
        }
    }
    if (req.method() == http::verb::head) {
        // HEAD: the headers of the GET, its Content-Length included, and no body.
        http::response<http::empty_body> head{std::move(res.base())};
        auto [wec, n] =
            co_await http::async_write(stream_, head, net::as_tuple(net::use_awaitable));
        ec = wec;
        co_return n;
    }
    auto [wec, n] = co_await http::async_write(stream_, res, net::as_tuple(net::use_awaitable));
    ec = wec;
    co_return n;
}

namespace {

// The path as the log keeps it: routes whose path holds a secret (a registration code, a
// one-time link's token, a private calendar's) are logged by their pattern. A request that
// did not reach its route (another method, refused before routing, a failed handler) is
// logged by the pattern of any route of its path, so that a secret never reaches the log.
std::string logged_path(const router& routes, const request& req, std::string pattern,
                        unsigned status) {
    const auto path = target_path(req.target());
    if (status == 404 && (pattern.empty() || pattern == "static")) {
        // Neither a route nor a file: whatever was typed (a code with a stray character, a
        // mistyped link) is not kept, only the path's first segment.
        const bool api = path.rfind("/api/", 0) == 0;
        const auto end = path.find('/', api ? 5 : 1);
        if (end == std::string_view::npos) return std::string(path.substr(0, api ? 5 : 1)) + "…";
        return std::string(path.substr(0, end)) + "/…";
    }
    if (pattern.empty()) {
        std::map<std::string, std::string> params;
        bool other_method = false;
        for (auto method : {http::verb::get, http::verb::post, http::verb::put, http::verb::patch,
                            http::verb::delete_})
            if (const route* r = routes.match(method, path, params, other_method)) {
                pattern = r->pattern;
                break;
            }
    }
    for (std::string_view secret : {"{code}", "{token}", "/api/calendars/private/"})
        if (pattern.find(secret) != std::string::npos) return pattern;
    return std::string(path.substr(0, 512));
}

}  // namespace

void http_session::log_request(const request& req, const std::string& pattern, unsigned status,
                               std::size_t bytes, std::chrono::steady_clock::time_point started) {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
    state_->stats.request(req.method(), pattern, status, static_cast<std::uint64_t>(micros));
    const auto path = logged_path(state_->routes, req, pattern, status);
    log::access({remote_, client_, req.method_string().substr(0, 16), path, pattern, status, bytes,
                 static_cast<long long>(micros)});
}

// Waits for the next request's first byte (a short wait for a new connection's first
// request, a longer one between keep-alive requests), then reads the whole request within
// the read timeout: a client dripping bytes slowly is cut off. False when the connection
// is over (closed, idle too long, draining, or answered with an error here).
net::awaitable<bool> http_session::read_request(beast::flat_buffer& buffer,
                                                http::request_parser<http::string_body>& parser,
                                                bool first) {
    const auto& cfg = state_->cfg;
    parser.header_limit(header_limit);
    parser.body_limit(body_limit);
    idle_ = buffer.size() == 0;
    if (state_->draining() && idle_) co_return false;
    if (idle_) {
        stream_.expires_after(first ? cfg.first_byte_timeout : cfg.idle_timeout);
        auto [ec, n] = co_await stream_.async_read_some(buffer.prepare(4096),
                                                        net::as_tuple(net::use_awaitable));
        if (ec) co_return false;
        buffer.commit(n);
    }
    idle_ = false;
    stream_.expires_after(cfg.read_timeout);
    auto started = std::chrono::steady_clock::now();
    auto [ec, n] =
        co_await http::async_read(stream_, buffer, parser, net::as_tuple(net::use_awaitable));
    (void)n;
    if (!ec) co_return true;
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
        auto req = bare_request();
        bool header = ec == http::error::header_limit;
        auto status = header ? http::status::request_header_fields_too_large
                             : http::status::payload_too_large;
        auto res = problem_response(req, status, "too-large",
                                    header ? "The request header is larger than 16 KiB."
                                           : "The request body is larger than 1 MiB.");
        res.keep_alive(false);
        beast::error_code wec;
        auto bytes = co_await write(res, req, wec);
        log_request(req, "", static_cast<unsigned>(status), bytes, started);
    } else if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
               ec != net::error::operation_aborted && ec != net::error::connection_reset &&
               ec != http::error::partial_message) {
        auto req = bare_request();
        auto res = problem_response(req, http::status::bad_request, "bad-request",
                                    "The request is not valid HTTP/1.1.");
        res.keep_alive(false);
        beast::error_code wec;
        co_await write(res, req, wec);
        log::debug("read failed", {{"remote", remote_}, {"error", ec.message()}});
    }
    co_return false;
}

// The live channel: the connection becomes a WebSocket session of its own (true), or is
// refused for its Origin.
net::awaitable<bool> http_session::upgrade(request& req) {
    auto who = state_->api.identify(req);
    // Browsers always send an Origin; scripts without one are let in.
    if (req[http::field::origin].empty() || state_->api.same_origin(req)) {
        log::access({remote_, client_, "GET", "/live", "/live", 101, 0, 0});
        state_->stats.request(http::verb::get, "/live", 101, 0);
        std::make_shared<websocket_session>(std::move(stream_), state_, remote_, client_,
                                            std::move(who))
            ->start(std::move(req));
        co_return true;
    }
    auto res = problem_response(req, http::status::forbidden, "bad-origin",
                                "The live channel accepts this site's pages only (Origin header).");
    res.keep_alive(false);
    beast::error_code wec;
    co_await write(res, req, wec);
    co_return false;
}

// Answers one request, a route's or a file of the web root; false once the connection is to end.
net::awaitable<bool> http_session::serve(const request& req,
                                         std::chrono::steady_clock::time_point started) {
    const bool keep = req.keep_alive() && !state_->draining();
    std::string pattern;
    std::map<std::string, std::string> params;
    bool path_matched = false;
    const auto path = target_path(req.target());
    // The one match of this request: its route, or else a file of the web root.
    const route* r = state_->routes.match(req.method(), path, params, path_matched);
    const bool web_file = (req.method() == http::verb::get || req.method() == http::verb::head) &&
                          path.rfind("/api/", 0) != 0 && !r && !path_matched;
    beast::error_code wec;
    std::size_t bytes = 0;
    unsigned status = 0;
    if (web_file) {
        pattern = "static";
        auto answer = serve_static(state_->web_root, req);
        bytes = co_await std::visit(
            [&](auto& res) -> net::awaitable<std::size_t> {
                res.keep_alive(keep);
                status = res.result_int();
                co_return co_await write(res, req, wec);
            },
            answer);
    } else {
        response res = co_await answer(req, r, std::move(params), path_matched, pattern);
        revalidate(req, res);
        res.keep_alive(keep);
        status = res.result_int();
        bytes = co_await write(res, req, wec);
    }
    log_request(req, pattern, status, bytes, started);
    co_return !wec && keep;
}

net::awaitable<void> http_session::run() {
    beast::flat_buffer buffer;
    for (bool first = true;; first = false) {
        client_ = address_;  // until a request says otherwise (errors are logged with it)
        http::request_parser<http::string_body> parser;
        // The header's fields, counted at the first chunk: more at the end were trailers.
        std::optional<std::size_t> header_fields;
        auto fields = [](const http::fields& f) {
            return static_cast<std::size_t>(std::distance(f.begin(), f.end()));
        };
        auto on_chunk = [&](std::uint64_t, beast::string_view, beast::error_code&) {
            if (!header_fields) header_fields = fields(parser.get());
        };
        parser.on_chunk_header(on_chunk);
        if (!co_await read_request(buffer, parser, first)) break;
        auto started = std::chrono::steady_clock::now();
        request req = parser.release();
        client_ = state_->proxies.client_of(address_, req);
        if (auto refused = refuse_framing(req, header_fields && fields(req) > *header_fields)) {
            beast::error_code wec;
            auto bytes = co_await write(*refused, req, wec);
            log_request(req, "", refused->result_int(), bytes, started);
            break;
        }
        if (beast::websocket::is_upgrade(req) && target_path(req.target()) == "/live") {
            if (co_await upgrade(req)) co_return;
            break;
        }
        if (!co_await serve(req, started)) break;
    }
    beast::error_code ec;
    // The peer may already be gone; nothing is left to tell it.
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
}

net::awaitable<response> http_session::answer(const request& req, const route* r,
                                              std::map<std::string, std::string> params,
                                              bool path_matched, std::string& pattern) {
    call c{req, std::move(params), client_};
    try {
        // A registration code is a door to someone's data: guessing codes, in a path or a
        // body, is slowed down per client (docs/privacy.md, "Registration codes").
        const bool by_code = r && r->takes_code;
        const auto now = sign_in_throttle::clock::now();
        if (by_code) {
            if (auto wait = state_->code_guesses.wait(client_, now); wait.count() > 0) {
                pattern = r->pattern;
                auto res = problem_response(
                    req, http::status::too_many_requests, "too-many-attempts",
                    "Too many unknown registration codes from this address: wait before "
                    "trying again.");
                res.set(http::field::retry_after, std::to_string((wait.count() + 999) / 1000));
                co_return res;
            }
        }
        auto res = co_await state_->routes.dispatch(c, r, path_matched, pattern);
        if (by_code && res.result() == http::status::not_found)
            state_->code_guesses.failed(client_, now);
        co_return res;
    } catch (const std::exception& e) {
        // A handler bug must not take the connection or the process down with it.
        log::error("handler failed",
                   {{"path", logged_path(state_->routes, req, pattern, 500)}, {"error", e.what()}});
        co_return problem_response(req, http::status::internal_server_error, "internal-error",
                                   "The server failed to answer this request.");
    }
}

}  // namespace creneau::server
