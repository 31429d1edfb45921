#pragma once
// Test support: real child processes (the creneau server, redis-server) and temporary folders.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace creneau::test {

// A fresh folder under the system's temporary folder, removed when this goes away.
class temp_dir {
  public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// A child process with its standard output and error going to `log_file`.
// The destructor kills it (SIGKILL) if it still runs.
class child_process {
  public:
    child_process(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                  const std::vector<std::string>& extra_env = {},
                  const std::optional<std::string>& stdin_text = std::nullopt);
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    pid_t pid() const { return pid_; }
    void signal(int signo);
    // The exit status (WEXITSTATUS, or 128 + signal) if it ended within `timeout`.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    bool running();

  private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

// The whole text of a file ("" if it cannot be read).
std::string read_file(const std::filesystem::path& path);

// Waits until `predicate(text of file)` holds or the deadline passes; returns whether it held.
template <class Pred>
bool wait_for_file(const std::filesystem::path& path, std::chrono::milliseconds timeout,
                   Pred predicate);

// The path of the creneau binary under test.
std::string creneau_binary();

// Sanitizer builds are several times slower: deadlines scale with this factor.
std::chrono::milliseconds scaled(std::chrono::milliseconds ms);

}  // namespace creneau::test

#include <thread>

namespace creneau::test {

template <class Pred>
bool wait_for_file(const std::filesystem::path& path, std::chrono::milliseconds timeout,
                   Pred predicate) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (predicate(read_file(path))) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace creneau::test
