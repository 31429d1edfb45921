#include "server/journal/ledger.hpp"

#include "server/ops/log.hpp"
#include "server/ops/thread_name.hpp"

#include "common/facts_text.hpp"
#include "common/state_codec.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <future>
#include <limits>
#include <utility>

namespace creneau::server {

fact to_fact(const stored_fact& s) {
    try {
        fact f;
        f.seq = s.seq;
        auto at = parse_rfc3339(s.at);
        if (!at) throw std::invalid_argument("/at: not an RFC 3339 instant: '" + s.at + "'");
        f.at = *at;
        f.actor = s.actor;
        f.body = fact_body_from_json(json::parse(s.body));
        if (type_of(f.body) != s.kind)
            throw std::invalid_argument("kind '" + s.kind + "' does not match the body's type '" +
                                        std::string(type_of(f.body)) + "'");
        return f;
    } catch (const std::exception& e) {
        throw journal_error("journal fact " + std::to_string(s.seq) +
                            " is unreadable: " + e.what());
    }
}

stored_fact to_stored(const fact& f) {
    return {f.seq, format_utc(f.at), f.actor, std::string(type_of(f.body)), stored_body(f.body)};
}

namespace {

// Gives a command its answer. One that throws is its submitter's failure: logged, and nothing
// else changes (the facts stand, the rest of the batch is answered once, the writes go on).
template <class Done, class Value>
void give(const Done& done, Value&& value) {
    if (!done) return;
    try {
        done(std::forward<Value>(value));
    } catch (const std::exception& e) {
        log::error("a command's answer failed", {{"error", e.what()}});
    } catch (...) {
        log::error("a command's answer failed", {{"error", "not a standard exception"}});
    }
}

}  // namespace

ledger::ledger(std::unique_ptr<journal> j, ledger_options opts)
    : journal_(std::move(j)), opts_(std::move(opts)) {}

ledger::~ledger() {
    stop();
}

void ledger::add_listener(listener l) {
    std::lock_guard lock(listeners_mutex_);
    listeners_.push_back(std::move(l));
}

void ledger::start() {
    // Replay into a fresh state first: a corrupt journal stops here, before anything is served.
    // A usable snapshot spares the facts up to it (docs/architecture.md, "Snapshots").
    //
    // The writer's state and the readers' are folded side by side, the readers' on a second
    // thread, rather than one copied from the other at the end: at a million facts the copy
    // costs as long as the decoding of a snapshot.
    state replayed;
    state twin;                // the readers' copy
    std::optional<fact> last;  // the last fact folded into `replayed`
    auto replay_tail = [&] {
        for (;;) {
            auto batch = journal_->read(replayed.seq, 10000);
            if (batch.empty()) break;
            const auto opened = open_all(batch);
            // If the fold below throws, the twin's is waited for by the future's destructor and
            // both states are thrown away; it checks the sequence as well, so that it never
            // folds a fact the fold below would refuse.
            auto twin_fold = std::async(std::launch::async, [&twin, &opened] {
                for (const auto& f : opened) {
                    if (f.seq != twin.seq + 1) return;
                    apply(twin, f);
                }
            });
            for (std::size_t i = 0; i < batch.size(); ++i) {
                const auto& f = opened[i];
                if (f.seq != replayed.seq + 1)
                    throw journal_error("journal fact " + std::to_string(replayed.seq + 1) +
                                        " is missing");
                observe(replayed, f);
                try {
                    apply(replayed, f);
                } catch (const std::exception& e) {
                    throw journal_error("journal fact " + std::to_string(f.seq) + " (" +
                                        batch[i].kind +
                                        ") does not apply to the state before it: " + e.what());
                }
            }
            try {
                twin_fold.get();
            } catch (const std::exception& e) {
                throw journal_error(std::string("the readers' copy of the state cannot be ") +
                                    "replayed: " + e.what());
            }
            last = opened.back();
        }
    };
    if (auto snap = load_snapshot()) {
        replayed = std::move(snap->first.s);
        twin = std::move(*snap->first.twin);
        last = std::move(snap->second);
        started_from_ = replayed.seq;
        try {
            replay_tail();
        } catch (const journal_error& e) {
            // The facts after the snapshot do not apply to it: the whole journal decides.
            log::warn(
                "the facts after a snapshot do not apply to it: the whole journal is replayed",
                {{"seq", started_from_}, {"error", e.what()}});
            replayed = state{};
            twin = state{};
            last.reset();
            started_from_ = 0;
        }
    }
    if (started_from_ == 0) replay_tail();
    // The keys of every erased person are deleted again: an erasure that was committed but
    // whose keys were not yet deleted when the process stopped is completed now. A snapshot
    // older than an erasure replayed here still holds the erased data: they all go.
    if (opts_.vault && !replayed.erased.empty()) {
        bool erasure_replayed = false;
        for (auto it = replayed.audit.rbegin();
             it != replayed.audit.rend() && it->seq > started_from_ && !erasure_replayed; ++it)
            erasure_replayed = it->action == personal_data_erased::type;
        if (erasure_replayed && opts_.snapshots) {
            try {
                opts_.snapshots->remove_all();
            } catch (const std::exception& e) {
                log::warn("the snapshots older than an erasure could not be removed",
                          {{"error", e.what()}});
            }
        }
        try {
            opts_.vault->shred(replayed.erased);
        } catch (const std::exception& e) {
            throw journal_error(std::string("the keys of erased persons cannot be deleted: ") +
                                e.what());
        }
    }
    {
        std::unique_lock lock(state_mutex_);
        public_ = std::move(twin);
        last_fact_ = std::move(last);
    }
    working_ = std::move(replayed);
    head_ = public_.seq;
    facts_applied_ = static_cast<std::uint64_t>(public_.seq);
    journal_->on_appended([this](std::vector<stored_fact> facts) {
        std::lock_guard lock(queue_mutex_);
        remote_.push_back(std::move(facts));
        queue_cv_.notify_one();
    });
    if (opts_.snapshots && opts_.snapshot_every > 0) {
        {
            // A long replay is worth a snapshot at once.
            std::lock_guard lock(snapshot_mutex_);
            last_snapshot_ = started_from_;
            snapshot_due_ = public_.seq - started_from_ >= opts_.snapshot_every;
        }
        snapshotter_ = std::thread([this] {
            name_this_thread("snapshots");
            snapshot_loop();
        });
    }
    writer_ = std::thread([this] {
        name_this_thread("ledger");
        run();
    });
    std::lock_guard lock(queue_mutex_);
    running_ = true;
}

std::optional<std::pair<opened_snapshot, fact>> ledger::load_snapshot() {
    if (!opts_.snapshots) return std::nullopt;
    const auto floor =
        opts_.replay_floor ? opts_.replay_floor() : std::numeric_limits<std::int64_t>::max();
    std::vector<std::int64_t> kept;
    try {
        kept = opts_.snapshots->list();
    } catch (const std::exception& e) {
        log::warn("snapshots cannot be listed: the whole journal is replayed",
                  {{"error", e.what()}});
        return std::nullopt;
    }
    for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
        const auto seq = *it;
        if (seq > floor) continue;
        try {
            auto sealed = opts_.snapshots->load(seq);
            if (!sealed) continue;
            auto snap = open_snapshot(*sealed, opts_.build, true);
            if (snap.seq != seq) throw std::invalid_argument("kept under another sequence number");
            auto facts = journal_->read(seq - 1, 1);
            if (facts.empty())
                throw std::invalid_argument("the journal ends before it, at " +
                                            std::to_string(seq - 1) + " or earlier");
            auto anchor = open_all(facts).front();
            if (anchor_of(anchor) != snap.anchor)
                throw std::invalid_argument("the journal's fact " + std::to_string(seq) +
                                            " is not the one it follows");
            log::info("snapshot loaded", {{"seq", seq}, {"bytes", sealed->size()}});
            return std::pair{std::move(snap), std::move(anchor)};
        } catch (const journal_error&) {
            throw;  // the journal itself is unreadable: the start stops, as without snapshots
        } catch (const std::exception& e) {
            log::warn("a snapshot is ignored", {{"seq", seq}, {"error", e.what()}});
        }
    }
    return std::nullopt;
}

void ledger::snapshot_loop() {
    // A snapshot put off while the outbox is behind is tried again after snapshot_retry,
    // doubled each time it is still behind (docs/architecture.md, "The outbox's floor").
    std::chrono::milliseconds retry{0};
    std::unique_lock lock(snapshot_mutex_);
    for (;;) {
        const auto due = [&] { return snapshot_stopping_ || snapshot_due_; };
        if (retry.count() == 0)
            snapshot_cv_.wait(lock, due);
        else
            snapshot_cv_.wait_for(lock, retry, due);
        if (snapshot_stopping_) return;
        // Not sooner than snapshot_interval after the last one: asked meanwhile, the thread
        // writes at the interval's end, with the facts that came in the while.
        if (last_written_ != std::chrono::steady_clock::time_point{} &&
            snapshot_cv_.wait_until(lock, last_written_ + opts_.snapshot_interval,
                                    [&] { return snapshot_stopping_; }))
            return;
        // Asked for (facts, or a start's long replay), or a retry's own round.
        const bool asked = snapshot_due_;
        snapshot_due_ = false;
        lock.unlock();
        bool written = false;
        bool behind = false;
        try {
            // While the outbox's floor stays behind the newest snapshot (mails not yet stored),
            // another one would not be loadable either: it waits for the outbox.
            const auto kept = opts_.snapshots->list();
            behind = !kept.empty() && opts_.replay_floor && opts_.replay_floor() < kept.back();
            // A retry writes only what the newest one lacks; when asked, even the same head is
            // written again (the one kept may be of another build, or damaged).
            if (!behind && (asked || kept.empty() || kept.back() < head_.load())) {
                write_snapshot();
                written = true;
                last_written_ = std::chrono::steady_clock::now();
            }
        } catch (const std::exception& e) {
            // Only the next start's speed is at stake: tried again after snapshot_every facts.
            log::warn("a snapshot could not be written", {{"error", e.what()}});
        }
        retry = !behind              ? std::chrono::milliseconds{0}
                : retry.count() == 0 ? opts_.snapshot_retry
                                     : std::min(opts_.snapshot_retry_max, 2 * retry);
        lock.lock();
        // Failed or put off: asked again after snapshot_every more facts (put off: the retry
        // above comes first).
        if (!written) last_snapshot_ = std::max(last_snapshot_, head_.load());
    }
}

std::int64_t ledger::snapshot_now() {
    if (!opts_.snapshots) throw std::runtime_error("no snapshot store");
    return write_snapshot();
}

namespace {

// The snapshot's child process, from its fork to its end: one thread, this one. It reads the
// state, allocates, writes the bytes to the pipe and ends without running any exit handler.
[[noreturn]] void encode_in_child(const state& s, int out) {
    // Signals meant for the server (a Ctrl-C reaches the whole process group) end the child
    // rather than reach the server's handlers through the pipe Asio shares with it.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    // If memory runs out, the child goes first.
    if (int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC); fd >= 0) {
        [[maybe_unused]] auto n = ::write(fd, "1000", 4);
        ::close(fd);
    }
    // It keeps nothing of the server's open: no socket, no journal file.
    if (out > 3) ::close_range(3, static_cast<unsigned>(out) - 1, 0);
    ::close_range(static_cast<unsigned>(out) + 1, ~0U, 0);
    try {
        const auto encoded = encode_state(s);
        std::size_t done = 0;
        while (done < encoded.size()) {
            auto n = ::write(out, encoded.data() + done, encoded.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) ::_exit(1);
            done += static_cast<std::size_t>(n);
        }
    } catch (...) {
        ::_exit(1);
    }
    ::_exit(0);
}

// The child's bytes, read to the end; the child is reaped whatever happens.
std::string read_from_child(pid_t child, int in) {
    std::string bytes;
    try {
        char buf[1 << 16];
        for (;;) {
            auto n = ::read(in, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            bytes.append(buf, static_cast<std::size_t>(n));
        }
    } catch (...) {
        ::kill(child, SIGKILL);
        bytes = std::string();
    }
    ::close(in);
    int status = 0;
    pid_t reaped;
    while ((reaped = ::waitpid(child, &status, 0)) < 0 && errno == EINTR) {
    }
    if (reaped != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("the process writing the snapshot failed");
    return bytes;
}

}  // namespace

std::int64_t ledger::write_snapshot() {
    std::lock_guard one(snapshot_write_mutex_);
    auto t0 = std::chrono::steady_clock::now();
    std::string bytes, anchor;
    std::int64_t seq = 0;
    pid_t child = -1;
    int from_child = -1;
    {
        // Readers go on meanwhile; the writer waits to apply its next facts, so the state is
        // turned into bytes by a child process, which has the state as it is now (its memory
        // a copy-on-write image of ours), while the writer goes on as soon as it is forked.
        std::shared_lock lock(state_mutex_);
        if (!last_fact_) return 0;  // an empty journal: nothing to spare a start
        seq = public_.seq;
        anchor = anchor_of(*last_fact_);
        int fds[2];
        if (opts_.snapshot_fork && ::pipe2(fds, O_CLOEXEC) == 0) {
            child = ::fork();
            if (child == 0) encode_in_child(public_, fds[1]);
            ::close(fds[1]);
            if (child < 0)
                ::close(fds[0]);
            else
                from_child = fds[0];
        }
        if (child < 0) bytes = encode_state(public_);  // no child: here, under the lock
    }
    auto locked = std::chrono::steady_clock::now() - t0;
    if (child > 0) bytes = read_from_child(child, from_child);
    const auto sealed = seal_snapshot(seq, opts_.build, anchor, bytes);
    bytes = std::string();
    {
        std::lock_guard lock(snapshot_mutex_);
        last_snapshot_ = std::max(last_snapshot_, seq);
    }
    auto& store = *opts_.snapshots;
    store.save(seq, sealed);
    // Kept: the newest a start may load (at or before the floor), and the two newest, which
    // become loadable as the floor rises. Every other one is dropped.
    const auto floor =
        opts_.replay_floor ? opts_.replay_floor() : std::numeric_limits<std::int64_t>::max();
    auto kept = store.list();
    std::int64_t loadable = 0;
    for (auto k : kept)
        if (k <= floor) loadable = k;
    for (std::size_t i = 0; i + 2 < kept.size(); ++i)
        if (kept[i] != loadable) store.remove(kept[i]);
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    auto ms = duration_cast<milliseconds>(std::chrono::steady_clock::now() - t0).count();
    // `locked_ms`: how long the writer could not apply facts meanwhile.
    log::info("snapshot written", {{"seq", seq},
                                   {"bytes", sealed.size()},
                                   {"ms", ms},
                                   {"locked_ms", duration_cast<milliseconds>(locked).count()},
                                   {"store", store.name()}});
    return seq;
}

void ledger::stop() {
    std::deque<pending> left;
    {
        std::lock_guard once(stop_mutex_);
        {
            std::lock_guard lock(queue_mutex_);
            if (stopping_ && !writer_.joinable()) return;
            stopping_ = true;
            queue_cv_.notify_all();
        }
        if (writer_.joinable()) writer_.join();
        {
            // A submitter committing its own command finishes it first.
            std::unique_lock lock(queue_mutex_);
            queue_cv_.wait(lock, [&] { return !writing_; });
        }
        {
            std::lock_guard lock(snapshot_mutex_);
            snapshot_stopping_ = true;
        }
        snapshot_cv_.notify_all();
        if (snapshotter_.joinable()) snapshotter_.join();
        journal_->close();
        std::lock_guard lock(queue_mutex_);
        left.swap(queue_);
    }
    // Answered once stop_mutex_ is released: an answer that stops the ledger again returns.
    for (auto& p : left) {
        give(p.seed_done, false);
        give(p.done, outcome{{}, true, false, "the server is stopping", {}});
    }
}

void ledger::submit(command c, actor who, callback done, std::optional<idempotency> key) {
    std::unique_lock lock(queue_mutex_);
    if (stopping_ || failed_) {
        done(outcome{{},
                     true,
                     false,
                     stopping_ ? "the server is stopping" : "the ledger stopped: " + failure(),
                     {}});
        return;
    }
    pending p{std::move(c), std::move(who), std::move(done), std::nullopt, {}, std::move(key)};
    if (!opts_.commit_on_caller || !journal_->local() || !running_ || writing_ || !queue_.empty() ||
        !remote_.empty()) {
        // The writer is busy or has work: the command waits its turn, and goes with the
        // others queued by then (group commit).
        queue_.push_back(std::move(p));
        queue_cv_.notify_one();
        return;
    }
    // Nobody waits and the writer is idle: this thread takes the writer's role for its own
    // command. What is submitted meanwhile (by its listeners too) queues for the writer thread.
    writing_ = true;
    lock.unlock();
    std::vector<pending> batch;
    batch.push_back(std::move(p));
    // The role is given back however the work ends (an exception out of `work` included), with the
    // command if it is handed to the writer thread after all (`handed`).
    struct give_back {
        ledger& l;
        std::unique_lock<std::mutex>& lock;
        std::vector<pending>& batch;
        bool handed = false;
        ~give_back() {
            lock.lock();
            l.writing_ = false;
            // First in line: it came before what queued meanwhile. The writer thread reads the
            // journal before it decides (an empty note): handed over after a conflict, the
            // command is decided on the facts that made it.
            if (handed) {
                for (auto it = batch.rbegin(); it != batch.rend(); ++it)
                    l.queue_.push_front(std::move(*it));
                l.remote_.emplace_back();
            }
            // The writer thread, if work came meanwhile, and a stop waiting for this command;
            // not the writer thread for nothing (waking it is what this path spares).
            if (l.stopping_ || !l.queue_.empty() || !l.remote_.empty()) l.queue_cv_.notify_all();
        }
    } release{*this, lock, batch};
    // Another process holds SQLite's write lock, or appended first: rather than wait for it or
    // read its facts here, on a thread that serves other connections, the writer thread does.
    release.handed = !work(batch, false, true);
}

std::string ledger::failure() const {
    std::lock_guard lock(failure_mutex_);
    return failure_;
}

void ledger::stop_writes(const std::string& why) {
    {
        std::lock_guard lock(failure_mutex_);
        if (!failure_.empty()) return;
        failure_ = why;
    }
    failed_ = true;
    log::error("the ledger stopped taking writes", {{"error", why}, {"head", public_.seq}});
}

outcome ledger::execute(command c, actor who) {
    std::promise<outcome> p;
    auto f = p.get_future();
    submit(std::move(c), std::move(who), [&p](outcome o) { p.set_value(std::move(o)); });
    return f.get();
}

bool ledger::seed(std::vector<fact_body> facts) {
    std::promise<bool> p;
    auto f = p.get_future();
    {
        std::lock_guard lock(queue_mutex_);
        if (stopping_) return false;
        pending item{};
        item.seed = std::move(facts);
        item.seed_done = [&p](bool v) { p.set_value(v); };
        queue_.push_back(std::move(item));
        queue_cv_.notify_one();
    }
    return f.get();
}

decision ledger::dry_run(const command& c, const actor& who) const {
    auto now = opts_.now();
    return read([&](const state& s) { return decide(s, c, context{now, who}); });
}

void ledger::run() {
    for (;;) {
        std::vector<pending> batch;
        bool remote = false;
        {
            std::unique_lock lock(queue_mutex_);
            queue_cv_.wait(lock, [&] {
                return stopping_ || (!writing_ && (!queue_.empty() || !remote_.empty()));
            });
            if (stopping_) return;
            remote = !remote_.empty();
            while (!queue_.empty() && batch.size() < opts_.max_batch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            writing_ = true;
        }
        work(batch, remote);
        std::lock_guard lock(queue_mutex_);
        writing_ = false;
    }
}

bool ledger::work(std::vector<pending>& batch, bool remote, bool on_caller) {
    // On a submitter's thread, the journal's write lock first, or the writer thread waits for it.
    if (on_caller && !journal_->lock_now()) return false;
    // Given back if no append used it (a refusal, a failure).
    struct unlock_at_exit {
        journal& j;
        bool held;
        ~unlock_at_exit() {
            if (held) j.unlock();
        }
    } unlock{*journal_, on_caller};
    try {
        if (remote && !failed_) absorb_remote();
        if (!batch.empty()) return process(batch, on_caller);
    } catch (const std::exception& e) {
        // A fact that cannot be applied, a journal that answers nonsense: the state may
        // no longer follow the journal, so no more writes; reads go on.
        stop_writes(e.what());
        count_commands(batch);
        for (auto& p : batch) {
            give(std::exchange(p.seed_done, nullptr), false);
            give(std::exchange(p.done, nullptr),
                 outcome{{}, true, false, "the ledger stopped: " + failure(), {}});
        }
    }
    return true;
}

void ledger::count_commands(const std::vector<pending>& batch) {
    commands_ += static_cast<std::uint64_t>(
        std::count_if(batch.begin(), batch.end(), [](const pending& p) { return !p.seed; }));
}

bool ledger::idle() const {
    std::lock_guard lock(queue_mutex_);
    return running_ && !writing_ && queue_.empty() && remote_.empty();
}

void ledger::observe(const state& before, const fact& f) {
    if (!opts_.observe) return;
    try {
        opts_.observe(before, f);
    } catch (const std::exception& e) {
        // The observer's failure is its own (the outbox): the fact stands.
        log::error("a fact observer failed", {{"error", e.what()}, {"seq", f.seq}});
    }
}

std::vector<fact> ledger::open_all(const std::vector<stored_fact>& stored) {
    if (opts_.vault) return opts_.vault->open(stored);
    std::vector<fact> out;
    out.reserve(stored.size());
    for (const auto& s : stored) out.push_back(to_fact(s));
    return out;
}

void ledger::forget(const std::set<std::string>& subjects) {
    if (opts_.snapshots) {
        // One snapshot written at a time: one begun before the erasure ends first, and goes.
        std::lock_guard one(snapshot_write_mutex_);
        try {
            opts_.snapshots->remove_all();
        } catch (const std::exception& e) {
            log::warn("the snapshots older than an erasure could not be removed",
                      {{"error", e.what()}});
        }
    }
    if (!opts_.vault) return;
    try {
        opts_.vault->shred(subjects);
        log::info("personal data erased", {{"subjects", subjects.size()}});
    } catch (const std::exception& e) {
        // The erasure stands (its fact is committed): the keys go at the next start.
        log::error(
            "the keys of erased persons could not be deleted: they will be at the next start",
            {{"error", e.what()}});
    }
}

void ledger::apply_committed(const std::vector<fact>& facts) {
    if (facts.empty()) return;
    std::set<std::string> erased;
    for (const auto& f : facts)
        if (auto* e = std::get_if<personal_data_erased>(&f.body)) erased.insert(e->subject);
    {
        std::unique_lock lock(state_mutex_);
        for (const auto& f : facts) {
            observe(public_, f);
            apply(public_, f);
        }
        last_fact_ = facts.back();
    }
    if (!erased.empty()) forget(erased);
    head_ = facts.back().seq;
    if (snapshotter_.joinable()) {
        std::lock_guard lock(snapshot_mutex_);
        if (facts.back().seq - last_snapshot_ >= opts_.snapshot_every && !snapshot_due_) {
            snapshot_due_ = true;
            snapshot_cv_.notify_one();
        }
    }
    facts_applied_ += facts.size();
    std::vector<listener> ls;
    {
        std::lock_guard lock(listeners_mutex_);
        ls = listeners_;
    }
    for (const auto& l : ls) {
        try {
            l(facts);
        } catch (const std::exception& e) {
            // A listener's failure is its own (the live channel, the outbox): the facts stand.
            log::error("a fact listener failed", {{"error", e.what()}, {"head", head_.load()}});
        }
    }
}

void ledger::apply_working(const std::vector<fact>& facts) {
    // Applied to the writer's copy first: if a fact does not apply, the readers' state is
    // left as it was, and the exception stops the writes (run).
    for (const auto& f : facts) apply(working_, f);
}

void ledger::catch_up() {
    for (;;) {
        std::vector<stored_fact> batch;
        try {
            batch = journal_->read(public_.seq, 10000);
        } catch (const journal_error& e) {
            log::warn("journal catch-up failed", {{"error", e.what()}, {"head", public_.seq}});
            return;
        }
        if (batch.empty()) return;
        std::vector<fact> facts;
        facts.reserve(batch.size());
        // A fact another instance wrote that this version cannot read or apply: to_fact or
        // apply throws, and the writes stop rather than build a state that differs from the
        // journal.
        facts = open_all(batch);
        apply_working(facts);
        apply_committed(facts);
    }
}

void ledger::absorb_remote() {
    std::vector<std::vector<stored_fact>> notes;
    {
        std::lock_guard lock(queue_mutex_);
        notes.swap(remote_);
    }
    bool need_read = false;
    for (auto& group : notes) {
        if (group.empty()) {
            need_read = true;
            continue;
        }
        std::vector<fact> facts;
        for (const auto& s : group) {
            if (s.seq <= public_.seq + static_cast<std::int64_t>(facts.size()))
                continue;  // known already
            if (s.seq != public_.seq + static_cast<std::int64_t>(facts.size()) + 1) {
                need_read = true;  // a gap: fill it from the journal
                break;
            }
            try {
                facts.push_back(opts_.vault ? opts_.vault->open(s) : to_fact(s));
            } catch (const journal_error&) {
                need_read = true;
                break;
            }
        }
        apply_working(facts);
        apply_committed(facts);
    }
    if (need_read) catch_up();
}

std::optional<outcome> ledger::decide_one(pending& p, instant now, std::vector<fact>& facts,
                                          std::size_t& first) {
    first = facts.size();
    if (p.key) {
        if (auto known = working_.requests.find(p.key->key);
            known != working_.requests.end() && known->second.kept_at(now)) {
            // A retry: answer with what the first request produced (docs/api.md, "Idempotency").
            if (known->second.fingerprint != p.key->fingerprint)
                return outcome{
                    refusal{error::key_reused, "this Idempotency-Key was used for another request",
                            "Idempotency-Key"},
                    false,
                    false,
                    {},
                    {}};
            outcome o;
            o.replayed = true;
            try {
                o.facts = recorded(known->second.first_seq,
                                   static_cast<std::size_t>(known->second.facts), facts);
            } catch (const journal_error& e) {
                return outcome{{}, true, false, e.what(), {}};
            }
            return o;
        }
        if (p.key->replay_only) {
            outcome o;
            o.unrecorded = true;
            return o;
        }
    }
    auto d = decide(working_, p.cmd, context{now, p.who});
    if (!d.ok()) return outcome{d.refused, false, false, {}, {}};
    // The facts go straight to the end of the batch's, numbered after the writer's copy.
    const auto start = facts.size();
    auto make = [&](auto&& body) {
        facts.push_back(fact{working_.seq + static_cast<std::int64_t>(facts.size() - start) + 1,
                             now, p.who.id, fact_body(std::forward<decltype(body)>(body))});
    };
    // The key goes just before the facts it produced, in the same append.
    const bool keyed = p.key && !d.facts.empty();
    if (keyed)
        make(request_recorded{p.key->key, p.key->fingerprint, static_cast<int>(d.facts.size())});
    for (auto& b : d.facts) make(std::move(b));
    try {
        for (auto i = start; i < facts.size(); ++i) apply(working_, facts[i]);
    } catch (const std::exception& e) {
        // A decision whose facts do not apply is a bug: restore the writer's copy (the
        // readers' state plus this batch's earlier facts) and answer this command alone.
        facts.resize(start);
        working_ = public_;
        apply_working(facts);
        log::error("a decided fact does not apply", {{"error", e.what()}});
        return outcome{refusal{error::bad_request, "this request cannot be applied", {}},
                       false,
                       false,
                       {},
                       {}};
    }
    first = start + (keyed ? 1 : 0);
    return std::nullopt;
}

ledger::round ledger::decide_batch(std::vector<pending>& batch, instant now) {
    round r;
    r.facts.reserve(2 * batch.size());  // most commands make one fact, or two with a key
    r.ranges.resize(batch.size());
    r.early.resize(batch.size());
    r.seed_result.resize(batch.size(), false);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        auto& p = batch[i];
        if (p.seed) {
            auto first = r.facts.size();
            if (working_.seq == 0) {
                std::vector<fact> made;
                for (auto& b : *p.seed)
                    made.push_back(fact{working_.seq + static_cast<std::int64_t>(made.size()) + 1,
                                        now, "system", b});
                apply_working(made);
                for (auto& f : made) r.facts.push_back(std::move(f));
                r.seed_result[i] = true;
            }
            r.ranges[i] = {first, r.facts.size()};
            continue;
        }
        std::size_t first = 0;
        r.early[i] = decide_one(p, now, r.facts, first);
        r.ranges[i] = {first, r.facts.size()};
    }
    return r;
}

std::vector<fact> ledger::recorded(std::int64_t first, std::size_t count,
                                   const std::vector<fact>& deciding) {
    if (first <= public_.seq) return open_all(journal_->read(first - 1, count));
    // Decided earlier in this batch: not in the journal yet.
    std::vector<fact> out;
    const auto last = first + static_cast<std::int64_t>(count);
    for (const auto& f : deciding)
        if (f.seq >= first && f.seq < last) out.push_back(f);
    return out;
}

void ledger::answer(std::vector<pending>& batch, round& r, append_status status,
                    const std::string& error) {
    // Counted once, where it is answered, however often it was decided.
    count_commands(batch);
    // The round's facts move into the answers: this is their last use.
    for (std::size_t i = 0; i < batch.size(); ++i) {
        auto& p = batch[i];
        if (p.seed) {
            give(std::exchange(p.seed_done, nullptr),
                 status == append_status::ok && r.seed_result[i]);
            continue;
        }
        outcome o;
        // An answer without new facts (a refusal, a replayed key) decided after other commands'
        // facts in this batch may rest on them: it stands only if they were committed. An
        // unrecorded key rests on none of them (one they recorded would have been replayed).
        if (r.early[i] &&
            (status == append_status::ok || r.ranges[i].first == 0 || r.early[i]->unrecorded)) {
            o = std::move(*r.early[i]);
        } else if (status == append_status::unknown) {
            o.unknown = true;
            o.error = error;
        } else if (status != append_status::ok) {
            o.journal_unavailable = true;
            o.error = error;
        } else {
            auto facts = r.facts.begin();
            o.facts.assign(
                std::make_move_iterator(facts + static_cast<std::ptrdiff_t>(r.ranges[i].first)),
                std::make_move_iterator(facts + static_cast<std::ptrdiff_t>(r.ranges[i].second)));
        }
        // Taken from the command as it is given: should this loop throw after all (memory),
        // `work` answers only those not answered yet.
        give(std::exchange(p.done, nullptr), std::move(o));
    }
}

append_result ledger::append(const std::vector<fact>& facts) {
    std::vector<stored_fact> stored;
    if (opts_.vault) {
        try {
            stored = opts_.vault->seal(facts);
        } catch (const std::exception& e) {
            // No key, no fact: nothing personal is ever written unsealed.
            return {append_status::unavailable, public_.seq,
                    std::string("the key store is unavailable: ") + e.what()};
        }
    } else {
        stored.reserve(facts.size());
        for (const auto& f : facts) stored.push_back(to_stored(f));
    }
    auto started = std::chrono::steady_clock::now();
    auto result = journal_->append(public_.seq, stored);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    append_micros_.store(static_cast<std::uint64_t>(micros.count()));
    if (opts_.on_append) opts_.on_append(static_cast<std::uint64_t>(micros.count()));
    return result;
}

bool ledger::process(std::vector<pending>& batch, bool on_caller) {
    // The last append may have been committed without our knowing: learn it first.
    if (uncertain_) catch_up();
    for (int attempt = 1;; ++attempt) {
        round r = decide_batch(batch, opts_.now());
        if (r.facts.empty()) {
            answer(batch, r, append_status::ok, {});
            return true;
        }
        auto result = append(r.facts);
        if (result.status == append_status::ok) {
            last_append_failed_ = false;
            uncertain_ = false;
            apply_committed(r.facts);
            answer(batch, r, append_status::ok, {});
            return true;
        }
        // Undo the batch on the working copy.
        working_ = public_;
        if (result.status == append_status::unavailable ||
            result.status == append_status::unknown) {
            last_append_failed_ = true;
            uncertain_ = result.status == append_status::unknown;
            log::warn(uncertain_ ? "journal append unconfirmed" : "journal append failed",
                      {{"error", result.error}, {"commands", batch.size()}});
            answer(batch, r, result.status,
                   uncertain_ ? "the journal did not confirm the append"
                              : "the journal is unavailable");
            return true;
        }
        // Conflict: another writer appended first. The writer thread catches up and decides
        // again (reading its facts is the writer's work, not a submitter's).
        ++conflicts_;
        if (on_caller) return false;
        catch_up();
        if (attempt >= opts_.max_attempts) {
            log::warn("journal append gave up after conflicts", {{"attempts", attempt}});
            answer(batch, r, append_status::unavailable, "the journal is unavailable");
            return true;
        }
    }
}

}  // namespace creneau::server
