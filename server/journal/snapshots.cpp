#include "server/journal/snapshots.hpp"

#include "server/journal/redis_client.hpp"

#include "common/state_codec.hpp"

#include <hiredis/hiredis.h>
#include <sodium.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <future>
#include <stdexcept>

namespace creneau::server {
namespace {

// ---- SQLite -------------------------------------------------------------------------------

class sqlite_snapshots final : public snapshot_store {
  public:
    explicit sqlite_snapshots(const std::filesystem::path& file) : file_(file) {
        if (sqlite3_open_v2(file.c_str(), &db_,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                            nullptr) != SQLITE_OK) {
            std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("cannot open the snapshots " + file.string() + ": " + why);
        }
        sqlite3_busy_timeout(db_, 10000);
        try {
            // The state in clear: its owner's alone (SQLite gives its WAL the same mode).
            ::chmod(file.c_str(), S_IRUSR | S_IWUSR);
            exec("PRAGMA page_size=65536");
            exec("PRAGMA journal_mode=WAL");
            exec("PRAGMA secure_delete=ON");
            exec(
                "CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY, sealed BLOB NOT "
                "NULL)");
        } catch (...) {
            sqlite3_close(db_);
            throw;
        }
    }
    ~sqlite_snapshots() override { sqlite3_close(db_); }

    std::vector<std::int64_t> list() override {
        auto* st = prepare("SELECT seq FROM snapshots ORDER BY seq");
        std::vector<std::int64_t> out;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) out.push_back(sqlite3_column_int64(st, 0));
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) fail();
        return out;
    }
    // Read straight into the string through the blob interface: sqlite3_column_blob would
    // first gather the snapshot (180 MB at a million facts) into a buffer of its own.
    std::optional<std::string> load(std::int64_t seq) override {
        sqlite3_blob* blob = nullptr;
        if (sqlite3_blob_open(db_, "main", "snapshots", "sealed", seq, 0, &blob) != SQLITE_OK) {
            std::string why = sqlite3_errmsg(db_);
            if (!has(seq)) return std::nullopt;
            throw std::runtime_error("snapshots " + file_.string() + ": " + why);
        }
        std::string out(static_cast<std::size_t>(sqlite3_blob_bytes(blob)), '\0');
        int rc = sqlite3_blob_read(blob, out.data(), static_cast<int>(out.size()), 0);
        sqlite3_blob_close(blob);
        if (rc != SQLITE_OK) fail();
        return out;
    }
    void save(std::int64_t seq, const std::string& sealed) override {
        auto* st = prepare("INSERT OR REPLACE INTO snapshots (seq, sealed) VALUES (?1, ?2)");
        sqlite3_bind_int64(st, 1, seq);
        sqlite3_bind_blob64(st, 2, sealed.data(), sealed.size(), SQLITE_STATIC);
        done(st);
    }
    void remove(std::int64_t seq) override {
        auto* st = prepare("DELETE FROM snapshots WHERE seq = ?1");
        sqlite3_bind_int64(st, 1, seq);
        done(st);
    }
    void remove_all() override {
        exec("DELETE FROM snapshots");
        exec("VACUUM");
        exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::string name() const override { return "sqlite"; }

  private:
    bool has(std::int64_t seq) {
        auto* st = prepare("SELECT 1 FROM snapshots WHERE seq = ?1");
        sqlite3_bind_int64(st, 1, seq);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail();
        return rc == SQLITE_ROW;
    }
    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string why = err ? err : "unknown error";
            sqlite3_free(err);
            throw std::runtime_error("snapshots " + file_.string() + ": " + why);
        }
    }
    [[noreturn]] void fail() {
        throw std::runtime_error("snapshots " + file_.string() + ": " + sqlite3_errmsg(db_));
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) fail();
        return st;
    }
    void done(sqlite3_stmt* st) {
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) fail();
    }

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
};

// ---- Redis --------------------------------------------------------------------------------

// One string key per snapshot, PREFIX:snapshot:SEQ, and the set PREFIX:snapshots of their
// sequence numbers. A snapshot is sent in pieces of 1 MiB appended to a key of its own, then
// renamed into place: Redis, which runs one command at a time, goes on taking the journal's
// appends between the pieces instead of stalling for the whole write.
class redis_snapshots final : public snapshot_store {
  public:
    explicit redis_snapshots(const redis_endpoint& ep)
        : redis_(ep, "snapshots"), prefix_(ep.prefix) {}

    std::vector<std::int64_t> list() override {
        auto r = redis_.call({"SMEMBERS", index()});
        std::vector<std::int64_t> out;
        if (r->type != REDIS_REPLY_ARRAY) return out;
        for (std::size_t i = 0; i < r->elements; ++i) {
            const auto* e = r->element[i];
            if (e->type != REDIS_REPLY_STRING) continue;
            try {
                std::size_t used = 0;
                std::string member(e->str, e->len);
                auto seq = std::stoll(member, &used);
                if (used == member.size() && seq > 0) out.push_back(seq);
            } catch (const std::exception&) {
                // Not a member of ours: left alone.
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    std::optional<std::string> load(std::int64_t seq) override {
        std::string out;
        for (std::size_t at = 0;; at += piece) {
            auto r = redis_.call(
                {"GETRANGE", key(seq), std::to_string(at), std::to_string(at + piece - 1)});
            if (r->type != REDIS_REPLY_STRING) return std::nullopt;
            out.append(r->str, r->len);
            if (r->len < piece) break;
        }
        if (out.empty()) return std::nullopt;
        return out;
    }
    void save(std::int64_t seq, const std::string& sealed) override {
        const auto partial = key(seq) + ":partial";
        redis_.call({"DEL", partial});
        for (std::size_t at = 0; at < sealed.size(); at += piece)
            redis_.call({"APPEND", partial, sealed.substr(at, piece)});
        redis_.call({"RENAME", partial, key(seq)});
        redis_.call({"SADD", index(), std::to_string(seq)});
    }
    void remove(std::int64_t seq) override {
        redis_.call({"SREM", index(), std::to_string(seq)});
        redis_.call({"DEL", key(seq)});
    }
    // The AOF is rewritten by the key store's removal, which follows (ledger::forget).
    void remove_all() override {
        for (auto seq : list()) remove(seq);
        auto partial = redis_.call({"KEYS", prefix_ + ":snapshot:*:partial"});
        if (partial->type == REDIS_REPLY_ARRAY)
            for (std::size_t i = 0; i < partial->elements; ++i)
                if (partial->element[i]->type == REDIS_REPLY_STRING)
                    redis_.call(
                        {"DEL", std::string(partial->element[i]->str, partial->element[i]->len)});
    }
    std::string name() const override { return "redis"; }

  private:
    static constexpr std::size_t piece = 1 << 20;
    std::string index() const { return prefix_ + ":snapshots"; }
    std::string key(std::int64_t seq) const { return prefix_ + ":snapshot:" + std::to_string(seq); }

    redis_client redis_;
    std::string prefix_;
};

// ---- sealing ------------------------------------------------------------------------------

constexpr std::string_view magic = "CRENEAU-SNAPSHOT";
constexpr std::uint32_t byte_order = 0x01020304;
constexpr std::size_t checksum_bytes = crypto_generichash_BYTES;  // 32

template <class I>
void put(std::string& out, I v) {
    char b[sizeof v];
    std::memcpy(b, &v, sizeof v);
    out.append(b, sizeof v);
}

template <class I>
I get(std::string_view in, std::size_t& pos) {
    I v;
    if (sizeof v > in.size() - pos) throw std::invalid_argument("its header is cut short");
    std::memcpy(&v, in.data() + pos, sizeof v);
    pos += sizeof v;
    return v;
}

std::string checksum(std::string_view bytes) {
    std::string sum(checksum_bytes, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(sum.data()), sum.size(),
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                       0);
    return sum;
}

}  // namespace

std::unique_ptr<snapshot_store> sqlite_snapshot_store(const std::filesystem::path& file) {
    return std::make_unique<sqlite_snapshots>(file);
}

std::unique_ptr<snapshot_store> redis_snapshot_store(const redis_endpoint& ep) {
    return std::make_unique<redis_snapshots>(ep);
}

std::string anchor_of(const fact& f) {
    const auto body = to_json(f.body).dump();
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(body.data()),
                       body.size(), nullptr, 0);
    char hex[2 * sizeof hash + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    std::string a = format_utc(f.at);
    a.append(" ").append(f.actor).append(" ").append(type_of(f.body)).append(" ").append(hex);
    return a;
}

namespace {

void put_text(std::string& out, std::string_view text) {
    put(out, static_cast<std::uint64_t>(text.size()));
    out.append(text);
}

std::string get_text(std::string_view in, std::size_t& pos) {
    auto size = get<std::uint64_t>(in, pos);
    if (size > in.size() - pos) throw std::invalid_argument("its header is cut short");
    std::string out(in.substr(pos, size));
    pos += size;
    return out;
}

}  // namespace

std::string seal_snapshot(std::int64_t seq, const std::string& build, const std::string& anchor,
                          std::string_view state_bytes) {
    std::string out;
    out.reserve(magic.size() + 64 + build.size() + anchor.size() + state_bytes.size() +
                checksum_bytes);
    out.append(magic);
    put(out, state_format);
    put(out, byte_order);
    put_text(out, build);
    put(out, seq);
    put_text(out, anchor);
    out.append(state_bytes);
    out.append(checksum(out));
    return out;
}

opened_snapshot open_snapshot(std::string_view sealed, std::optional<std::string_view> build,
                              bool twin) {
    if (sealed.size() < magic.size() + checksum_bytes || sealed.substr(0, magic.size()) != magic)
        throw std::invalid_argument("not a snapshot");
    auto body = sealed.substr(0, sealed.size() - checksum_bytes);
    opened_snapshot out;
    std::string_view state_bytes;
    // Why this version cannot read it, from the header alone; said after the checksum, which
    // tells damage first.
    auto unreadable = [&]() -> std::string {
        std::size_t pos = magic.size();
        auto format = get<std::uint32_t>(body, pos);
        if (format != state_format)
            return "format " + std::to_string(format) + ", this version reads " +
                   std::to_string(state_format);
        if (get<std::uint32_t>(body, pos) != byte_order)
            return "written on a machine of another byte order";
        out.build = get_text(body, pos);
        out.seq = get<std::int64_t>(body, pos);
        out.anchor = get_text(body, pos);
        state_bytes = body.substr(pos);
        if (build && out.build != *build)
            return "written by the build " + out.build + ", this is " + std::string(*build);
        return {};
    };
    std::string refused;
    try {
        refused = unreadable();
    } catch (const std::invalid_argument& e) {
        refused = e.what();
    }
    // The twin of a snapshot this version may read is decoded before the checksum is known: the
    // decoder checks every length it reads, and damaged bytes only cost a decoding thrown away.
    // Leaving early (a throw) waits for it in the future's destructor.
    std::future<state> second;
    if (twin && refused.empty())
        second =
            std::async(std::launch::async, [state_bytes] { return decode_state(state_bytes); });
    if (checksum(body) != sealed.substr(body.size()))
        throw std::invalid_argument("its checksum does not match: damaged");
    if (!refused.empty()) throw std::invalid_argument(refused);
    out.s = decode_state(state_bytes);
    if (twin) out.twin = second.get();
    if (out.s.seq != out.seq)
        throw std::invalid_argument("its state is not at the sequence number it says");
    return out;
}

}  // namespace creneau::server
