#include "support/redis_server.hpp"
#include "support/text.hpp"

#include <boost/asio.hpp>

#include <atomic>
#include <csignal>
#include <random>
#include <stdexcept>

#include <unistd.h>

namespace creneau::test {

std::uint16_t shared_redis_port() {
    auto text = read_file(std::string(CRENEAU_REDIS_DIR) + "/port");
    if (text.empty())
        throw std::runtime_error(
            "the test redis-server is not running (CTest fixture 'redis', "
            "tests/redis-fixture.sh); run the tests through ctest");
    return static_cast<std::uint16_t>(std::stoi(text));
}

std::string unique_prefix() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    std::string out = "t";
    out.append(std::to_string(::getpid())).append("-").append(std::to_string(rd() % 100000));
    return out.append("-").append(std::to_string(++counter));
}

std::string redis_url(std::uint16_t port, const std::string& prefix) {
    return numbered("redis://127.0.0.1:", port) + "?prefix=" + prefix;
}

std::uint16_t free_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

redis_server::redis_server(std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)), port_(free_port()) {
    start();
}

void redis_server::pause() {
    if (proc_) proc_->signal(SIGSTOP);
}

void redis_server::resume() {
    if (proc_) proc_->signal(SIGCONT);
}

redis_server::~redis_server() {
    stop();
}

void redis_server::start() {
    std::vector<std::string> argv{"/usr/bin/redis-server",
                                  std::string(CRENEAU_SOURCE_DIR) + "/deploy/redis.conf",
                                  "--port",
                                  std::to_string(port_),
                                  "--bind",
                                  "127.0.0.1",
                                  "--dir",
                                  dir_.path().string(),
                                  "--daemonize",
                                  "no"};
    argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
    proc_ = std::make_unique<child_process>(argv, dir_.path() / "redis.log");
    // Ready once it accepts a connection.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::socket s(ioc);
        boost::system::error_code ec;
        s.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
        if (!ec) return;
        if (!proc_->running() || std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("redis-server did not start: " +
                                     read_file(dir_.path() / "redis.log"));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void redis_server::stop() {
    if (!proc_) return;
    proc_->signal(SIGCONT);
    proc_->signal(SIGTERM);
    proc_->wait_exit(std::chrono::seconds(10));
    proc_.reset();
}

}  // namespace creneau::test
