#pragma once
// Test support: a private SMTP server (aiosmtpd, tests/support/smtp_sink.py) on a free
// loopback port, capturing every message to a file; it can be stopped and started again on
// the same port, and its messages are read with Python's email package (read_mail.py).

#include "support/process.hpp"

#include <nlohmann/json.hpp>

#include <memory>

namespace creneau::test {

class smtp_server {
  public:
    // `refused`: addresses answered 550 at RCPT (a permanent failure).
    explicit smtp_server(std::vector<std::string> refused = {});
    ~smtp_server();
    void start();
    void stop();
    std::uint16_t port() const { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

    // The messages received so far, in order, each as read_mail.py gives it, with the
    // envelope's recipients under "rcpt".
    std::vector<nlohmann::json> messages();
    // Waits until at least `n` messages arrived; returns them.
    std::vector<nlohmann::json> wait_for(std::size_t n, std::chrono::milliseconds timeout);

  private:
    temp_dir dir_;
    std::vector<std::string> refused_;
    std::uint16_t port_;
    std::unique_ptr<child_process> proc_;
    std::vector<nlohmann::json> read_;  // messages already parsed
};

}  // namespace creneau::test
