#pragma once
// The Redis journal, for several instances: a Redis Function (loaded at start, versioned)
// appends only if the head is the expected one, XADDs the facts to a stream and PUBLISHes
// them on a channel, atomically. Every instance subscribes to the channel; the ledger fills
// any gap with XRANGE. Connections are re-established by themselves with backoff, and after
// a reconnect the subscriber tells the ledger to catch up. Durability comes from Redis's
// `appendonly yes` + `appendfsync always` (deploy/redis.conf).
//
// Thread safety: the hiredis connections live on a private io_context run by one thread
// of this class. append and read are called from the ledger's thread and wait for the reply
// with a deadline; they never block an I/O thread of the HTTP server.

#include "server/journal/journal.hpp"

#include <boost/asio.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

namespace creneau::server {

class redis_link;

struct redis_endpoint {
    std::string host = "127.0.0.1";
    int port = 6379;
    int db = 0;
    std::string password;
    std::string prefix =
        "creneau";  // keys and channel: PREFIX:facts, PREFIX:head, PREFIX:db:N:facts
};

// Parses redis://[:password@]host[:port][/db][?prefix=NAME]. Throws std::invalid_argument.
redis_endpoint parse_redis_url(const std::string& url);

class redis_journal final : public journal {
  public:
    // Connects and loads the function; throws journal_error if Redis cannot be reached
    // within `connect_timeout`.
    explicit redis_journal(redis_endpoint ep,
                           std::chrono::milliseconds connect_timeout = std::chrono::seconds(5),
                           std::chrono::milliseconds reply_timeout = std::chrono::seconds(3));
    ~redis_journal() override;

    append_result append(std::int64_t expected, const std::vector<stored_fact>& facts) override;
    std::vector<stored_fact> read(std::int64_t after, std::size_t max) override;
    void on_appended(std::function<void(std::vector<stored_fact>)> callback) override;
    bool available() const override { return commands_up_.load(); }
    std::string problem() const override;
    std::string backend() const override { return "redis"; }
    bool local() const override { return false; }
    void close() override;

  private:
    struct reply_value;
    void connect_commands();
    void connect_subscriber();
    void schedule(std::function<void()> fn, std::chrono::milliseconds& backoff);
    // Sends a command from the ledger's thread and waits for its reply. `sent` tells whether
    // the command left for Redis (a missing reply then leaves its effect unknown).
    std::optional<reply_value> call(std::vector<std::string> argv, std::string& error, bool& sent);
    // Authenticates and selects the database on a new connection, then runs `then`; a
    // refusal (wrong password, no such database) is recorded as the journal's problem.
    void handshake(const std::shared_ptr<redis_link>& link, std::function<void()> then);
    void set_problem(std::string p);
    void subscribe(const std::shared_ptr<redis_link>& link, const std::string& channel);
    void deliver(std::vector<stored_fact> facts);

    redis_endpoint ep_;
    std::chrono::milliseconds reply_timeout_;
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::shared_ptr<redis_link> commands_;
    std::shared_ptr<redis_link> subscriber_;
    std::chrono::milliseconds command_backoff_{50};
    std::chrono::milliseconds subscriber_backoff_{50};
    std::atomic<bool> commands_up_{false};
    std::atomic<bool> refused_{false};  // Redis refused our credentials or database
    mutable std::mutex problem_mutex_;
    std::string problem_;
    std::atomic<bool> closing_{false};
    std::mutex callback_mutex_;
    std::function<void(std::vector<stored_fact>)> callback_;
    std::thread thread_;
};

}  // namespace creneau::server
