#pragma once
// Test support: the real creneau server started as a child process on a free loopback port.

#include "support/process.hpp"

#include <memory>

namespace creneau::test {

struct server_options {
    std::filesystem::path data_dir;       // SQLite journal folder (empty: a fresh temporary one)
    std::string redis_url;                // non-empty: the Redis journal
    std::vector<std::string> extra_args;  // more flags
    std::vector<std::string> extra_env;   // NAME=VALUE
};

class server_process {
  public:
    // Starts creneau with `--listen 127.0.0.1:0` and waits for its "listening" log line.
    // Throws std::runtime_error (with the log) if it does not start in time.
    explicit server_process(server_options opts = {});

    std::uint16_t port() const { return port_; }
    child_process& process() { return *proc_; }
    const std::filesystem::path& log_path() const { return log_; }
    std::string log() const { return read_file(log_); }
    const std::filesystem::path& data_dir() const { return opts_.data_dir; }

  private:
    std::unique_ptr<temp_dir> own_dir_;
    server_options opts_;
    std::filesystem::path log_;
    std::unique_ptr<child_process> proc_;
    std::uint16_t port_ = 0;
};

}  // namespace creneau::test
