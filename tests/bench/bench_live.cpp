// Load client of the live channel: N WebSocket subscribers on one server over loopback and a
// steady stream of bookings through HTTP. Reports the delay from a booking's HTTP answer
// to its arrival at the subscribers (p50, p99, max, over every delivery of the run), messages
// delivered per second, and the server's memory per connection. Run against creneau and against
// bare_broadcast (the baseline) by tests/bench/bench_live.sh.
//
// Beast connects and subscribes each client; then the sockets go to a few reader threads,
// each on its own epoll, that parse the server's frames by hand (a server's frames are not
// masked) and answer its keep-alive pings. A Beast stream and a coroutine per message would
// cost the client more per message than the servers it measures, and the delays would be
// partly its own.
//
//   bench_live PORT SUBSCRIBERS BOOKINGS RATE_PER_S SERVER_PID TARGET [TOKEN]
//   TARGET: "creneau" (POST /api/reservations, topic calendar:*, protocol 2: messages gathered,
//   one per line) or "bare" (POST /publish)

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "support/text.hpp"

using creneau::test::numbered;

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using clk = std::chrono::steady_clock;

namespace {

long rss_kib(int pid) {
    std::ifstream in(numbered("/proc/", pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

// Reader threads: one per core, as the servers measured have I/O threads.
const int reader_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

using arrival_times = std::map<std::string, std::vector<clk::time_point>>;  // by booking key

// The booking a message is about (its start). A substring search rather than a JSON parse:
// the load client must stay far cheaper than the server it measures.
std::string key_of(const std::string& text, bool bare) {
    if (bare) return text;
    if (text.find("\"type\":\"reservation-requested\"") == std::string::npos) return {};
    const std::string marker = "\"start\":\"";
    auto at = text.find(marker);
    if (at == std::string::npos) return {};
    at += marker.size();
    return text.substr(at, text.find('"', at) - at);
}

class subscriber : public std::enable_shared_from_this<subscriber> {
  public:
    subscriber(net::io_context& ioc, bool bare) : ws_(net::make_strand(ioc)), bare_(bare) {}
    // Connects and subscribes; then hands its socket to `subscribed` and ends, counted ready
    // if it was taken.
    net::awaitable<void> run(std::uint16_t port, std::atomic<int>& ready,
                             std::function<bool(int)> subscribed) {
        auto self = shared_from_this();
        auto [cec] = co_await beast::get_lowest_layer(ws_).async_connect(
            tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
            net::as_tuple(net::use_awaitable));
        if (cec) co_return;
        if (!bare_)  // protocol 2: what the server has queued arrives gathered, one per line
            ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
                req.set(beast::http::field::sec_websocket_protocol, "creneau.2");
            }));
        auto [hec] =
            co_await ws_.async_handshake("127.0.0.1", "/live", net::as_tuple(net::use_awaitable));
        if (hec) co_return;
        if (!bare_) {
            std::string sub = R"({"op":"subscribe","topics":["calendar:*"]})";
            co_await ws_.async_write(net::buffer(sub), net::as_tuple(net::use_awaitable));
            // A hello, then the confirmation of the subscription.
            for (bool confirmed = false; !confirmed;) {
                beast::flat_buffer b;
                auto [ec, n] = co_await ws_.async_read(b, net::as_tuple(net::use_awaitable));
                if (ec) co_return;
                confirmed =
                    beast::buffers_to_string(b.data()).find("\"subscribed\"") != std::string::npos;
            }
        }
        // Nothing else is sent before the bookings start, so no frame is left in Beast's buffer.
        beast::error_code ec;
        int fd = beast::get_lowest_layer(ws_).socket().release(ec);
        if (ec) co_return;
        if (subscribed(fd)) ++ready;
    }

  private:
    websocket::stream<beast::tcp_stream> ws_;
    bool bare_;
};

// One reader thread: its sockets on its own epoll, each with the bytes of a frame not yet
// whole, the payload of a message not yet finished and the pongs not yet sent. A socket the
// server closes, or whose bytes are not frames a server sends, is counted as closed and
// closed here: its later messages are missing from the deliveries.
//
// Threads: `add` is called on the connecting thread while `run` runs on the reader's own.
// `add` fills a connection before handing it to the epoll, and `run` reaches connections only
// through the epoll's events, so the two never touch the same connection; `connections_`
// itself is read again only by the destructor, and `by_key_` by `times`, once `run` has
// returned.
class reader {
  public:
    explicit reader(bool bare) : bare_(bare), epoll_(::epoll_create1(0)) {
        if (epoll_ < 0) throw std::runtime_error("epoll_create1 failed");
    }
    ~reader() {
        for (auto& c : connections_)
            if (c->fd >= 0) ::close(c->fd);
        ::close(epoll_);
    }
    // From the connecting thread while this one runs: the epoll event carries the socket's
    // state, so the reader never looks it up. False if the socket cannot be watched.
    bool add(int fd) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        connections_.push_back(std::make_unique<connection>());
        connections_.back()->fd = fd;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = connections_.back().get();
        return ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) == 0;
    }
    // Counts the booking messages delivered, and the subscribers closed with the messages
    // they had been delivered (the messages still awaited are the open subscribers').
    void run(const std::atomic<bool>& stop, std::atomic<long>& messages, std::atomic<int>& closed,
             std::atomic<long>& closed_messages) {
        std::vector<epoll_event> events(256);
        std::vector<char> chunk(1 << 16);
        while (!stop) {
            int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 50);
            for (int i = 0; i < n; ++i) {
                auto& c = *static_cast<connection*>(events[i].data.ptr);
                bool open = true;
                if (events[i].events & ~static_cast<std::uint32_t>(EPOLLOUT)) {
                    // Readable, or hung up: what was received is read before anything else.
                    auto got = ::recv(c.fd, chunk.data(), chunk.size(), 0);
                    if (got > 0) {
                        c.pending.append(chunk.data(), static_cast<std::size_t>(got));
                        const long before = c.delivered;
                        open = take_frames(c, clk::now());
                        messages += c.delivered - before;
                    } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                        open = false;
                    }
                }
                if (open && flush(c)) continue;
                ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
                ::close(c.fd);
                c.fd = -1;
                closed_messages += c.delivered;
                ++closed;
            }
        }
    }
    // Once run has returned.
    const arrival_times& times() const { return by_key_; }

  private:
    struct connection {
        int fd = -1;
        std::string pending;  // received bytes not yet a whole frame
        std::string message;  // payload of the frames of an unfinished message
        std::string out;      // pongs not yet sent
        bool watching_out = false;
        long delivered = 0;  // booking messages received
    };
    // Sends what c.out holds, as much as the socket takes; the epoll reports when it takes
    // the rest. False if the socket is broken.
    bool flush(connection& c) {
        while (!c.out.empty()) {
            auto sent = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
            if (sent < 0 && errno == EINTR) continue;
            if (sent < 0 && errno != EAGAIN) return false;
            if (sent < 0) break;
            c.out.erase(0, static_cast<std::size_t>(sent));
        }
        const bool blocked = !c.out.empty();
        if (blocked == c.watching_out) return true;
        c.watching_out = blocked;
        epoll_event ev{};
        ev.events = blocked ? EPOLLIN | EPOLLOUT : EPOLLIN;
        ev.data.ptr = &c;
        return ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev) == 0;
    }
    // Takes the whole frames off c.pending, queueing a pong for each ping and counting the
    // booking messages they complete in c.delivered; false if the server closes or a frame is
    // not one a server sends.
    bool take_frames(connection& c, clk::time_point now) {
        std::size_t at = 0;
        const auto& p = c.pending;
        for (;;) {
            if (p.size() - at < 2) break;
            auto b0 = static_cast<unsigned char>(p[at]), b1 = static_cast<unsigned char>(p[at + 1]);
            if ((b0 & 0x70) || (b1 & 0x80)) return false;  // reserved bits, or masked
            std::size_t head = 2, len = b1 & 0x7f;
            if (len == 126) {
                if (p.size() - at < 4) break;
                len = (std::size_t(static_cast<unsigned char>(p[at + 2])) << 8) |
                      static_cast<unsigned char>(p[at + 3]);
                head = 4;
            } else if (len == 127) {
                if (p.size() - at < 10) break;
                len = 0;
                for (int k = 2; k < 10; ++k)
                    len = (len << 8) | static_cast<unsigned char>(p[at + k]);
                head = 10;
            }
            const auto opcode = b0 & 0x0f;
            const bool control = opcode & 0x8;
            // A control frame is whole and short (known from its header); a close ends the
            // subscription.
            if (control && (!(b0 & 0x80) || len > 125)) return false;
            if (len > p.size() - at - head) break;
            if (opcode == 0x8) return false;
            if (opcode == 0x9) {
                // A ping (the server's keep-alive): the pong a client sends is masked, here
                // with a key of zeros, which leaves the payload as it is.
                c.out += {'\x8a', static_cast<char>(0x80 | len), 0, 0, 0, 0};
                c.out.append(p, at + head, len);
            } else if (opcode == 0x1 || opcode == 0x2 || opcode == 0x0) {
                c.message.append(p, at + head, len);
                if (b0 & 0x80) {
                    c.delivered += count_bookings(c.message, now);
                    c.message.clear();
                }
            } else if (opcode != 0xa) {
                return false;  // no such opcode
            }
            at += head + len;
        }
        c.pending.erase(0, at);
        return true;
    }
    // Records the arrival of the bookings a message is about; returns how many.
    long count_bookings(const std::string& all, clk::time_point now) {
        long found = 0;
        for (std::size_t from = 0; from < all.size();) {
            auto to = bare_ ? all.size() : std::min(all.find('\n', from), all.size());
            auto k = key_of(all.substr(from, to - from), bare_);
            from = to + 1;
            if (k.empty()) continue;
            ++found;
            by_key_[k].push_back(now);
        }
        return found;
    }
    bool bare_;
    int epoll_;
    std::vector<std::unique_ptr<connection>> connections_;  // added on the connecting thread
    arrival_times by_key_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 7) {
        std::fprintf(
            stderr,
            "usage: bench_live PORT SUBSCRIBERS BOOKINGS RATE SERVER_PID creneau|bare [TOKEN]\n");
        return 2;
    }
    auto port = static_cast<std::uint16_t>(std::atoi(argv[1]));
    int n = std::atoi(argv[2]), bookings = std::atoi(argv[3]), rate = std::atoi(argv[4]),
        pid = std::atoi(argv[5]);
    bool bare = std::string(argv[6]) == "bare";
    std::string token = argc > 7 ? argv[7] : "";

    long rss_before = rss_kib(pid);
    net::io_context ioc;
    std::atomic<int> ready{0};
    std::vector<std::unique_ptr<reader>> readers;
    for (int i = 0; i < reader_threads; ++i) readers.push_back(std::make_unique<reader>(bare));
    // Reading from the first subscription on: the server's keep-alive pings want pongs.
    std::atomic<bool> stop{false};
    std::atomic<long> messages{0};
    std::atomic<int> closed{0};
    std::atomic<long> closed_messages{0};
    std::vector<std::thread> reading;
    for (auto& r : readers)
        reading.emplace_back([&r, &stop, &messages, &closed, &closed_messages] {
            r->run(stop, messages, closed, closed_messages);
        });
    // On the one thread that runs the subscribers.
    int next_reader = 0;
    auto subscribed = [&](int fd) {
        return readers[static_cast<std::size_t>(next_reader++ % reader_threads)]->add(fd);
    };
    std::vector<std::shared_ptr<subscriber>> subs;
    for (int i = 0; i < n; ++i) {
        subs.push_back(std::make_shared<subscriber>(ioc, bare));
        net::co_spawn(ioc, subs.back()->run(port, ready, subscribed), net::detached);
    }
    std::thread io([&] { ioc.run(); });
    auto t0 = clk::now();
    while (ready < n && clk::now() - t0 < std::chrono::seconds(120))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ioc.stop();
    io.join();
    long rss_after = rss_kib(pid);
    std::printf(
        "  %d of %d subscribers connected in %.1f s; server memory %.1f KiB per connection (RSS "
        "%ld -> %ld KiB)\n",
        ready.load(), n, std::chrono::duration<double>(clk::now() - t0).count(),
        ready ? double(rss_after - rss_before) / ready : 0.0, rss_before, rss_after);

    // The bookings: one HTTP connection, at a steady rate.
    net::io_context hioc;
    beast::tcp_stream stream(hioc);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    beast::flat_buffer hbuf;
    std::map<std::string, clk::time_point> answered;
    auto base =
        std::chrono::sys_days{std::chrono::year{2028} / 1 / 3} + std::chrono::hours(8);  // a Monday
    auto start_all = clk::now();
    for (int i = 0; i < bookings; ++i) {
        auto due = start_all + std::chrono::microseconds(1'000'000LL * i / rate);
        std::this_thread::sleep_until(due);
        int day = i / 8, week = day / 5, weekday = day % 5;
        auto start = base + std::chrono::days(week * 7 + weekday) + std::chrono::hours(i % 8);
        std::time_t tt = std::chrono::system_clock::to_time_t(start);
        std::tm tm{};
        gmtime_r(&tt, &tm);
        char s[32], e[32];
        std::strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
        tt += 1800;
        gmtime_r(&tt, &tm);
        std::strftime(e, sizeof e, "%Y-%m-%dT%H:%M:%SZ", &tm);
        http::request<http::string_body> req{http::verb::post,
                                             bare ? "/publish" : "/api/reservations", 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, "application/json");
        if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
        req.body() = bare ? std::string(s)
                          : nlohmann::json{{"resource", "meeting-room"},
                                           {"start", s},
                                           {"end", e},
                                           {"attendees", 4},
                                           {"title", "Bench"},
                                           {"organisation", "llv"}}
                                .dump();
        req.prepare_payload();
        http::write(stream, req);
        http::response<http::string_body> res;
        http::read(stream, hbuf, res);
        answered[s] = clk::now();
        if (res.result_int() != 201)
            std::fprintf(stderr, "booking %d: %u %s\n", i, res.result_int(), res.body().c_str());
    }
    double send_s = std::chrono::duration<double>(clk::now() - start_all).count();
    // Wait for the last deliveries to the subscribers still open.
    auto wait_until = clk::now() + std::chrono::seconds(30);
    while (clk::now() < wait_until &&
           messages - closed_messages < static_cast<long>(bookings) * (ready - closed))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    double total_s = std::chrono::duration<double>(clk::now() - start_all).count();

    stop = true;
    for (auto& t : reading) t.join();
    // Measured from the HTTP answer: a delivery that arrives before it (creneau publishes
    // before it answers) counts as 0 ms, and is counted.
    std::vector<double> delays;
    long early = 0;
    for (const auto& r : readers)
        for (const auto& [k, times] : r->times()) {
            auto it = answered.find(k);
            if (it == answered.end()) continue;
            for (auto t : times) {
                const double ms = std::chrono::duration<double, std::milli>(t - it->second).count();
                early += ms < 0;
                delays.push_back(std::max(0.0, ms));
            }
        }
    std::sort(delays.begin(), delays.end());
    auto pct = [&](double p) {
        return delays.empty() ? 0.0
                              : delays[std::min(delays.size() - 1, size_t(p * delays.size()))];
    };
    std::printf(
        "  %d bookings in %.1f s; %ld of %ld messages delivered (%.0f messages/s); %d "
        "subscribers closed\n",
        bookings, send_s, messages.load(), static_cast<long>(bookings) * ready,
        static_cast<double>(messages) / total_s, closed.load());
    std::printf(
        "  delay from HTTP answer to arrival: p50 %.2f ms, p99 %.2f ms, max %.2f ms; %ld of %zu "
        "arrived before the answer (counted 0 ms)\n",
        pct(0.5), pct(0.99), delays.empty() ? 0.0 : delays.back(), early, delays.size());
    return 0;
}
