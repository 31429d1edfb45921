// Load client of the live channel: N WebSocket subscribers on one server over loopback and a
// steady stream of bookings through HTTP. Reports the delay from a booking's HTTP answer
// to its arrival at the subscribers (p50, p99, max), messages delivered per second, and the
// server's memory per connection. Run against creneau and against bare_broadcast (the
// baseline) by tests/bench/bench_live.sh.
//
//   bench_live PORT SUBSCRIBERS BOOKINGS RATE_PER_S SERVER_PID TARGET [TOKEN]
//   TARGET: "creneau" (POST /api/reservations, topic calendar:*, protocol 2: messages gathered,
//   one per line) or "bare" (POST /publish)

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
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

struct arrivals {
    std::mutex m;
    std::map<std::string, std::vector<clk::time_point>> by_key;  // booking key → arrival times
    std::atomic<long> messages{0};
};

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
    subscriber(net::io_context& ioc, arrivals& a, bool bare)
        : ws_(net::make_strand(ioc)), a_(a), bare_(bare) {}
    net::awaitable<void> run(std::uint16_t port, std::atomic<int>& ready) {
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
        }
        bool counted = bare_;
        if (counted) ++ready;
        beast::flat_buffer b;
        for (;;) {
            auto [ec, n] = co_await ws_.async_read(b, net::as_tuple(net::use_awaitable));
            if (ec) co_return;
            auto now = clk::now();
            auto all = beast::buffers_to_string(b.data());
            b.consume(n);
            for (std::size_t from = 0; from < all.size();) {
                auto to = bare_ ? all.size() : std::min(all.find('\n', from), all.size());
                auto text = all.substr(from, to - from);
                from = to + 1;
                if (!counted && text.find("\"subscribed\"") != std::string::npos) {
                    counted = true;
                    ++ready;
                    continue;
                }
                auto k = key_of(text, bare_);
                if (k.empty()) continue;
                ++a_.messages;
                std::lock_guard l(a_.m);
                a_.by_key[k].push_back(now);
            }
        }
    }
    void close() {
        beast::error_code ec;
        beast::get_lowest_layer(ws_).socket().close(ec);
    }

  private:
    websocket::stream<beast::tcp_stream> ws_;
    arrivals& a_;
    bool bare_;
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
    arrivals a;
    std::atomic<int> ready{0};
    std::vector<std::shared_ptr<subscriber>> subs;
    for (int i = 0; i < n; ++i) {
        subs.push_back(std::make_shared<subscriber>(ioc, a, bare));
        net::co_spawn(ioc, subs.back()->run(port, ready), net::detached);
    }
    std::thread io([&] { ioc.run(); });
    auto t0 = clk::now();
    while (ready < n && clk::now() - t0 < std::chrono::seconds(120))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
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
    // Wait for the last deliveries.
    auto wait_until = clk::now() + std::chrono::seconds(30);
    while (clk::now() < wait_until && a.messages < static_cast<long>(bookings) * ready)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    double total_s = std::chrono::duration<double>(clk::now() - start_all).count();

    std::vector<double> delays;
    {
        std::lock_guard l(a.m);
        for (const auto& [k, times] : a.by_key) {
            auto it = answered.find(k);
            if (it == answered.end()) continue;
            for (auto t : times)
                delays.push_back(std::max(
                    0.0, std::chrono::duration<double, std::milli>(t - it->second).count()));
        }
    }
    std::sort(delays.begin(), delays.end());
    auto pct = [&](double p) {
        return delays.empty() ? 0.0
                              : delays[std::min(delays.size() - 1, size_t(p * delays.size()))];
    };
    std::printf("  %d bookings in %.1f s; %ld of %ld messages delivered (%.0f messages/s)\n",
                bookings, send_s, a.messages.load(), static_cast<long>(bookings) * ready,
                a.messages / total_s);
    std::printf("  delay from HTTP answer to arrival: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                pct(0.5), pct(0.99), delays.empty() ? 0.0 : delays.back());
    for (auto& s : subs) net::post(ioc, [s] { s->close(); });
    ioc.stop();
    io.join();
    return 0;
}
