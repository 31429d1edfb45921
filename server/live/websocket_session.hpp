#pragma once
// One WebSocket connection of the live channel (GET /live). See docs/live-protocol.md.
//
// Thread safety: all work on the connection runs on its strand. The hub delivers from any
// thread by posting onto it. Exactly one write is in flight; messages stay at the front of
// the queue until their write completes. The queue is bounded in messages and bytes: a
// client that cannot keep up is closed with code 4008 and its queue freed.
//
// A client that opened the connection with the subprotocol "creneau.2" receives what is
// queued gathered into one WebSocket message, one JSON object per line, written at once
// from the shared buffers (docs/live-protocol.md, "Protocol 2").

#include "server/api/support.hpp"
#include "server/live/live_hub.hpp"

#include <boost/beast/websocket.hpp>

#include <deque>

namespace creneau::server {

class shared_state;

// Close codes of the live channel.
inline constexpr std::uint16_t close_going_away = 1001;   // server shutting down
inline constexpr std::uint16_t close_policy = 1008;       // bad origin
inline constexpr std::uint16_t close_slow_client = 4008;  // the send queue overflowed
inline constexpr std::uint16_t close_bad_message =
    4000;  // the client sent something unreadable too often

// The subprotocol of protocol 2, and whether a Sec-WebSocket-Protocol request field's value
// (a comma-separated list; the field may be repeated) offers it.
inline constexpr std::string_view live_subprotocol = "creneau.2";
bool offers_live_subprotocol(std::string_view field);

class websocket_session : public std::enable_shared_from_this<websocket_session>,
                          public live_subscriber {
  public:
    websocket_session(beast::tcp_stream&& stream, std::shared_ptr<shared_state> state,
                      std::string remote, std::string client, caller who);
    ~websocket_session() override;

    // Accepts the upgrade request and runs the connection.
    void start(request req);

    void deliver(live_message m) override;
    void deliver_here(const live_message& m) override;
    void flush() override;
    boost::asio::any_io_executor executor() override { return ws_.get_executor(); }
    void shut(std::uint16_t code, std::string reason) override;

  private:
    net::awaitable<void> run(request req);
    // Writes the queue's front (protocol 2: as much of the queue as one message takes); its
    // completion writes the next, until the queue is empty or the connection closes: no timer
    // and no coroutine wake per message.
    void write_next();
    void written(beast::error_code ec);
    void enqueue(std::shared_ptr<const std::string> text,
                 std::chrono::steady_clock::time_point committed);
    void handle(const std::string& text);
    void reply(const json& j);
    void close_now(std::uint16_t code, const std::string& reason);

    beast::websocket::stream<beast::tcp_stream> ws_;
    std::shared_ptr<shared_state> state_;
    std::string remote_;  // address:port of the peer, for the logs
    std::string client_;  // the client's address (net/forwarded.hpp), for the cap per address
    caller who_;
    bool joined_ = false;
    bool gather_ = false;  // protocol 2

    struct outgoing {
        std::shared_ptr<const std::string> text;
        std::chrono::steady_clock::time_point committed;
        bool fact = false;
    };
    std::deque<outgoing> queue_;
    std::size_t queued_bytes_ = 0;
    std::size_t in_flight_ = 0;               // the messages at the queue's front being written
    std::vector<net::const_buffer> buffers_;  // what the write in flight sends
    bool writing_ = false;
    bool holding_ = false;  // queue without writing until flush() (a batch or a reply is built)
    bool closing_ = false;
    int bad_messages_ = 0;
};

}  // namespace creneau::server
