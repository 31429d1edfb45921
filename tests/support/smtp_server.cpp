#include "support/smtp_server.hpp"

#include "support/redis_server.hpp"

#include <boost/asio.hpp>

#include <csignal>
#include <cstdlib>
#include <thread>

namespace creneau::test {

smtp_server::smtp_server(std::vector<std::string> refused)
    : refused_(std::move(refused)), port_(free_port()) {
    start();
}

smtp_server::~smtp_server() {
    stop();
}

void smtp_server::start() {
    std::vector<std::string> argv{"/usr/bin/python3",
                                  std::string(CRENEAU_SOURCE_DIR) + "/tests/support/smtp_sink.py",
                                  std::to_string(port_), (dir_.path() / "mail").string()};
    for (const auto& r : refused_) {
        argv.push_back("--refuse");
        argv.push_back(r);
    }
    proc_ = std::make_unique<child_process>(argv, dir_.path() / "smtp.log");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::socket s(ioc);
        boost::system::error_code ec;
        s.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
        if (!ec) return;
        if (!proc_->running() || std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("the SMTP server did not start: " +
                                     read_file(dir_.path() / "smtp.log"));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void smtp_server::stop() {
    if (!proc_) return;
    proc_->signal(SIGTERM);
    if (!proc_->wait_exit(std::chrono::seconds(10))) proc_->signal(SIGKILL);
    proc_.reset();
}

std::vector<nlohmann::json> smtp_server::messages() {
    for (;;) {
        char name[16];
        std::snprintf(name, sizeof name, "%06zu", read_.size() + 1);
        auto eml = dir_.path() / "mail" / (std::string(name) + ".eml");
        auto envelope = dir_.path() / "mail" / (std::string(name) + ".json");
        if (!std::filesystem::exists(eml) || !std::filesystem::exists(envelope)) break;
        auto out = dir_.path() / "read.json";
        auto cmd = "/usr/bin/python3 " + std::string(CRENEAU_SOURCE_DIR) +
                   "/tests/support/read_mail.py " + eml.string() + " > " + out.string() + " 2>&1";
        if (std::system(cmd.c_str()) != 0)
            throw std::runtime_error("read_mail.py failed: " + read_file(out));
        auto m = nlohmann::json::parse(read_file(out));
        m["rcpt"] = nlohmann::json::parse(read_file(envelope))["to"];
        read_.push_back(std::move(m));
    }
    return read_;
}

std::vector<nlohmann::json> smtp_server::wait_for(std::size_t n,
                                                  std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (messages().size() < n && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return read_;
}

}  // namespace creneau::test
