// The baseline of the live-channel benchmark: a bare Beast broadcast server of ours, with
// no ledger, no journal and no topics. WebSocket clients connect to /live; each
// POST /publish is sent as is to all of them and answered 201.
//
//   bare_broadcast PORT_FILE     listens on 127.0.0.1:0 and writes its port to PORT_FILE

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

class ws_session;

struct registry {
    std::mutex m;
    std::set<std::shared_ptr<ws_session>> all;
};

class ws_session : public std::enable_shared_from_this<ws_session> {
  public:
    ws_session(beast::tcp_stream&& s, registry& r) : ws_(std::move(s)), reg_(r) {}
    net::awaitable<void> run(http::request<http::string_body> req) {
        auto self = shared_from_this();
        beast::get_lowest_layer(ws_).expires_never();
        auto [ec] = co_await ws_.async_accept(req, net::as_tuple(net::use_awaitable));
        if (ec) co_return;
        {
            std::lock_guard l(reg_.m);
            reg_.all.insert(self);
        }
        beast::flat_buffer b;
        for (;;) {
            auto [rec, n] = co_await ws_.async_read(b, net::as_tuple(net::use_awaitable));
            if (rec) break;
            b.consume(n);
        }
        std::lock_guard l(reg_.m);
        reg_.all.erase(self);
    }
    void send(std::shared_ptr<const std::string> m) {
        net::post(ws_.get_executor(), [self = shared_from_this(), m] {
            self->q_.push_back(m);
            if (self->q_.size() == 1) self->write();
        });
    }

  private:
    void write() {
        ws_.text(true);
        ws_.async_write(net::buffer(*q_.front()),
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return;
                            self->q_.pop_front();
                            if (!self->q_.empty()) self->write();
                        });
    }
    websocket::stream<beast::tcp_stream> ws_;
    registry& reg_;
    std::deque<std::shared_ptr<const std::string>> q_;
};

net::awaitable<void> serve(tcp::socket sock, registry& reg) {
    beast::tcp_stream stream(std::move(sock));
    beast::flat_buffer buf;
    for (;;) {
        http::request<http::string_body> req;
        auto [ec, n] =
            co_await http::async_read(stream, buf, req, net::as_tuple(net::use_awaitable));
        if (ec) co_return;
        if (websocket::is_upgrade(req)) {
            auto s = std::make_shared<ws_session>(std::move(stream), reg);
            co_await s->run(std::move(req));
            co_return;
        }
        auto msg = std::make_shared<const std::string>(req.body());
        std::vector<std::shared_ptr<ws_session>> all;
        {
            std::lock_guard l(reg.m);
            all.assign(reg.all.begin(), reg.all.end());
        }
        for (auto& s : all) s->send(msg);
        http::response<http::string_body> res{http::status::created, req.version()};
        res.keep_alive(req.keep_alive());
        res.body() = "{}";
        res.prepare_payload();
        co_await http::async_write(stream, res, net::as_tuple(net::use_awaitable));
    }
}

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    net::io_context ioc{static_cast<int>(threads)};
    tcp::acceptor acc(ioc, {net::ip::make_address("127.0.0.1"), 0});
    std::ofstream(argv[1]) << acc.local_endpoint().port();
    registry reg;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            for (;;) {
                auto sock = co_await acc.async_accept(net::make_strand(ioc), net::use_awaitable);
                auto ex = sock.get_executor();
                net::co_spawn(ex, serve(std::move(sock), reg), net::detached);
            }
        },
        net::detached);
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
    ioc.run();
}
