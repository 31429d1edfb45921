#include "server/journal/sqlite_journal.hpp"

#include "server/ops/thread_name.hpp"

#include <sqlite3.h>

#include <condition_variable>

namespace creneau::server {
namespace {

// How long a statement waits for a lock another connection holds (another process's append, a
// checkpoint) before it fails with SQLITE_BUSY.
constexpr int busy_timeout_ms = 10000;

// A prepared statement, finalized on scope exit.
class statement {
  public:
    statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
            throw journal_error(std::string("SQLite: cannot prepare '") + sql +
                                "': " + sqlite3_errmsg(db));
    }
    ~statement() { sqlite3_finalize(stmt_); }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    sqlite3_stmt* get() { return stmt_; }
    int step() { return sqlite3_step(stmt_); }

  private:
    sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw journal_error(std::string("SQLite: '") + sql + "' failed: " + msg);
    }
}

sqlite3* open_db(const std::filesystem::path& file, bool create, bool read_only = false) {
    sqlite3* db = nullptr;
    int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX |
                (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(file.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw journal_error("cannot open the journal " + file.string() + ": " + msg);
    }
    sqlite3_busy_timeout(db, busy_timeout_ms);
    return db;
}

std::int64_t head_of(sqlite3* db) {
    statement st(db, "SELECT COALESCE(MAX(seq), 0) FROM facts");
    if (st.step() != SQLITE_ROW)
        throw journal_error(std::string("SQLite: cannot read the head: ") + sqlite3_errmsg(db));
    return sqlite3_column_int64(st.get(), 0);
}

std::string text_column(sqlite3_stmt* st, int col, std::int64_t seq, const char* name) {
    auto* p = sqlite3_column_text(st, col);
    if (!p || sqlite3_column_type(st, col) != SQLITE_TEXT)
        throw journal_error("journal fact " + std::to_string(seq) + ": column '" + name +
                            "' is not text");
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<std::size_t>(sqlite3_column_bytes(st, col)));
}

std::vector<stored_fact> read_from(sqlite3* db, std::int64_t after, std::size_t max) {
    statement st(
        db, "SELECT seq, at, actor, kind, body FROM facts WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    sqlite3_bind_int64(st.get(), 1, after);
    sqlite3_bind_int64(st.get(), 2, static_cast<sqlite3_int64>(max));
    std::vector<stored_fact> out;
    int rc;
    std::int64_t expected = after + 1;
    while ((rc = st.step()) == SQLITE_ROW) {
        stored_fact f;
        f.seq = sqlite3_column_int64(st.get(), 0);
        if (f.seq != expected)
            throw journal_error("journal fact " + std::to_string(expected) + " is missing (found " +
                                std::to_string(f.seq) + " after " + std::to_string(expected - 1) +
                                ")");
        f.at = text_column(st.get(), 1, f.seq, "at");
        f.actor = text_column(st.get(), 2, f.seq, "actor");
        f.kind = text_column(st.get(), 3, f.seq, "kind");
        f.body = text_column(st.get(), 4, f.seq, "body");
        out.push_back(std::move(f));
        ++expected;
    }
    if (rc != SQLITE_DONE)
        throw journal_error("journal: reading after fact " + std::to_string(expected - 1) +
                            " failed: " + sqlite3_errmsg(db));
    return out;
}

}  // namespace

sqlite_journal::sqlite_journal(const std::filesystem::path& file, std::chrono::milliseconds poll,
                               access mode)
    : file_(file), poll_(poll), read_only_(mode == access::read_only) {
    db_ = open_db(file, !read_only_, read_only_);
    try {
        if (read_only_) {
            statement st(db_, "SELECT value FROM meta WHERE key = 'schema'");
            auto* v = st.step() == SQLITE_ROW ? sqlite3_column_text(st.get(), 0) : nullptr;
            if (!v || std::string(reinterpret_cast<const char*>(v)) != "1")
                throw journal_error("the journal " + file.string() +
                                    " has a schema this version does not know");
            own_head_ = head_of(db_);
            return;
        }
        exec(db_, "PRAGMA journal_mode=WAL");
        // FULL: the WAL is synced at every commit, so an acknowledged fact survives power loss.
        exec(db_, "PRAGMA synchronous=FULL");
        exec(db_,
             "CREATE TABLE IF NOT EXISTS facts ("
             " seq INTEGER PRIMARY KEY,"
             " at TEXT NOT NULL,"
             " actor TEXT NOT NULL,"
             " kind TEXT NOT NULL,"
             " body TEXT NOT NULL)");
        exec(db_, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        exec(db_, "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '1')");
        statement st(db_, "SELECT value FROM meta WHERE key = 'schema'");
        if (st.step() != SQLITE_ROW ||
            std::string(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0))) != "1")
            throw journal_error("the journal " + file.string() +
                                " has a schema this version does not know");
        own_head_ = head_of(db_);
        for (auto [slot, sql] :
             {std::pair{&appends_.begin, "BEGIN IMMEDIATE"},
              std::pair{&appends_.head, "SELECT COALESCE(MAX(seq), 0) FROM facts"},
              std::pair{
                  &appends_.insert,
                  "INSERT INTO facts(seq, at, actor, kind, body) VALUES (?1, ?2, ?3, ?4, ?5)"},
              std::pair{&appends_.commit, "COMMIT"}})
            if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, nullptr) !=
                SQLITE_OK)
                throw journal_error(std::string("SQLite: cannot prepare '") + sql +
                                    "': " + sqlite3_errmsg(db_));
    } catch (const journal_error& e) {
        finalize();
        sqlite3_close(db_);
        db_ = nullptr;
        throw journal_error(file.string() + ": " + e.what());
    }
}

sqlite_journal::~sqlite_journal() {
    close();
    finalize();
    if (db_) sqlite3_close(db_);
}

void sqlite_journal::finalize() {
    for (auto* slot : {&appends_.begin, &appends_.head, &appends_.insert, &appends_.commit}) {
        sqlite3_finalize(*slot);
        *slot = nullptr;
    }
}

namespace {

// Runs a prepared statement that returns no row, and makes it ready to run again.
void run(sqlite3* db, sqlite3_stmt* st) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        throw journal_error(std::string("SQLite: '") + sqlite3_sql(st) +
                            "' failed: " + sqlite3_errmsg(db));
}

}  // namespace

void sqlite_journal::close() {
    {
        // Woken now rather than at the end of its poll's wait.
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    if (watcher_.joinable()) watcher_.join();
}

bool sqlite_journal::lock_now() noexcept {
    if (read_only_) return true;  // the append refuses
    // BEGIN IMMEDIATE with the busy timeout off for this step alone: SQLITE_BUSY at once if
    // another connection holds the write lock. Any other failure: the command goes to the
    // writer thread too, whose append says what it is.
    sqlite3_busy_timeout(db_, 0);
    const int rc = sqlite3_step(appends_.begin);
    sqlite3_reset(appends_.begin);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    return rc == SQLITE_DONE;
}

void sqlite_journal::unlock() noexcept {
    // A failed rollback leaves the transaction open: the next append goes on in it, and its head
    // check holds all the same.
    if (db_ && !sqlite3_get_autocommit(db_))
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

append_result sqlite_journal::append(std::int64_t expected, const std::vector<stored_fact>& facts) {
    if (read_only_) return {append_status::unavailable, expected, "the journal is open read-only"};
    try {
        // IMMEDIATE: take the write lock now, so the head read below stays the head; unless
        // lock_now took it already.
        if (sqlite3_get_autocommit(db_)) run(db_, appends_.begin);
        try {
            std::int64_t head = 0;
            {
                auto* st = appends_.head;
                int rc = sqlite3_step(st);
                if (rc == SQLITE_ROW) head = sqlite3_column_int64(st, 0);
                sqlite3_reset(st);
                if (rc != SQLITE_ROW)
                    throw journal_error(std::string("SQLite: cannot read the head: ") +
                                        sqlite3_errmsg(db_));
            }
            if (head != expected) {
                exec(db_, "ROLLBACK");
                return {append_status::conflict, head, {}};
            }
            auto* ins = appends_.insert;
            std::int64_t seq = expected;
            for (const auto& f : facts) {
                ++seq;
                sqlite3_bind_int64(ins, 1, seq);
                sqlite3_bind_text(ins, 2, f.at.data(), static_cast<int>(f.at.size()),
                                  SQLITE_STATIC);
                sqlite3_bind_text(ins, 3, f.actor.data(), static_cast<int>(f.actor.size()),
                                  SQLITE_STATIC);
                sqlite3_bind_text(ins, 4, f.kind.data(), static_cast<int>(f.kind.size()),
                                  SQLITE_STATIC);
                sqlite3_bind_text(ins, 5, f.body.data(), static_cast<int>(f.body.size()),
                                  SQLITE_STATIC);
                int rc = sqlite3_step(ins);
                sqlite3_reset(ins);
                // The facts' text is not ours to keep pointing at.
                sqlite3_clear_bindings(ins);
                if (rc != SQLITE_DONE)
                    throw journal_error(std::string("SQLite: insert failed: ") +
                                        sqlite3_errmsg(db_));
            }
            run(db_, appends_.commit);
            {
                std::lock_guard lock(callback_mutex_);
                own_head_ = seq;
            }
            return {append_status::ok, seq, {}};
        } catch (const journal_error&) {
            // The transaction may already be gone; a failed rollback changes nothing.
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    } catch (const journal_error& e) {
        return {append_status::unavailable, expected, e.what()};
    }
}

std::vector<stored_fact> sqlite_journal::read(std::int64_t after, std::size_t max) {
    return read_from(db_, after, max);
}

void sqlite_journal::on_appended(std::function<void(std::vector<stored_fact>)> callback) {
    {
        std::lock_guard lock(callback_mutex_);
        callback_ = std::move(callback);
    }
    if (!watcher_.joinable())
        watcher_ = std::thread([this] {
            name_this_thread("journal watch");
            watch();
        });
}

void sqlite_journal::watch() {
    sqlite3* db = nullptr;
    try {
        db = open_db(file_, false);
        std::int64_t last_version = -1;
        std::int64_t seen = -1;
        while (!stopping_) {
            std::int64_t version = 0;
            {
                statement st(db, "PRAGMA data_version");
                if (st.step() == SQLITE_ROW) version = sqlite3_column_int64(st.get(), 0);
            }
            if (version != last_version) {
                last_version = version;
                auto head = head_of(db);
                std::function<void(std::vector<stored_fact>)> cb;
                bool foreign = false;
                {
                    std::lock_guard lock(callback_mutex_);
                    cb = callback_;
                    // Our own appends are known to the ledger already; tell it only of others'.
                    foreign = seen >= 0 && head > std::max(seen, own_head_);
                }
                if (foreign && cb) cb(read_from(db, std::max(seen, std::int64_t{0}), 100000));
                seen = head;
            }
            std::unique_lock lock(stop_mutex_);
            stop_cv_.wait_for(lock, poll_, [&] { return stopping_.load(); });
        }
    } catch (const journal_error&) {
        // The watcher only speeds up noticing other writers; the ledger still reads on demand.
    }
    if (db) sqlite3_close(db);
}

}  // namespace creneau::server
