#pragma once
// The outbox (docs/notifications.md): the mails the facts cause, delivered by a worker thread
// off the I/O threads and the ledger's, with retries and growing delays while the mail server
// is down.
//
// The outbox is derived from the journal: the ledger hands every fact, with the state just
// before it, to observe(), which composes its mails (compose.hpp). What must survive a restart
// is only which mails are settled (sent, discarded) and up to which fact every mail is
// settled (`through`): both are kept beside the journal, in a SQLite file of the data folder
// or in Redis. After a restart or kill -9, the replay gives every fact after `through` to
// observe() again, and the mails not settled come back; a mail is keyed by its fact and its
// recipient, so none is sent twice. With several instances on one Redis, each derives the
// same mails and a per-mail claim (SET NX with a lease) lets one deliver it.
//
// Without an SMTP server (the embedded default) mails are held: operator admins see them,
// and once a server is configured they release the backlog or discard it, explicitly.
//
// Thread safety: every public member may be called from any thread.

#include "server/mail/smtp.hpp"
#include "server/ops/metrics.hpp"

#include "common/core/json.hpp"

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace creneau::server {

// Where the outbox keeps what it settled. Each call may throw std::runtime_error (Redis down):
// the worker then tries again later.
class outbox_store {
  public:
    virtual ~outbox_store() = default;
    // Every mail of facts up to this sequence number is settled; nullopt on first start.
    virtual std::optional<std::int64_t> through() = 0;
    virtual void advance(std::int64_t seq) = 0;  // raises `through` (never lowers it)
    // Mails of facts up to this number were made while no mail server was configured: held
    // until released (0: none held).
    virtual std::int64_t held_through() = 0;
    virtual void hold(std::int64_t seq) = 0;  // raises it
    virtual void release() = 0;               // back to 0
    virtual bool settled(const std::string& key) = 0;
    // Takes the right to deliver `key` for `lease` (always granted with one instance).
    virtual bool claim(const std::string& key, std::chrono::seconds lease) = 0;
    virtual void unclaim(const std::string& key) = 0;
    virtual void settle(const std::string& key, std::int64_t seq, const std::string& how) = 0;
    // The outbox's secret key (made on first use), which seals the tokens of one-time links
    // in the facts: kept beside the journal, never in it.
    virtual std::string secret() = 0;
    virtual std::string name() const = 0;
};

// outbox.db in the data folder (WAL, synchronous=FULL), beside the SQLite journal.
std::unique_ptr<outbox_store> sqlite_outbox_store(const std::filesystem::path& file);
// PREFIX:mail:* keys in the journal's Redis.
std::unique_ptr<outbox_store> redis_outbox_store(const std::string& redis_url);

struct outbox_options {
    std::optional<smtp_settings> smtp;  // none: mails are held
    std::string base_url = "http://localhost:8080";
    std::chrono::seconds retry_first{30};
    std::chrono::seconds retry_max{std::chrono::hours(1)};
    std::chrono::seconds lease{120};
    // The worker's tick (tests shorten it).
    std::chrono::milliseconds tick{std::chrono::seconds(1)};
};

class outbox {
  public:
    outbox(std::unique_ptr<outbox_store> store, outbox_options opts, metrics& stats);
    ~outbox();
    outbox(const outbox&) = delete;
    outbox& operator=(const outbox&) = delete;

    // Before the ledger replays: reads `through` and the held mark. Throws if the store
    // cannot be read.
    void prepare();
    // The ledger's hook, for every fact (replayed or new) with the state just before it.
    void observe(const state& before, const fact& f);
    // After the replay: a journal that had facts before the outbox existed starts it at
    // `head` (no mail about the past); then the worker starts.
    void start(std::int64_t head);
    void stop();

    // The operator's view and actions. `keys` empty: every mail concerned.
    json view(std::size_t limit) const;
    std::size_t release();
    // The mails named, or with `all` every held, failed or retried one; never one on its way.
    std::size_t discard(const std::vector<std::string>& keys, bool all);
    std::size_t retry(const std::vector<std::string>& keys);

    std::size_t depth() const;
    // The last fact a start may skip observing: every mail of the facts up to it is settled
    // (or the outbox is new and the past makes no mail). A snapshot after it is not loaded.
    std::int64_t replay_floor() const;
    bool sending() const { return opts_.smtp.has_value(); }

    // A one-time link's token sealed with the outbox's key (hex), and opened again; nullopt
    // if it cannot be opened (another key, a corrupt value).
    std::string seal(const std::string& token) const;
    std::optional<std::string> unseal(const std::string& sealed) const;

  private:
    enum class status { waiting, held, failed };
    struct entry {
        mail m;
        status st = status::waiting;
        int attempts = 0;
        std::chrono::system_clock::time_point next;
        std::string error;
        bool sending = false;  // the worker holds it now
        bool sent = false;     // accepted by the mail server, not yet recorded
    };
    using key_type = std::pair<std::int64_t, std::string>;

    void run();
    // Drops the mails waiting for a person whose data is erased.
    void forget(const state& before, const personal_data_erased& x);
    void deliver(const key_type& k, mail m);
    void hold_new(std::unique_lock<std::mutex>& lock);
    void check_released(std::unique_lock<std::mutex>& lock);
    void advance(std::unique_lock<std::mutex>& lock);

    std::unique_ptr<outbox_store> store_;  // safe to call from several threads
    outbox_options opts_;
    std::string key_;  // crypto_secretbox key, read by prepare()
    metrics& stats_;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::map<key_type, entry> pending_;
    std::optional<std::int64_t> through_;  // nullopt until start() on a first start
    std::int64_t stored_through_ = 0;
    std::int64_t held_through_ = 0;
    std::int64_t last_seen_ = 0;
    std::optional<std::int64_t> unmade_;  // the first fact whose mails could not be made
    bool stopping_ = false;
    bool started_ = false;
    std::thread worker_;
};

}  // namespace creneau::server
