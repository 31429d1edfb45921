#include "server/mail/outbox.hpp"

#include "server/journal/redis_client.hpp"
#include "server/ops/log.hpp"
#include "server/ops/thread_name.hpp"

#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <limits>

namespace creneau::server {
namespace {

// ---- SQLite -------------------------------------------------------------------------------

class sqlite_store final : public outbox_store {
  public:
    explicit sqlite_store(const std::filesystem::path& file) : file_(file) {
        if (sqlite3_open_v2(file.c_str(), &db_,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                            nullptr) != SQLITE_OK) {
            std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("cannot open the outbox " + file.string() + ": " + why);
        }
        sqlite3_busy_timeout(db_, 10000);
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        exec("CREATE TABLE IF NOT EXISTS marks (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        exec(
            "CREATE TABLE IF NOT EXISTS settled (key TEXT PRIMARY KEY, seq INTEGER NOT NULL, "
            "how TEXT NOT NULL, at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')))");
    }
    ~sqlite_store() override { sqlite3_close(db_); }

    std::optional<std::int64_t> through() override { return mark("through"); }
    void advance(std::int64_t seq) override {
        raise("through", seq);
        run("DELETE FROM settled WHERE seq <= ?1", seq);
    }
    std::int64_t held_through() override { return mark("held").value_or(0); }
    void hold(std::int64_t seq) override { raise("held", seq); }
    void release() override { run("UPDATE marks SET value = 0 WHERE name = 'held'", 0, false); }
    bool settled(const std::string& key) override {
        auto* st = prepare("SELECT 1 FROM settled WHERE key = ?1");
        sqlite3_bind_text(st, 1, key.c_str(), -1, SQLITE_TRANSIENT);
        bool found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        return found;
    }
    bool claim(const std::string&, std::chrono::seconds) override { return true; }
    void unclaim(const std::string&) override {}
    void settle(const std::string& key, std::int64_t seq, const std::string& how) override {
        auto* st = prepare("INSERT OR IGNORE INTO settled (key, seq, how) VALUES (?1, ?2, ?3)");
        sqlite3_bind_text(st, 1, key.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_text(st, 3, how.c_str(), -1, SQLITE_TRANSIENT);
        step_done(st);
    }
    std::string secret() override {
        exec(
            "CREATE TABLE IF NOT EXISTS secret (id INTEGER PRIMARY KEY CHECK (id = 1), "
            "key BLOB NOT NULL)");
        std::string fresh(crypto_secretbox_KEYBYTES, '\0');
        randombytes_buf(fresh.data(), fresh.size());
        auto* ins = prepare("INSERT OR IGNORE INTO secret (id, key) VALUES (1, ?1)");
        sqlite3_bind_blob(ins, 1, fresh.data(), static_cast<int>(fresh.size()), SQLITE_TRANSIENT);
        step_done(ins);
        auto* st = prepare("SELECT key FROM secret WHERE id = 1");
        std::string key;
        if (sqlite3_step(st) == SQLITE_ROW)
            key.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                       static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
        sqlite3_finalize(st);
        return key;
    }
    std::string name() const override { return "sqlite"; }

  private:
    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw std::runtime_error("outbox " + file_.string() + ": " + msg);
        }
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("outbox: ") + sqlite3_errmsg(db_));
        return st;
    }
    void step_done(sqlite3_stmt* st) {
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            throw std::runtime_error(std::string("outbox: ") + sqlite3_errmsg(db_));
    }
    void run(const char* sql, std::int64_t value, bool bind = true) {
        auto* st = prepare(sql);
        if (bind) sqlite3_bind_int64(st, 1, value);
        step_done(st);
    }
    std::optional<std::int64_t> mark(const char* name) {
        auto* st = prepare("SELECT value FROM marks WHERE name = ?1");
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        std::optional<std::int64_t> v;
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }
    void raise(const char* name, std::int64_t value) {
        auto* st = prepare(
            "INSERT INTO marks (name, value) VALUES (?1, ?2) "
            "ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)");
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, value);
        step_done(st);
    }

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
};

// ---- Redis --------------------------------------------------------------------------------

// Raises a number kept in a key: KEYS[1], ARGV[1].
constexpr const char* raise_script =
    "local c = tonumber(redis.call('GET', KEYS[1]) or '-1') "
    "local v = tonumber(ARGV[1]) "
    "if v > c then redis.call('SET', KEYS[1], ARGV[1]) end return 1";

// KEYS[1] the settled mark, KEYS[2] the claim; ARGV[1] the instance, ARGV[2] the lease.
constexpr const char* claim_script =
    "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end "
    "if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'EX', ARGV[2]) then return 1 end return 0";

class redis_store final : public outbox_store {
  public:
    explicit redis_store(const std::string& url) : redis_(parse_redis_url(url), "outbox") {}

    std::optional<std::int64_t> through() override {
        auto r = call({"GET", key("through")});
        if (r->type == REDIS_REPLY_NIL) return std::nullopt;
        return number(*r);
    }
    void advance(std::int64_t seq) override {
        call({"EVAL", raise_script, "1", key("through"), std::to_string(seq)});
    }
    std::int64_t held_through() override {
        auto r = call({"GET", key("held")});
        return r->type == REDIS_REPLY_NIL ? 0 : number(*r);
    }
    void hold(std::int64_t seq) override {
        call({"EVAL", raise_script, "1", key("held"), std::to_string(seq)});
    }
    void release() override { call({"SET", key("held"), "0"}); }
    bool settled(const std::string& k) override {
        auto r = call({"EXISTS", key("settled:" + k)});
        return r->type == REDIS_REPLY_INTEGER && r->integer == 1;
    }
    // Claimed only if not settled and not claimed, in one step: an instance that saw the
    // mail unsettled a moment ago cannot claim it once another has sent it.
    bool claim(const std::string& k, std::chrono::seconds lease) override {
        auto r = call({"EVAL", claim_script, "2", key("settled:" + k), key("claim:" + k),
                       instance(), std::to_string(lease.count())});
        return r->type == REDIS_REPLY_INTEGER && r->integer == 1;
    }
    void unclaim(const std::string& k) override { call({"DEL", key("claim:" + k)}); }
    void settle(const std::string& k, std::int64_t, const std::string& how) override {
        // Kept long after `through` passes it: a late instance may still hold the mail.
        call({"SET", key("settled:" + k), how, "EX", std::to_string(90 * 24 * 3600)});
        call({"DEL", key("claim:" + k)});
    }
    std::string secret() override {
        std::string fresh(crypto_secretbox_KEYBYTES, '\0');
        randombytes_buf(fresh.data(), fresh.size());
        call({"SET", key("secret"), fresh, "NX"});  // the first instance's key is everyone's
        auto r = call({"GET", key("secret")});
        if (r->type != REDIS_REPLY_STRING) throw std::runtime_error("Redis: no outbox key");
        return std::string(r->str, r->len);
    }
    std::string name() const override { return "redis"; }

  private:
    std::string key(const std::string& k) const { return redis_.endpoint().prefix + ":mail:" + k; }
    static std::string instance() {
        static const std::string id = [] {
            char host[256] = {};
            gethostname(host, sizeof host - 1);
            return std::string(host) + ":" + std::to_string(::getpid());
        }();
        return id;
    }
    static std::int64_t number(const redisReply& r) {
        if (r.type == REDIS_REPLY_INTEGER) return r.integer;
        if (r.type == REDIS_REPLY_STRING) {
            try {
                return std::stoll(std::string(r.str, r.len));
            } catch (const std::exception&) {
            }
        }
        throw std::runtime_error("Redis: the outbox's mark is not a number");
    }
    redis_reply call(const std::vector<std::string>& argv) { return redis_.call(argv); }

    redis_client redis_;
};

std::once_flag curl_once;

}  // namespace

std::unique_ptr<outbox_store> sqlite_outbox_store(const std::filesystem::path& file) {
    return std::make_unique<sqlite_store>(file);
}

std::unique_ptr<outbox_store> redis_outbox_store(const std::string& redis_url) {
    return std::make_unique<redis_store>(redis_url);
}

// ---- The outbox ---------------------------------------------------------------------------

outbox::outbox(std::unique_ptr<outbox_store> store, outbox_options opts, metrics& stats)
    : store_(std::move(store)), opts_(std::move(opts)), stats_(stats) {
    std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

outbox::~outbox() {
    stop();
}

void outbox::prepare() {
    key_ = store_->secret();
    if (key_.size() != crypto_secretbox_KEYBYTES)
        throw std::runtime_error("the outbox's key is not " +
                                 std::to_string(crypto_secretbox_KEYBYTES) + " bytes long");
    through_ = store_->through();
    held_through_ = store_->held_through();
    stored_through_ = through_.value_or(0);
}

std::string outbox::seal(const std::string& token) const {
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + token.size(), '\0');
    auto* out = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(token.data()), token.size(), out,
                          reinterpret_cast<const unsigned char*>(key_.data()));
    std::string hex(box.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), out, box.size());
    hex.pop_back();
    return hex;
}

std::optional<std::string> outbox::unseal(const std::string& sealed) const {
    std::string box(sealed.size() / 2, '\0');
    std::size_t len = 0;
    if (sealed.size() % 2 || sealed.size() > 4096 ||
        sodium_hex2bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), sealed.data(),
                       sealed.size(), nullptr, &len, nullptr) != 0 ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return std::nullopt;
    const auto* in = reinterpret_cast<const unsigned char*>(box.data());
    std::string token(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(token.data()),
                                   in + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, in,
                                   reinterpret_cast<const unsigned char*>(key_.data())) != 0)
        return std::nullopt;
    return token;
}

void outbox::observe(const state& before, const fact& f) {
    {
        std::lock_guard lock(mutex_);
        if (!through_ || f.seq <= *through_) {
            last_seen_ = std::max(last_seen_, f.seq);
            return;
        }
    }
    if (const auto* erased = std::get_if<personal_data_erased>(&f.body)) forget(before, *erased);
    std::vector<mail> mails;
    try {
        mails = mails_for(before, f, opts_.base_url,
                          [this](const std::string& sealed) { return unseal(sealed); });
    } catch (const std::exception& e) {
        // Kept unsettled: `through` stays below this fact, so a restart makes its mails again.
        log::error("outbox: the mails of a fact could not be made",
                   {{"seq", f.seq}, {"error", e.what()}});
        std::lock_guard lock(mutex_);
        if (!unmade_ || f.seq < *unmade_) unmade_ = f.seq;
        return;
    }
    std::lock_guard lock(mutex_);
    last_seen_ = std::max(last_seen_, f.seq);
    // Without a mail server, the worker holds them once it has stored the mark (hold_new).
    const bool hold = opts_.smtp && f.seq <= held_through_;
    for (auto& m : mails) {
        key_type k{m.seq, m.key};
        if (pending_.count(k)) continue;
        entry e{std::move(m), hold ? status::held : status::waiting, 0, {}, {}};
        pending_.emplace(std::move(k), std::move(e));
    }
    if (!mails.empty()) cv_.notify_one();
}

void outbox::start(std::int64_t head) {
    {
        std::lock_guard lock(mutex_);
        if (!through_) {
            through_ = head;  // a new outbox says nothing of what happened before it
            try {
                store_->advance(head);
                stored_through_ = head;
            } catch (const std::exception& e) {
                log::warn("outbox: cannot record its start", {{"error", e.what()}});
            }
        }
        last_seen_ = std::max(last_seen_, head);
        started_ = true;
    }
    log::info("outbox", {{"store", store_->name()},
                         {"smtp", opts_.smtp ? "configured" : "none: mails are held"},
                         {"pending", depth()}});
    worker_ = std::thread([this] {
        name_this_thread("outbox");
        run();
    });
}

void outbox::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
}

std::int64_t outbox::replay_floor() const {
    std::lock_guard lock(mutex_);
    if (!through_) return std::numeric_limits<std::int64_t>::max();
    return unmade_ ? std::min(stored_through_, *unmade_ - 1) : stored_through_;
}

std::size_t outbox::depth() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

// The worker's steps below read and change the pending mails under mutex_, and call the
// store without it: the ledger hands facts to observe() under the state's lock, and must
// never wait for a disk or Redis behind it.

void outbox::hold_new(std::unique_lock<std::mutex>& lock) {
    // Shown as held only once the mark is stored: a restart with a mail server holds them too.
    std::int64_t top = 0;
    for (const auto& [k, e] : pending_)
        if (e.st == status::waiting) top = std::max(top, k.first);
    if (top == 0) return;
    if (top > held_through_) {
        lock.unlock();
        store_->hold(top);
        lock.lock();
        held_through_ = std::max(held_through_, top);
    }
    for (auto& [k, e] : pending_)
        if (e.st == status::waiting && k.first <= held_through_) e.st = status::held;
}

void outbox::check_released(std::unique_lock<std::mutex>& lock) {
    lock.unlock();
    auto held = store_->held_through();
    lock.lock();
    if (held == 0 && held_through_ != 0) {  // released, here or by another instance
        for (auto& [k, e] : pending_)
            if (e.st == status::held) e.st = status::waiting;
    }
    held_through_ = held;
}

void outbox::advance(std::unique_lock<std::mutex>& lock) {
    // Below every mail not settled, and below any fact whose mails could not be made.
    std::int64_t low = pending_.empty() ? last_seen_ : pending_.begin()->first.first - 1;
    if (unmade_) low = std::min(low, *unmade_ - 1);
    if (through_ && low > *through_) through_ = low;
    if (low <= stored_through_) return;
    lock.unlock();
    store_->advance(low);
    lock.lock();
    stored_through_ = std::max(stored_through_, low);
}

void outbox::run() {
    auto last_check = std::chrono::steady_clock::time_point{};
    bool store_down = false;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        cv_.wait_for(lock, opts_.tick);
        if (stopping_) break;
        try {
            if (!opts_.smtp) {
                hold_new(lock);
            } else if (std::chrono::steady_clock::now() - last_check > std::chrono::seconds(2)) {
                check_released(lock);
                last_check = std::chrono::steady_clock::now();
            }
            auto now = std::chrono::system_clock::now();
            std::vector<std::pair<key_type, mail>> due;
            // Without a mail server nothing is sent: mails made while the hold mark was being
            // stored wait for the next one.
            for (auto& [k, e] : pending_)
                if (opts_.smtp && e.st == status::waiting && e.next <= now && !e.sending &&
                    due.size() < 20) {
                    e.sending = true;  // discard() leaves it alone until it is done
                    due.emplace_back(k, e.m);
                }
            lock.unlock();
            std::exception_ptr failure;
            for (auto& [k, m] : due) {
                if (failure) break;
                try {
                    deliver(k, std::move(m));
                } catch (...) {
                    failure = std::current_exception();
                }
            }
            lock.lock();
            for (auto& [k, m] : due)
                if (auto e = pending_.find(k); e != pending_.end()) e->second.sending = false;
            if (failure) std::rethrow_exception(failure);
            advance(lock);
            if (store_down) log::info("outbox: its store answers again");
            store_down = false;
        } catch (const std::exception& e) {
            if (!lock.owns_lock()) lock.lock();
            if (!store_down)
                log::warn("outbox: its store cannot be reached", {{"error", e.what()}});
            store_down = true;
        }
    }
}

// Delivers one mail, unless another instance did or does; called without the lock.
void outbox::deliver(const key_type& k, mail m) {
    auto forget = [&](const char* how) {
        std::lock_guard lock(mutex_);
        pending_.erase(k);
        if (how) log::debug("outbox: settled", {{"mail", k.second}, {"how", how}});
    };
    bool sent = false;
    {
        std::lock_guard lock(mutex_);
        auto e = pending_.find(k);
        if (e == pending_.end()) return;
        sent = e->second.sent;
    }
    if (!sent) {
        if (store_->settled(k.second)) return forget(nullptr);
        if (m.expires != instant{} && std::chrono::system_clock::now() > m.expires) {
            store_->settle(k.second, k.first, "expired");  // a link no longer valid: not sent
            return forget("expired");
        }
        if (!store_->claim(k.second, opts_.lease)) {
            std::lock_guard lock(mutex_);  // another instance sends it now: look again later
            if (auto e = pending_.find(k); e != pending_.end())
                e->second.next = std::chrono::system_clock::now() + std::chrono::seconds(2);
            return;
        }
        auto result = smtp_send(*opts_.smtp, m);
        if (!result.ok) {
            store_->unclaim(k.second);
            stats_.mail_failures++;
            std::lock_guard lock(mutex_);
            auto e = pending_.find(k);
            if (e == pending_.end()) return;
            auto& en = e->second;
            ++en.attempts;
            en.error = result.error;
            if (result.permanent) {
                en.st = status::failed;
            } else {
                auto delay = opts_.retry_first * (1 << std::min(en.attempts - 1, 10));
                en.next = std::chrono::system_clock::now() +
                          std::min<std::chrono::seconds>(delay, opts_.retry_max);
            }
            log::warn("outbox: a mail could not be sent",
                      {{"mail", k.second}, {"attempts", en.attempts}, {"error", result.error}});
            return;
        }
        stats_.mail_sent++;
        std::lock_guard lock(mutex_);
        // Sent: if recording it fails below, only the record is tried again, never the mail.
        if (auto e = pending_.find(k); e != pending_.end()) e->second.sent = true;
    }
    store_->settle(k.second, k.first, "sent");
    forget("sent");
}

json outbox::view(std::size_t limit) const {
    std::lock_guard lock(mutex_);
    json mails = json::array();
    std::size_t held = 0, failed = 0;
    for (const auto& [k, e] : pending_) {
        held += e.st == status::held;
        failed += e.st == status::failed;
        if (mails.size() >= limit) continue;
        json j = {{"key", e.m.key},
                  {"kind", e.m.kind},
                  {"to", e.m.to},
                  {"subject", e.m.subject},
                  {"at", format_utc(e.m.at)},
                  {"status", e.st == status::held     ? "held"
                             : e.st == status::failed ? "failed"
                                                      : "waiting"},
                  {"attempts", e.attempts}};
        if (!e.error.empty()) j["error"] = e.error;
        if (e.st == status::waiting && e.attempts > 0)
            j["next_attempt"] = format_utc(std::chrono::time_point_cast<seconds>(e.next));
        mails.push_back(std::move(j));
    }
    return {{"smtp", opts_.smtp.has_value()},
            {"depth", pending_.size()},
            {"held", held},
            {"failed", failed},
            {"settled_through", stored_through_},
            {"mails", mails}};
}

std::size_t outbox::release() {
    if (!opts_.smtp) return 0;
    store_->release();
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    held_through_ = 0;
    for (auto& [k, e] : pending_)
        if (e.st == status::held) {
            e.st = status::waiting;
            ++n;
        }
    cv_.notify_one();
    return n;
}

void outbox::forget(const state& before, const personal_data_erased& x) {
    // The address as it was just before the erasure: mails still waiting for it go
    // (docs/privacy.md, "Erasure"); one already on its way cannot be called back.
    std::string address;
    const auto colon = x.subject.find(':');
    const auto id = colon == std::string::npos ? std::string{} : x.subject.substr(colon + 1);
    if (x.subject.rfind("user:", 0) == 0) {
        if (auto u = before.users.find(id); u != before.users.end()) address = u->second.email;
    } else if (x.subject.rfind("registration:", 0) == 0) {
        if (auto r = before.registrations.find(id); r != before.registrations.end())
            address = r->second.email;
    }
    if (address.empty()) return;
    std::vector<key_type> chosen;
    {
        std::lock_guard lock(mutex_);
        for (auto& [k, e] : pending_)
            if (!e.sending && !e.sent && email_key(e.m.to) == email_key(address))
                chosen.push_back(k);
    }
    for (const auto& k : chosen) {
        try {
            store_->settle(k.second, k.first, "erased");
        } catch (const std::exception& e) {
            log::warn("outbox: a mail to an erased person could not be settled",
                      {{"error", e.what()}});
        }
        std::lock_guard lock(mutex_);
        pending_.erase(k);
    }
}

std::size_t outbox::discard(const std::vector<std::string>& keys, bool all) {
    std::vector<key_type> chosen;
    {
        std::lock_guard lock(mutex_);
        for (auto& [k, e] : pending_) {
            if (e.sending || e.sent) continue;  // on its way: too late to hold it back
            bool pick = all ? e.st != status::waiting || e.attempts > 0
                            : std::find(keys.begin(), keys.end(), k.second) != keys.end();
            if (pick) chosen.push_back(k);
        }
    }
    std::size_t n = 0;
    for (const auto& k : chosen) {
        store_->settle(k.second, k.first, "discarded");
        std::lock_guard lock(mutex_);
        n += pending_.erase(k);
    }
    return n;
}

std::size_t outbox::retry(const std::vector<std::string>& keys) {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (auto& [k, e] : pending_) {
        if (e.st == status::held) continue;
        if (!keys.empty() && std::find(keys.begin(), keys.end(), k.second) == keys.end()) continue;
        if (e.st == status::waiting && e.attempts == 0) continue;
        e.st = status::waiting;
        e.next = {};
        ++n;
    }
    cv_.notify_one();
    return n;
}

}  // namespace creneau::server
