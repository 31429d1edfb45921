#pragma once
// Test support: a synchronous WebSocket client of the live channel (Boost.Beast).

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <optional>
#include <string>

namespace creneau::test {

class ws_client {
  public:
    // Connects to /live; `token` signs in (bearer), `receive_buffer` shrinks SO_RCVBUF,
    // `subprotocols` is offered as Sec-WebSocket-Protocol ("creneau.2": protocol 2, whose
    // WebSocket messages may carry several messages, one per line; next() splits them).
    ws_client(std::uint16_t port, const std::string& token = {},
              std::optional<int> receive_buffer = {}, const std::string& origin = {},
              const std::string& subprotocols = {});
    ~ws_client();

    void send(const nlohmann::json& j);
    // The next message, or nullopt after `timeout` (or once the connection is closed).
    std::optional<nlohmann::json> next(std::chrono::milliseconds timeout);
    // The next message that carries a fact (skipping hello, subscribed …).
    std::optional<nlohmann::json> next_fact(std::chrono::milliseconds timeout);
    // Subscribes and waits for the confirmation; returns the messages received before it.
    std::vector<nlohmann::json> subscribe(const std::vector<std::string>& topics,
                                          std::optional<std::int64_t> since = {});
    // The close code once the server closed the connection (reading until then).
    std::optional<int> wait_close(std::chrono::milliseconds timeout);
    bool closed() const { return closed_; }
    // The subprotocol the server chose ("" if none), and the WebSocket messages read so far.
    const std::string& subprotocol() const { return subprotocol_; }
    // The text of the message next() returned last, as it came.
    const std::string& last_text() const { return last_text_; }
    int frames() const { return frames_; }
    // Drops the connection abortively (SO_LINGER 0: the server sees a reset).
    void reset();

  private:
    boost::asio::io_context ioc_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    bool closed_ = false;
    int close_code_ = 0;
    std::string subprotocol_;
    int frames_ = 0;
    std::deque<std::string> lines_;  // protocol 2: the lines of a message not yet returned
    std::string last_text_;
};

}  // namespace creneau::test
