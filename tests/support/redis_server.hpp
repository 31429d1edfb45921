#pragma once
// Test support: Redis for the tests. The suite's shared private redis-server (started by
// CTest, tests/redis-fixture.sh), and private ones a test can stop and restart itself.

#include "support/process.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace creneau::test {

// The port of the suite's redis-server; fails the test if the fixture did not start it.
std::uint16_t shared_redis_port();

// A key prefix no other test uses, so that tests share one Redis without seeing each other.
std::string unique_prefix();

// redis://127.0.0.1:PORT?prefix=PREFIX
std::string redis_url(std::uint16_t port, const std::string& prefix);

// A free TCP port on 127.0.0.1 (bound then released).
std::uint16_t free_port();

// A redis-server of the test's own, with deploy/redis.conf, in its own folder, so it can be
// stopped and started again on the same port with its data.
class redis_server {
  public:
    // `extra_args` go to redis-server after the shipped configuration (e.g. requirepass).
    explicit redis_server(std::vector<std::string> extra_args = {});
    ~redis_server();
    void start();
    void stop();    // SIGTERM, and waits for the exit
    void pause();   // SIGSTOP: Redis holds every connection and answers nothing
    void resume();  // SIGCONT
    std::uint16_t port() const { return port_; }
    // Its folder: the append-only files.
    const std::filesystem::path& dir() const { return dir_.path(); }

  private:
    temp_dir dir_;
    std::vector<std::string> extra_args_;
    std::uint16_t port_;
    std::unique_ptr<child_process> proc_;
};

}  // namespace creneau::test
