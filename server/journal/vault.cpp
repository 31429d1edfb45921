#include "server/journal/vault.hpp"

#include "server/journal/ledger.hpp"
#include "server/journal/redis_client.hpp"
#include "server/ops/log.hpp"

#include "common/privacy/rules.hpp"

#include <hiredis/hiredis.h>
#include <sodium.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <array>
#include <stdexcept>

namespace creneau::server {
namespace {

// ---- What is personal in a fact -----------------------------------------------------------

// The facts that carry personal fields, whose subject they are (a prefix and the field naming
// the person), and those fields. docs/privacy.md's inventory lists the same.
struct personal_kind {
    std::string_view type;
    std::string_view prefix;
    std::string_view id;                     // the field naming the person
    std::array<std::string_view, 3> fields;  // "" past the last
};
constexpr personal_kind personal_kinds[] = {
    {"user-added", "user:", "id", {"name", "email", "password_hash"}},
    {"user-changed", "user:", "id", {"name", "", ""}},
    {"password-set", "user:", "user", {"password_hash", "", ""}},
    {"registered", "registration:", "id", {"name", "email", "answers"}},
};

const personal_kind* personal_kind_of(std::string_view type) {
    for (const auto& k : personal_kinds)
        if (k.type == type) return &k;
    return nullptr;
}

// What an erased field reads as: the same values as the erasure fact gives the state
// (common/privacy/apply.cpp).
json placeholder(std::string_view field) {
    if (field == "name") return std::string(erased_name);
    if (field == "answers") return json::object();
    return "";
}

constexpr std::size_t key_bytes = crypto_secretbox_KEYBYTES;

std::string seal_text(const std::string& plain, const std::string& key) {
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
    auto* out = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), out,
                          reinterpret_cast<const unsigned char*>(key.data()));
    std::string b64(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), out, box.size(), sodium_base64_VARIANT_ORIGINAL);
    b64.pop_back();  // the terminating zero
    return b64;
}

// The plain text of a box, or nullopt if it was not sealed with this key (tampered).
std::optional<std::string> open_text(const std::string& b64, const std::string& key) {
    std::string box(b64.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), b64.data(),
                          b64.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return std::nullopt;
    const auto* in = reinterpret_cast<const unsigned char*>(box.data());
    std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   in + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, in,
                                   reinterpret_cast<const unsigned char*>(key.data())) != 0)
        return std::nullopt;
    return plain;
}

std::string fresh_key() {
    std::string key(key_bytes, '\0');
    crypto_secretbox_keygen(reinterpret_cast<unsigned char*>(key.data()));
    return key;
}

// The subject a stored body's seal names, checked against the fact it is in: "" if unsealed.
std::string subject_of(const json& body, std::string_view kind) {
    auto sealed = body.find("sealed");
    if (sealed == body.end()) return {};
    const auto* k = personal_kind_of(kind);
    if (!k || !sealed->is_object()) throw std::invalid_argument("/sealed: not a seal of this fact");
    auto subject = sealed->find("subject");
    auto box = sealed->find("box");
    auto id = body.find(k->id);
    if (subject == sealed->end() || !subject->is_string() || box == sealed->end() ||
        !box->is_string() || id == body.end() || !id->is_string() ||
        subject->get_ref<const std::string&>() !=
            std::string(k->prefix) + id->get_ref<const std::string&>())
        throw std::invalid_argument("/sealed: not the seal of this fact's person");
    return subject->get<std::string>();
}

// ---- SQLite -------------------------------------------------------------------------------

class sqlite_keys final : public key_store {
  public:
    sqlite_keys(const std::filesystem::path& file, bool read_only) : file_(file) {
        const bool absent = !std::filesystem::exists(file);
        const auto where = read_only && absent ? std::string(":memory:") : file.string();
        const int flags = read_only && !absent ? SQLITE_OPEN_READONLY
                                               : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        if (sqlite3_open_v2(where.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr) !=
            SQLITE_OK) {
            std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("cannot open the key store " + file.string() + ": " + why);
        }
        sqlite3_busy_timeout(db_, 10000);
        try {
            // A deleted key is overwritten in its page, and its page's old copies leave the
            // WAL at the checkpoint that follows each erasure (remove).
            exec("PRAGMA secure_delete=ON");
            if (!(read_only && !absent)) {
                // Its owner's alone (SQLite gives its WAL the same mode).
                ::chmod(file.c_str(), S_IRUSR | S_IWUSR);
                exec("PRAGMA journal_mode=WAL");
                exec("PRAGMA synchronous=FULL");
                exec(
                    "CREATE TABLE IF NOT EXISTS keys (subject TEXT PRIMARY KEY, key BLOB NOT "
                    "NULL)");
            }
        } catch (...) {
            sqlite3_close(db_);
            throw;
        }
    }
    ~sqlite_keys() override { sqlite3_close(db_); }

    std::map<std::string, std::string> keys(const std::set<std::string>& subjects,
                                            bool create) override {
        std::map<std::string, std::string> out;
        if (subjects.empty()) return out;
        std::lock_guard lock(mutex_);
        if (create)
            for_each_subject("INSERT OR IGNORE INTO keys (subject, key) VALUES (?1, ?2)", subjects,
                             [](sqlite3_stmt* st) {
                                 auto key = fresh_key();
                                 sqlite3_bind_blob(st, 2, key.data(), static_cast<int>(key.size()),
                                                   SQLITE_TRANSIENT);
                             });
        auto* st = prepare("SELECT key FROM keys WHERE subject = ?1");
        for (const auto& s : subjects) {
            sqlite3_bind_text(st, 1, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
            int rc = sqlite3_step(st);
            if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == static_cast<int>(key_bytes))
                out[s].assign(static_cast<const char*>(sqlite3_column_blob(st, 0)), key_bytes);
            sqlite3_reset(st);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                sqlite3_finalize(st);
                fail();
            }
        }
        sqlite3_finalize(st);
        return out;
    }

    void remove(const std::set<std::string>& subjects) override {
        if (subjects.empty()) return;
        std::lock_guard lock(mutex_);
        for_each_subject("DELETE FROM keys WHERE subject = ?1", subjects, [](sqlite3_stmt*) {});
        // The WAL still holds the pages as they were: copied back and emptied now. A reader
        // in the middle of a read may hold it a moment: the next erasure tries again.
        int logged = 0, copied = 0;
        if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &logged, &copied) !=
            SQLITE_OK)
            log::warn("the key store's WAL could not be emptied",
                      {{"file", file_.string()}, {"error", sqlite3_errmsg(db_)}});
    }

    std::string name() const override { return "sqlite"; }

  private:
    // Runs `sql` once per subject (bound as ?1, `bind` adding the rest), in one transaction.
    template <class Bind>
    void for_each_subject(const char* sql, const std::set<std::string>& subjects, Bind bind) {
        exec("BEGIN IMMEDIATE");
        sqlite3_stmt* st = nullptr;
        try {
            st = prepare(sql);
            for (const auto& s : subjects) {
                sqlite3_bind_text(st, 1, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
                bind(st);
                int rc = sqlite3_step(st);
                sqlite3_reset(st);
                if (rc != SQLITE_DONE) fail();
            }
            sqlite3_finalize(st);
            exec("COMMIT");
        } catch (...) {
            sqlite3_finalize(st);
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }
    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string why = err ? err : "unknown error";
            sqlite3_free(err);
            throw std::runtime_error("key store " + file_.string() + ": " + why);
        }
    }
    [[noreturn]] void fail() {
        throw std::runtime_error("key store " + file_.string() + ": " + sqlite3_errmsg(db_));
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) fail();
        return st;
    }

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
    std::mutex mutex_;
};

// ---- Redis --------------------------------------------------------------------------------

class redis_keys final : public key_store {
  public:
    explicit redis_keys(const redis_endpoint& ep)
        : redis_(ep, "keys"), hash_(ep.prefix + ":keys") {}

    std::map<std::string, std::string> keys(const std::set<std::string>& subjects,
                                            bool create) override {
        std::map<std::string, std::string> out;
        if (subjects.empty()) return out;
        // HSETNX: two instances making the same subject's key keep the first one.
        if (create)
            for (const auto& s : subjects) redis_.call({"HSETNX", hash_, s, fresh_key()});
        std::vector<std::string> argv{"HMGET", hash_};
        argv.insert(argv.end(), subjects.begin(), subjects.end());
        auto r = redis_.call(argv);
        if (r->type != REDIS_REPLY_ARRAY || r->elements != subjects.size())
            throw std::runtime_error("Redis: the key store's answer is not a list of keys");
        std::size_t i = 0;
        for (const auto& s : subjects) {
            const auto* e = r->element[i++];
            if (e->type == REDIS_REPLY_STRING && e->len == key_bytes)
                out[s].assign(e->str, e->len);
            else if (e->type != REDIS_REPLY_NIL)
                throw std::runtime_error("Redis: the key of " + s + " is not a key");
        }
        return out;
    }

    void remove(const std::set<std::string>& subjects) override {
        if (subjects.empty()) return;
        std::vector<std::string> argv{"HDEL", hash_};
        argv.insert(argv.end(), subjects.begin(), subjects.end());
        redis_.call(argv);
        // The AOF still holds the command that set each key: rewritten now, it holds the data
        // as it is. Refused while a rewrite runs, or without an AOF: said in the log.
        try {
            redis_.call({"BGREWRITEAOF"});
        } catch (const std::exception& e) {
            log::warn("Redis' append-only file could not be rewritten after an erasure",
                      {{"error", e.what()}});
        }
    }

    std::string name() const override { return "redis"; }

  private:
    redis_client redis_;
    std::string hash_;
};

}  // namespace

std::unique_ptr<key_store> sqlite_key_store(const std::filesystem::path& file, bool read_only) {
    return std::make_unique<sqlite_keys>(file, read_only);
}

std::unique_ptr<key_store> redis_key_store(const redis_endpoint& ep) {
    return std::make_unique<redis_keys>(ep);
}

// ---- The vault ----------------------------------------------------------------------------

vault::vault(std::shared_ptr<key_store> keys) : keys_(std::move(keys)) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::vector<stored_fact> vault::seal(const std::vector<fact>& facts) {
    std::vector<stored_fact> out;
    out.reserve(facts.size());
    struct todo {
        std::size_t index;
        json body;
        const personal_kind* kind;
        std::string subject;
    };
    std::vector<todo> personal;
    std::set<std::string> missing;
    {
        std::lock_guard lock(mutex_);
        for (const auto& f : facts) {
            out.push_back(to_stored(f));
            const auto* k = personal_kind_of(out.back().kind);
            if (!k) continue;
            json body = to_json(f.body);
            auto subject = std::string(k->prefix) + body.at(std::string(k->id)).get<std::string>();
            if (!cache_.count(subject)) missing.insert(subject);
            personal.push_back({out.size() - 1, std::move(body), k, std::move(subject)});
        }
    }
    if (personal.empty()) return out;
    auto made = keys_->keys(missing, true);
    std::lock_guard lock(mutex_);
    for (auto& [s, key] : made) cache_[s] = std::move(key);
    for (auto& p : personal) {
        auto key = cache_.find(p.subject);
        if (key == cache_.end())
            throw std::runtime_error("the key store made no key for " + p.subject);
        json inner = json::object();
        for (auto field : p.kind->fields) {
            if (field.empty()) break;
            auto it = p.body.find(field);
            if (it == p.body.end()) continue;
            inner[std::string(field)] = std::move(*it);
            *it = placeholder(field);
        }
        p.body["sealed"] = {{"subject", p.subject}, {"box", seal_text(inner.dump(), key->second)}};
        out[p.index].body = p.body.dump();
    }
    return out;
}

std::vector<fact> vault::open(const std::vector<stored_fact>& stored) {
    std::vector<fact> out;
    out.reserve(stored.size());
    // The sealed ones, parsed once; their subjects' keys fetched together.
    std::vector<std::optional<std::pair<json, std::string>>> sealed(stored.size());
    std::set<std::string> missing;
    for (std::size_t i = 0; i < stored.size(); ++i) {
        const auto& s = stored[i];
        if (s.body.find("\"sealed\"") == std::string::npos || !personal_kind_of(s.kind)) continue;
        try {
            json body = json::parse(s.body);
            if (!body.is_object()) continue;
            auto subject = subject_of(body, s.kind);
            if (subject.empty()) continue;
            sealed[i].emplace(std::move(body), std::move(subject));
        } catch (const std::exception& e) {
            throw journal_error("journal fact " + std::to_string(s.seq) +
                                " is unreadable: " + e.what());
        }
    }
    {
        std::lock_guard lock(mutex_);
        for (const auto& x : sealed)
            if (x && !cache_.count(x->second)) missing.insert(x->second);
    }
    std::map<std::string, std::string> found;
    if (!missing.empty()) {
        try {
            found = keys_->keys(missing, false);
        } catch (const std::exception& e) {
            throw journal_error(std::string("the key store cannot be read: ") + e.what());
        }
    }
    std::lock_guard lock(mutex_);
    for (auto& [s, key] : found) cache_[s] = std::move(key);
    for (std::size_t i = 0; i < stored.size(); ++i) {
        if (!sealed[i]) {
            out.push_back(to_fact(stored[i]));
            continue;
        }
        auto& [body, subject] = *sealed[i];
        auto key = cache_.find(subject);
        if (key != cache_.end()) {
            auto plain = open_text(body["sealed"]["box"].get<std::string>(), key->second);
            json inner = plain ? json::parse(*plain, nullptr, false) : json();
            if (!inner.is_object())
                throw journal_error("journal fact " + std::to_string(stored[i].seq) +
                                    " is unreadable: its sealed fields do not open with their key");
            const auto* k = personal_kind_of(stored[i].kind);
            for (auto field : k->fields)
                if (!field.empty() && inner.contains(field))
                    body[std::string(field)] = std::move(inner[std::string(field)]);
        }
        body.erase("sealed");
        auto opened = stored[i];
        opened.body = body.dump();
        out.push_back(to_fact(opened));
    }
    return out;
}

fact vault::open(const stored_fact& stored) {
    return std::move(open(std::vector<stored_fact>{stored}).front());
}

void vault::shred(const std::set<std::string>& subjects) {
    if (subjects.empty()) return;
    // Only the keys still there: a start that finds every erased key gone writes nothing.
    auto present = keys_->keys(subjects, false);
    std::set<std::string> gone;
    for (const auto& [s, key] : present) gone.insert(s);
    keys_->remove(gone);
    std::lock_guard lock(mutex_);
    for (const auto& s : subjects) {
        auto it = cache_.find(s);
        if (it == cache_.end()) continue;
        sodium_memzero(it->second.data(), it->second.size());
        cache_.erase(it);
    }
}

bool carries_personal_fields(std::string_view kind) {
    return personal_kind_of(kind) != nullptr;
}

std::string sealed_subject(const stored_fact& s) {
    if (s.body.find("\"sealed\"") == std::string::npos) return {};
    json body = json::parse(s.body, nullptr, false);
    if (!body.is_object()) return {};
    try {
        return subject_of(body, s.kind);
    } catch (const std::exception&) {
        return {};
    }
}

}  // namespace creneau::server
