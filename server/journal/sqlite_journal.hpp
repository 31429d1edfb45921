#pragma once
// The SQLite journal, the default: one file, WAL, synchronous=FULL, so that an
// acknowledged append survives a crash or power loss. Appends by another process on the
// same file (e.g. `creneau user add` beside a running server) are noticed by polling
// SQLite's data_version on a watcher thread.
//
// Thread safety: append, read, lock_now and unlock use the writer connection and must be called
// from one thread at a time (the one holding the ledger's writer's role); the watcher thread has
// its own connection.

#include "server/journal/journal.hpp"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

struct sqlite3;
struct sqlite3_stmt;

namespace creneau::server {

class sqlite_journal final : public journal {
  public:
    enum class access { read_write, read_only };
    // Opens (creating if needed) `file`; read-only, an existing journal is opened without
    // writing anything to it (appends are refused). Throws journal_error naming the file.
    explicit sqlite_journal(const std::filesystem::path& file,
                            std::chrono::milliseconds poll = std::chrono::milliseconds(50),
                            access mode = access::read_write);
    ~sqlite_journal() override;

    append_result append(std::int64_t expected, const std::vector<stored_fact>& facts) override;
    bool lock_now() noexcept override;
    void unlock() noexcept override;
    std::vector<stored_fact> read(std::int64_t after, std::size_t max) override;
    void on_appended(std::function<void(std::vector<stored_fact>)> callback) override;
    bool available() const override { return true; }
    std::string backend() const override { return "sqlite"; }
    bool local() const override { return true; }
    void close() override;

  private:
    void finalize();
    void watch();

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
    // The append's statements, prepared once (by the thread holding the ledger's writer's role
    // only; none when read-only).
    struct prepared {
        sqlite3_stmt* begin = nullptr;
        sqlite3_stmt* head = nullptr;
        sqlite3_stmt* insert = nullptr;
        sqlite3_stmt* commit = nullptr;
    } appends_;
    std::chrono::milliseconds poll_;
    std::mutex callback_mutex_;
    std::function<void(std::vector<stored_fact>)> callback_;
    std::atomic<bool> stopping_{false};
    std::mutex stop_mutex_;
    std::condition_variable stop_cv_;  // the watcher's wait between two polls
    std::thread watcher_;
    std::int64_t own_head_ = 0;  // head after our own last append (guarded by callback_mutex_)
    bool read_only_ = false;     // opened read-only: every append is refused
};

}  // namespace creneau::server
