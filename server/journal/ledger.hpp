#pragma once
// The ledger owns the state (docs/architecture.md, "The ledger of facts"): a command is decided on
// the current state, its facts are appended to the journal at the sequence number the decision saw,
// then applied and handed to the listeners. Commands that queue up while a commit is in flight are
// decided and committed together (group commit), each answered on its own. On a conflict (another
// instance appended first) the ledger catches up and decides again.
//
// Thread safety: submit, read and head may be called from any thread. Decisions, journal
// calls and listeners run on the thread that holds the writer's role: the ledger's own writer
// thread, or, with `commit_on_caller`, a submitter whose command finds the writer idle and
// nothing queued (docs/architecture.md, "The ledger of facts"). Readers share a lock on the
// state; the writer holds it exclusively only while applying.

#include "server/journal/journal.hpp"
#include "server/journal/snapshots.hpp"
#include "server/journal/vault.hpp"
#include "server/ops/build_info.hpp"

#include "common/domain.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace creneau::server {

// What became of a command.
struct outcome {
    std::optional<refusal> refused;    // the domain said no
    bool journal_unavailable = false;  // nothing was decided: the journal cannot be reached
    bool unknown = false;              // the journal did not confirm: it may have been committed
    std::string error;                 // detail of a journal failure
    std::vector<fact> facts;           // the facts committed, with their sequence numbers
    bool replayed = false;             // the facts of an earlier request with the same key
    bool unrecorded = false;           // a replay_only key the ledger does not keep: not decided

    bool ok() const { return !refused && !journal_unavailable && !unknown && !unrecorded; }
};

// An Idempotency-Key, scoped by its caller, and the fingerprint of the request it came with.
struct idempotency {
    std::string key;
    std::string fingerprint;
    // Only a retry: a key the ledger does not keep (never recorded, or a day old) is answered
    // `unrecorded`, and the command is not decided. For a handler whose work comes before
    // its command (a timetable's build) to learn first whether that work is needed. The
    // answer is the writer's state's: another instance may have recorded the key since, and
    // the command that follows the work, decided against the journal, is then replayed.
    bool replay_only = false;
};

struct ledger_options {
    // How many times a batch is decided again after conflicts before it is given up.
    int max_attempts = 8;
    // The most commands decided and committed in one transaction.
    std::size_t max_batch = 512;
    // Whether a command that finds the writer idle and nothing queued is decided and committed
    // on the thread that submits it, rather than handed to the writer thread and its answer
    // handed back: a lone writer is spared two thread switches. Commands that come meanwhile
    // queue for the writer thread, as always. Only where the journal is local (SQLite): a
    // round trip to Redis would hold the submitting I/O thread.
    bool commit_on_caller = true;
    // Called, on the thread holding the writer's role, with each journal append's latency in
    // microseconds.
    std::function<void(std::uint64_t)> on_append;
    // Called on the thread holding the writer's role with each fact, replayed at start or
    // committed, and the state just before it, under the state's lock (the outbox derives
    // its mails there).
    std::function<void(const state&, const fact&)> observe;
    // Snapshots of the state (snapshots.hpp): where they are kept (none: every start replays
    // the whole journal), and how many facts apart they are written.
    std::shared_ptr<snapshot_store> snapshots;
    // Where personal fields are sealed (vault.hpp); none: facts are stored as they are.
    std::shared_ptr<creneau::server::vault> vault;
    std::int64_t snapshot_every = 50000;
    // The least time between two snapshots the thread writes; the first, and the one asked
    // for at start after a long replay, wait for none. Zero: every snapshot_every facts.
    std::chrono::milliseconds snapshot_interval{0};
    // A snapshot put off while the outbox's mark is behind the newest one (replay_floor) is
    // tried again after snapshot_retry, then twice as long each time, up to snapshot_retry_max.
    std::chrono::milliseconds snapshot_retry{250};
    std::chrono::milliseconds snapshot_retry_max{30000};
    // Whether the state is turned into bytes by a forked child (the writer waits only for the
    // fork), or on the snapshot thread under the state's shared lock. Not under
    // AddressSanitizer, whose allocator may be left locked in a child by another thread.
#if defined(__SANITIZE_ADDRESS__)
    bool snapshot_fork = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    bool snapshot_fork = false;
#else
    bool snapshot_fork = true;
#endif
#else
    bool snapshot_fork = true;
#endif
    // The last fact `observe` may skip at start (the outbox's settled mark): a snapshot after
    // it is not loaded, so that every fact after it is observed again. Unset: any snapshot.
    std::function<std::int64_t()> replay_floor;
    // The build the snapshots are written by: one of another build is not loaded, as its
    // fold of the facts may differ (tests pass their own).
    std::string build = build_commit();
    // The clock: the ledger reads it once per decision (tests pass their own).
    std::function<instant()> now = [] {
        return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
    };
};

class ledger {
  public:
    using callback = std::function<void(outcome)>;
    using listener = std::function<void(const std::vector<fact>&)>;

    ledger(std::unique_ptr<journal> j, ledger_options opts = {});
    ~ledger();
    ledger(const ledger&) = delete;
    ledger& operator=(const ledger&) = delete;

    // Replays the journal into the state, then starts the writer thread. Throws
    // journal_error naming the sequence number and the problem if the journal is corrupt
    // or unreadable: the ledger never starts from a partial state.
    void start();
    // Stops the writer thread after the batch in flight; queued commands are answered
    // journal-unavailable. Calling it again does nothing; a call from another thread while
    // one runs waits for it to end, then does nothing. Not from a listener or an answer (the
    // thread holding the writer's role), which it would wait for.
    void stop();

    // Queues a command; `done` runs on the thread holding the writer's role once it is decided
    // and committed: the writer thread, or this one before submit returns (commit_on_caller).
    // A command refused at once (the ledger stopping or stopped) is answered here, and one
    // still queued when the ledger stops by the thread calling stop(). An answer that throws
    // is logged by the ledger and changes nothing else, but for one refused at once, whose
    // exception leaves submit.
    // With a key, a command whose key is known is answered with the facts it produced then
    // (or refused key-reused if the fingerprint differs), and a new one records its key; one
    // marked replay_only is answered `unrecorded` instead, nothing decided.
    void submit(command c, actor who, callback done, std::optional<idempotency> key = {});
    // Submits and waits (for tools and tests).
    outcome execute(command c, actor who);

    // Appends `facts` as the system if the journal is empty (first start: the catalogue).
    // Returns false if the journal already had facts, or if they were not written (a fact that
    // does not apply stops the writes, as a command's would).
    bool seed(std::vector<fact_body> facts);

    // Runs `f(const state&)` under a shared lock and returns what it returns.
    template <class F>
    auto read(F&& f) const {
        std::shared_lock lock(state_mutex_);
        return f(public_);
    }

    std::int64_t head() const { return head_.load(); }
    // Whether no thread holds the writer's role and nothing waits for it: a command submitted
    // now is committed on its submitter's thread, where the journal is local.
    bool idle() const;
    // The sequence number of the snapshot the start loaded (0: the whole journal was replayed).
    std::int64_t started_from() const { return started_from_; }
    // Writes a snapshot of the state now, on the calling thread (tools, tests, benchmarks);
    // returns its sequence number. Throws std::runtime_error if there is no store or it fails.
    std::int64_t snapshot_now();
    bool journal_available() const {
        return journal_->available() && !last_append_failed_.load() && !failed_.load();
    }
    // Why the ledger stopped taking writes (a fact it cannot apply), or "" while it runs.
    std::string failure() const;
    std::string backend() const { return journal_->backend(); }
    // What the journal says is wrong with it (a refused password, say), or "".
    std::string journal_problem() const { return journal_->problem(); }

    // Listeners are called on the thread holding the writer's role with each group of committed
    // facts, in sequence order, after they are applied. They may be added at any time.
    void add_listener(listener l);

    // Decides without committing (quotes): the facts the command would cause, or a refusal.
    decision dry_run(const command& c, const actor& who) const;

    // Total facts applied, the latency of the latest journal append, and the appends another
    // writer got ahead of, whose batch was then decided again or given up (metrics).
    std::uint64_t facts_applied() const { return facts_applied_.load(); }
    std::uint64_t last_append_micros() const { return append_micros_.load(); }
    std::uint64_t conflicts() const { return conflicts_.load(); }
    // Commands the writer took, each once however often it was decided again: with the count
    // of appends, how many commands one commit carries (group commit).
    std::uint64_t commands() const { return commands_.load(); }

  private:
    struct pending {
        command cmd;
        actor who;
        callback done;
        std::optional<std::vector<fact_body>> seed;  // a seed request instead of a command
        std::function<void(bool)> seed_done;
        std::optional<idempotency> key;
    };

    // One attempt at a batch: the facts decided, which of them answer which command, and
    // the commands answered without new facts.
    struct round {
        std::vector<fact> facts;
        // Per command, its facts: [first, last). For one answered without new facts, first is
        // how many of the batch's facts were decided before it.
        std::vector<std::pair<std::size_t, std::size_t>> ranges;
        std::vector<std::optional<outcome>> early;
        std::vector<bool> seed_result;
    };

    void run();
    // Under the writer's role: the other instances' facts if `remote` is set, then the batch.
    // A failure stops the writes and answers the batch. `on_caller`: on a submitter's thread,
    // which must not wait for another process's write lock nor catch up with its facts; false if
    // the batch is to go to the writer thread instead (nothing committed, nothing answered).
    bool work(std::vector<pending>& batch, bool remote, bool on_caller = false);
    bool process(std::vector<pending>& batch, bool on_caller);
    round decide_batch(std::vector<pending>& batch, instant now);
    void answer(std::vector<pending>& batch, round& r, append_status status,
                const std::string& error);
    // Adds the batch's commands (not its seeds) to `commands_`, once, where they are answered.
    void count_commands(const std::vector<pending>& batch);
    append_result append(const std::vector<fact>& facts);
    // The facts of one command appended to `facts` (and applied to the working state), or
    // the outcome that answers it without new facts (a replayed key, a refusal).
    std::optional<outcome> decide_one(pending& p, instant now, std::vector<fact>& facts,
                                      std::size_t& first);
    // The `count` facts from `first` on, which a key recorded: from the journal if they are
    // committed, else from `deciding`, the facts decided so far in this batch.
    std::vector<fact> recorded(std::int64_t first, std::size_t count,
                               const std::vector<fact>& deciding);
    void catch_up();
    // Facts as read from, and as written to, the journal: through the vault if there is one.
    std::vector<fact> open_all(const std::vector<stored_fact>& stored);
    // After an erasure: the snapshots that hold the erased data go, then the keys.
    void forget(const std::set<std::string>& subjects);
    void apply_committed(const std::vector<fact>& facts);
    void observe(const state& before, const fact& f);
    void absorb_remote();
    void apply_working(const std::vector<fact>& facts);
    // Stops taking writes: reads go on, /readyz says why.
    void stop_writes(const std::string& why);
    // The newest usable snapshot and the journal's fact it follows, or nullopt (warnings logged).
    std::optional<std::pair<opened_snapshot, fact>> load_snapshot();
    void snapshot_loop();
    // Seals the readers' state and saves it; drops the snapshots no start would load.
    std::int64_t write_snapshot();

    std::unique_ptr<journal> journal_;
    ledger_options opts_;

    mutable std::shared_mutex state_mutex_;
    state public_;   // committed facts only; what readers see
    state working_;  // the writer's copy: committed facts plus the batch being decided

    std::mutex stop_mutex_;  // one stop() at a time: two would both join the writer thread
    mutable std::mutex queue_mutex_;
    std::condition_variable queue_cv_;
    std::deque<pending> queue_;
    std::vector<std::vector<stored_fact>> remote_;  // notifications from the journal
    bool stopping_ = false;
    bool running_ = false;  // started, so a submitter may take the writer's role
    // Some thread holds the writer's role: it decides, appends, applies and answers, and
    // no other does meanwhile. Taken and given back under queue_mutex_.
    bool writing_ = false;

    std::mutex listeners_mutex_;
    std::vector<listener> listeners_;
    std::thread writer_;
    std::atomic<std::int64_t> head_{0};
    std::atomic<bool> last_append_failed_{false};
    std::atomic<bool> failed_{false};
    mutable std::mutex failure_mutex_;
    std::string failure_;
    bool uncertain_ = false;  // the last append's outcome is unknown (under the writer's role)
    std::atomic<std::uint64_t> facts_applied_{0};
    std::atomic<std::uint64_t> append_micros_{0};
    std::atomic<std::uint64_t> conflicts_{0};
    std::atomic<std::uint64_t> commands_{0};

    // Snapshots: the last fact of the readers' state (under state_mutex_), which anchors
    // them, and the thread that writes them when snapshot_every facts have been applied
    // since the last one, or on its retries while the outbox is behind.
    std::optional<fact> last_fact_;
    std::int64_t started_from_ = 0;
    std::mutex snapshot_mutex_;
    std::condition_variable snapshot_cv_;
    bool snapshot_due_ = false;
    bool snapshot_stopping_ = false;
    std::int64_t last_snapshot_ = 0;  // under snapshot_mutex_
    // When the thread last wrote one (snapshot thread only); none yet: the epoch.
    std::chrono::steady_clock::time_point last_written_{};
    std::mutex snapshot_write_mutex_;  // one snapshot written at a time
    std::thread snapshotter_;
};

// Converts between stored facts and facts; throws journal_error naming the sequence number.
fact to_fact(const stored_fact& s);
stored_fact to_stored(const fact& f);

}  // namespace creneau::server
