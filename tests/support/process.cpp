#include "support/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace creneau::test {

temp_dir::temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "creneau-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

temp_dir::~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

child_process::child_process(const std::vector<std::string>& argv,
                             const std::filesystem::path& log_file,
                             const std::vector<std::string>& extra_env,
                             const std::optional<std::string>& stdin_text) {
    int in_pipe[2] = {-1, -1};
    if (stdin_text && ::pipe(in_pipe) != 0) throw std::runtime_error("pipe failed");
    int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) throw std::runtime_error("cannot open " + log_file.string());

    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    for (const auto& e : extra_env) env_strings.push_back(e);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> cargv;
    for (auto& a : args) cargv.push_back(a.data());
    cargv.push_back(nullptr);

    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        if (stdin_text) {
            ::dup2(in_pipe[0], STDIN_FILENO);
            ::close(in_pipe[0]);
            ::close(in_pipe[1]);
        } else {
            int devnull = ::open("/dev/null", O_RDONLY);
            ::dup2(devnull, STDIN_FILENO);
        }
        ::dup2(log_fd, STDOUT_FILENO);
        ::dup2(log_fd, STDERR_FILENO);
        ::execve(cargv[0], cargv.data(), envp.data());
        std::fprintf(stderr, "exec %s failed: %s\n", cargv[0], std::strerror(errno));
        ::_exit(127);
    }
    ::close(log_fd);
    if (stdin_text) {
        ::close(in_pipe[0]);
        std::size_t off = 0;
        while (off < stdin_text->size()) {
            auto n = ::write(in_pipe[1], stdin_text->data() + off, stdin_text->size() - off);
            if (n <= 0) break;
            off += static_cast<std::size_t>(n);
        }
        ::close(in_pipe[1]);
    }
}

child_process::~child_process() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        int st;
        ::waitpid(pid_, &st, 0);
    }
}

void child_process::signal(int signo) {
    if (!status_) ::kill(pid_, signo);
}

bool child_process::running() {
    if (status_) return false;
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return false;
    }
    return r == 0;
}

std::optional<int> child_process::wait_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return status_;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string creneau_binary() {
    // CRENEAU_TEST_BINARY runs the suite against another build (e.g. an older one, to see
    // a new test fail there first).
    if (const char* other = std::getenv("CRENEAU_TEST_BINARY"); other && *other) return other;
    return CRENEAU_BINARY;
}

std::chrono::milliseconds scaled(std::chrono::milliseconds ms) {
#ifdef CRENEAU_SANITIZED
    return ms * 4;
#else
    return ms;
#endif
}

}  // namespace creneau::test
