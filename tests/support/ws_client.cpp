#include "support/ws_client.hpp"
#include "support/text.hpp"

#include <stdexcept>

namespace creneau::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

ws_client::ws_client(std::uint16_t port, const std::string& token,
                     std::optional<int> receive_buffer, const std::string& origin,
                     const std::string& subprotocols)
    : ws_(ioc_) {
    auto& sock = beast::get_lowest_layer(ws_).socket();
    sock.open(net::ip::tcp::v4());
    if (receive_buffer) sock.set_option(net::socket_base::receive_buffer_size(*receive_buffer));
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).connect(
        net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws_.set_option(websocket::stream_base::decorator(
        [token, origin, subprotocols](websocket::request_type& req) {
            if (!token.empty()) req.set(beast::http::field::authorization, "Bearer " + token);
            if (!origin.empty()) req.set(beast::http::field::origin, origin);
            if (!subprotocols.empty())
                req.set(beast::http::field::sec_websocket_protocol, subprotocols);
        }));
    websocket::response_type res;
    ws_.handshake(res, numbered("127.0.0.1:", port), "/live");
    subprotocol_ = std::string(res[beast::http::field::sec_websocket_protocol]);
    beast::get_lowest_layer(ws_).expires_never();
}

ws_client::~ws_client() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
}

void ws_client::reset() {
    auto& sock = beast::get_lowest_layer(ws_).socket();
    beast::error_code ec;
    sock.set_option(net::socket_base::linger(true, 0), ec);
    sock.close(ec);
    closed_ = true;
}

void ws_client::send(const nlohmann::json& j) {
    ws_.text(true);
    ws_.write(net::buffer(j.dump()));
}

std::optional<nlohmann::json> ws_client::next(std::chrono::milliseconds timeout) {
    if (!lines_.empty()) {
        last_text_ = std::move(lines_.front());
        lines_.pop_front();
        return nlohmann::json::parse(last_text_);
    }
    if (closed_) return std::nullopt;
    beast::flat_buffer buffer;
    std::optional<nlohmann::json> out;
    bool done = false;
    ws_.async_read(buffer, [&](beast::error_code ec, std::size_t) {
        done = true;
        if (ec) {
            if (ec != net::error::operation_aborted) {
                closed_ = true;
                close_code_ = ws_.reason().code;
            }
            return;
        }
        ++frames_;
        auto text = beast::buffers_to_string(buffer.data());
        if (subprotocol_.empty()) {
            out = nlohmann::json::parse(text);
            last_text_ = std::move(text);
            return;
        }
        // Protocol 2: one JSON object per line, none empty.
        for (std::size_t from = 0;;) {
            auto to = text.find('\n', from);
            lines_.push_back(text.substr(from, to == std::string::npos ? to : to - from));
            if (to == std::string::npos) break;
            from = to + 1;
        }
        last_text_ = std::move(lines_.front());
        lines_.pop_front();
        out = nlohmann::json::parse(last_text_);
    });
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!done) {
        // Give up waiting: cancel the read and let it finish.
        beast::get_lowest_layer(ws_).socket().cancel();
        ioc_.restart();
        ioc_.run();
        // A cancelled WebSocket read leaves the stream unusable: this client is done.
        if (!out) closed_ = true;
    }
    return out;
}

std::optional<nlohmann::json> ws_client::next_fact(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        auto m = next(left);
        if (!m) return std::nullopt;
        if (m->contains("seq") && m->contains("data")) return m;
    }
}

std::vector<nlohmann::json> ws_client::subscribe(const std::vector<std::string>& topics,
                                                 std::optional<std::int64_t> since) {
    nlohmann::json j = {{"op", "subscribe"}, {"topics", topics}};
    if (since) j["since"] = *since;
    send(j);
    std::vector<nlohmann::json> before;
    for (;;) {
        auto m = next(std::chrono::seconds(10));
        if (!m) throw std::runtime_error("no subscription confirmation");
        if ((*m)["type"] == "subscribed") return before;
        if ((*m)["type"] == "error") throw std::runtime_error("subscribe refused: " + m->dump());
        before.push_back(*m);
    }
}

std::optional<int> ws_client::wait_close(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        next(left);
    }
    return close_code_;
}

}  // namespace creneau::test
