#include "server/live/websocket_session.hpp"

#include "server/live/live_protocol.hpp"
#include "server/net/shared_state.hpp"
#include "server/ops/log.hpp"

#include "common/core/json_text.hpp"

#include <boost/core/span.hpp>

namespace creneau::server {

namespace websocket = beast::websocket;

namespace {
// What one write of protocol 2 gathers at most: bounded so that a long queue goes out in
// pieces a browser parses quickly, and the list of buffers stays small.
constexpr std::size_t gather_messages = 64;
constexpr std::size_t gather_bytes = 64 * 1024;
}  // namespace

bool offers_live_subprotocol(std::string_view field) {
    return any_list_item(field, [](std::string_view item) { return item == live_subprotocol; });
}

websocket_session::websocket_session(beast::tcp_stream&& stream,
                                     std::shared_ptr<shared_state> state, std::string remote,
                                     std::string client, caller who)
    : ws_(std::move(stream)),
      state_(std::move(state)),
      remote_(std::move(remote)),
      client_(std::move(client)),
      who_(std::move(who)) {}

websocket_session::~websocket_session() {
    if (joined_) state_->hub->leave(this);
}

void websocket_session::start(request req) {
    net::co_spawn(
        ws_.get_executor(),
        [self = shared_from_this(), req = std::move(req)]() mutable {
            return self->run(std::move(req));
        },
        log_escape("websocket"));
}

void websocket_session::deliver(live_message m) {
    // dispatch: inline when the hub calls from this connection's thread (the replay of a
    // subscription, which delivers to the subscribing connection only), so that the replayed
    // facts are queued before the confirmation; posted from the ledger's writer thread.
    net::dispatch(ws_.get_executor(), [self = shared_from_this(), m = std::move(m)] {
        self->enqueue(m.text, m.committed);
    });
}

void websocket_session::deliver_here(const live_message& m) {
    holding_ = true;
    enqueue(m.text, m.committed);
}

void websocket_session::flush() {
    holding_ = false;
    if (!writing_) write_next();
}

void websocket_session::shut(std::uint16_t code, std::string reason) {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), code, reason] { self->close_now(code, reason); });
}

void websocket_session::enqueue(std::shared_ptr<const std::string> text,
                                std::chrono::steady_clock::time_point committed) {
    if (closing_) return;
    const auto& cfg = state_->cfg;
    queued_bytes_ += text->size();
    queue_.push_back(
        {std::move(text), committed, committed != std::chrono::steady_clock::time_point{}});
    if (queue_.size() > cfg.live_queue_messages || queued_bytes_ > cfg.live_queue_bytes) {
        // Too slow to keep up: free its queue and close it, so that the others are not held back.
        state_->stats.live_slow_closes++;
        log::info("live client too slow",
                  {{"remote", remote_}, {"queued", queue_.size()}, {"bytes", queued_bytes_}});
        // Keep the messages being written (if any): Beast still reads them.
        while (queue_.size() > (writing_ ? in_flight_ : 0u)) {
            queued_bytes_ -= queue_.back().text->size();
            queue_.pop_back();
        }
        close_now(close_slow_client, "slow-client");
        return;
    }
    if (!writing_ && !holding_) write_next();
}

void websocket_session::close_now(std::uint16_t code, const std::string& reason) {
    if (closing_) return;
    // What was queued but not yet written (a reply held while its message was handled) goes
    // before the close frame, as it would have had it not been held.
    holding_ = false;
    if (!writing_) write_next();
    closing_ = true;
    auto self = shared_from_this();
    // A close frame goes after the write in flight; if the client does not read at all, the
    // socket is closed once the close handshake times out.
    ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason),
                    [self](beast::error_code) {
                        beast::error_code ec;
                        // The connection is over either way.
                        beast::get_lowest_layer(self->ws_).socket().close(ec);
                    });
    auto guard = std::make_shared<net::steady_timer>(ws_.get_executor(), std::chrono::seconds(15));
    guard->async_wait([self, guard](beast::error_code ec) {
        if (ec) return;
        beast::error_code ignored;
        // The close handshake did not finish: drop the TCP connection.
        beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
}

void websocket_session::reply(const json& j) {
    // Replies may echo what the client sent: never let bad UTF-8 throw here.
    enqueue(std::make_shared<const std::string>(json_text(j)), {});
}

net::awaitable<void> websocket_session::run(request req) {
    const auto& cfg = state_->cfg;
    beast::get_lowest_layer(ws_).expires_never();
    beast::error_code opt_ec;
    // A failure leaves the system's default size: the connection still works.
    beast::get_lowest_layer(ws_).socket().set_option(
        net::socket_base::send_buffer_size(static_cast<int>(cfg.live_socket_buffer)), opt_ec);
    websocket::stream_base::timeout t =
        websocket::stream_base::timeout::suggested(beast::role_type::server);
    t.idle_timeout = cfg.live_idle_timeout;  // pinged at half of it, closed if silent for all of it
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.read_message_max(64 * 1024);
    // One frame per message: a gathered message goes out in one write, not in 4 KiB frames.
    ws_.auto_fragment(false);
    // The field may be repeated: its values are then one list.
    for (auto [it, end] = req.equal_range(http::field::sec_websocket_protocol);
         it != end && !gather_; ++it)
        gather_ = offers_live_subprotocol(it->value());
    ws_.set_option(
        websocket::stream_base::decorator([gather = gather_](websocket::response_type& res) {
            res.set(http::field::server, "creneau/" CRENEAU_VERSION);
            if (gather) res.set(http::field::sec_websocket_protocol, live_subprotocol);
        }));

    auto [aec] = co_await ws_.async_accept(req, net::as_tuple(net::use_awaitable));
    if (aec) co_return;
    if (!state_->hub->join(shared_from_this(), client_, who_.as_actor(),
                           who_.signed_in() ? who_.token_hash : std::string{})) {
        co_await ws_.async_close(
            websocket::close_reason(websocket::close_code::try_again_later, "too many connections"),
            net::as_tuple(net::use_awaitable));
        co_return;
    }
    joined_ = true;
    reply({{"type", "hello"},
           {"seq", state_->hub->head()},
           {"role", who_.who ? std::string(name_of(who_.who->role)) : "anonymous"},
           {"organisation", who_.who ? who_.who->organisation : ""},
           {"protocol", gather_ ? 2 : 1}});

    beast::flat_buffer buffer;
    for (;;) {
        auto [ec, n] = co_await ws_.async_read(buffer, net::as_tuple(net::use_awaitable));
        if (ec) break;
        (void)n;
        if (!closing_) {
            // The answer and the facts a subscription replays go out together.
            holding_ = true;
            try {
                handle(beast::buffers_to_string(buffer.data()));
            } catch (const std::exception& e) {
                log::error("live message failed", {{"remote", remote_}, {"error", e.what()}});
                reply({{"type", "error"},
                       {"code", "internal-error"},
                       {"detail", "the message could not be handled"}});
            }
            flush();
        }
        buffer.consume(buffer.size());
    }
    closing_ = true;
    if (!writing_) {
        queue_.clear();
        queued_bytes_ = 0;
    }
}

void websocket_session::handle(const std::string& text) {
    auto refuse = [&](const std::string& detail, const std::vector<std::string>& topics = {}) {
        json error{{"type", "error"}, {"code", "bad-request"}, {"detail", detail}};
        if (!topics.empty()) error["topics"] = topics;
        reply(error);
    };
    // Malformed messages count towards closing the connection; a well-formed subscription
    // refused (a topic restricted since, too many topics) does not.
    auto bad = [&](const std::string& detail) {
        refuse(detail);
        if (++bad_messages_ > 20) close_now(close_bad_message, "too many bad messages");
    };
    auto parsed = parse_live_request(text);
    if (auto* error = std::get_if<std::string>(&parsed)) return bad(*error);
    const auto& r = std::get<live_request>(parsed);
    switch (r.what) {
        case live_request::kind::subscribe: {
            bool reload = false;
            std::int64_t seq = 0;
            // The hub queues the missed facts before this returns; the confirmation follows them.
            if (auto no =
                    state_->hub->subscribe(this, who_.as_actor(), r.topics, r.since, reload, seq))
                return refuse(no->detail, no->topics);
            if (reload)
                reply({{"type", "reload"},
                       {"seq", seq},
                       {"reason", "too-old"},
                       {"detail",
                        "The facts since that sequence number are no longer kept: reload through "
                        "the API."}});
            reply({{"type", "subscribed"}, {"topics", r.topics}, {"seq", seq}});
            break;
        }
        case live_request::kind::unsubscribe:
            state_->hub->unsubscribe(this, r.topics);
            reply({{"type", "unsubscribed"}, {"topics", r.topics}});
            break;
        case live_request::kind::ping:
            reply({{"type", "pong"}});
            break;
    }
}

void websocket_session::write_next() {
    if (queue_.empty() || closing_) return;
    writing_ = true;
    ws_.text(true);
    buffers_.clear();
    in_flight_ = 0;
    std::size_t bytes = 0;
    for (const auto& m : queue_) {
        if (in_flight_ > 0) {
            if (!gather_ || in_flight_ == gather_messages ||
                bytes + 1 + m.text->size() > gather_bytes)
                break;
            buffers_.push_back(net::buffer("\n", 1));
        }
        buffers_.push_back(net::buffer(*m.text));
        bytes += m.text->size() + (in_flight_ > 0 ? 1 : 0);
        ++in_flight_;
    }
    // A view of buffers_, which stays put until the write completes: Beast copies the view, not
    // the list.
    ws_.async_write(
        boost::span<const net::const_buffer>(buffers_.data(), buffers_.size()),
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->written(ec); });
}

void websocket_session::written(beast::error_code ec) {
    writing_ = false;
    if (!ec) {
        const auto now = std::chrono::steady_clock::now();
        for (; in_flight_ > 0; --in_flight_) {
            const auto& sent = queue_.front();
            if (sent.fact) {
                state_->stats.live_messages++;
                state_->stats.live_delay().observe(static_cast<std::uint64_t>(
                    std::chrono::duration_cast<std::chrono::microseconds>(now - sent.committed)
                        .count()));
            }
            queued_bytes_ -= sent.text->size();
            queue_.pop_front();
        }
    }
    in_flight_ = 0;
    if (ec) closing_ = true;  // the stream is broken: nothing more goes out
    if (closing_) {
        // Nothing more is written: a close frame, if any, is Beast's to send.
        queue_.clear();
        queued_bytes_ = 0;
        return;
    }
    write_next();
}

}  // namespace creneau::server
