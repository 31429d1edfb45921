#include "server/ledger.hpp"

#include "server/log.hpp"

#include <future>

namespace creneau::server {

fact to_fact(const stored_fact& s) {
    try {
        fact f;
        f.seq = s.seq;
        auto at = parse_rfc3339(s.at);
        if (!at) throw std::invalid_argument("/at: not an RFC 3339 instant: '" + s.at + "'");
        f.at = *at;
        f.actor = s.actor;
        f.body = fact_body_from_json(nlohmann::json::parse(s.body));
        if (type_of(f.body) != s.kind)
            throw std::invalid_argument("kind '" + s.kind + "' does not match the body's type '" +
                                        std::string(type_of(f.body)) + "'");
        return f;
    } catch (const std::exception& e) {
        throw journal_error("journal fact " + std::to_string(s.seq) + " is unreadable: " + e.what());
    }
}

stored_fact to_stored(const fact& f) {
    return {f.seq, format_utc(f.at), f.actor, std::string(type_of(f.body)), to_json(f.body).dump()};
}

ledger::ledger(std::unique_ptr<journal> j, ledger_options opts) : journal_(std::move(j)), opts_(std::move(opts)) {}

ledger::~ledger() { stop(); }

void ledger::add_listener(listener l) {
    std::lock_guard lock(listeners_mutex_);
    listeners_.push_back(std::move(l));
}

void ledger::start() {
    // Replay into a fresh state first: a corrupt journal stops here, before anything is served.
    state replayed;
    for (;;) {
        auto batch = journal_->read(replayed.seq, 10000);
        if (batch.empty()) break;
        for (const auto& s : batch) {
            fact f = to_fact(s);
            if (f.seq != replayed.seq + 1)
                throw journal_error("journal fact " + std::to_string(replayed.seq + 1) + " is missing");
            try {
                apply(replayed, f);
            } catch (const std::exception& e) {
                throw journal_error("journal fact " + std::to_string(f.seq) + " (" + s.kind +
                                    ") does not apply to the state before it: " + e.what());
            }
        }
    }
    {
        std::unique_lock lock(state_mutex_);
        public_ = replayed;
    }
    working_ = std::move(replayed);
    head_ = public_.seq;
    facts_applied_ = static_cast<std::uint64_t>(public_.seq);
    journal_->on_appended([this](std::vector<stored_fact> facts) {
        std::lock_guard lock(queue_mutex_);
        remote_.push_back(std::move(facts));
        queue_cv_.notify_one();
    });
    writer_ = std::thread([this] { run(); });
}

void ledger::stop() {
    {
        std::lock_guard lock(queue_mutex_);
        if (stopping_ && !writer_.joinable()) return;
        stopping_ = true;
        queue_cv_.notify_all();
    }
    if (writer_.joinable()) writer_.join();
    journal_->close();
    std::deque<pending> left;
    {
        std::lock_guard lock(queue_mutex_);
        left.swap(queue_);
    }
    for (auto& p : left) {
        if (p.seed_done) p.seed_done(false);
        if (p.done) p.done(outcome{{}, true, "the server is stopping", {}});
    }
}

void ledger::submit(command c, actor who, callback done) {
    std::lock_guard lock(queue_mutex_);
    if (stopping_) {
        done(outcome{{}, true, "the server is stopping", {}});
        return;
    }
    queue_.push_back(pending{std::move(c), std::move(who), std::move(done), std::nullopt, {}});
    queue_cv_.notify_one();
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
            queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty() || !remote_.empty(); });
            if (stopping_) return;
            remote = !remote_.empty();
            while (!queue_.empty() && batch.size() < opts_.max_batch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        if (remote) absorb_remote();
        if (!batch.empty()) process(batch);
    }
}

void ledger::apply_committed(const std::vector<fact>& facts) {
    if (facts.empty()) return;
    {
        std::unique_lock lock(state_mutex_);
        for (const auto& f : facts) apply(public_, f);
    }
    head_ = facts.back().seq;
    facts_applied_ += facts.size();
    std::vector<listener> ls;
    {
        std::lock_guard lock(listeners_mutex_);
        ls = listeners_;
    }
    for (const auto& l : ls) l(facts);
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
        try {
            for (const auto& s : batch) facts.push_back(to_fact(s));
        } catch (const journal_error& e) {
            // A fact another instance wrote that this version cannot read: stop applying
            // rather than build a state that differs from the journal.
            log::error("journal fact unreadable", {{"error", e.what()}});
            return;
        }
        for (const auto& f : facts) apply(working_, f);
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
            if (s.seq <= public_.seq + static_cast<std::int64_t>(facts.size())) continue;  // known already
            if (s.seq != public_.seq + static_cast<std::int64_t>(facts.size()) + 1) {
                need_read = true;  // a gap: fill it from the journal
                break;
            }
            try {
                facts.push_back(to_fact(s));
            } catch (const journal_error&) {
                need_read = true;
                break;
            }
        }
        for (const auto& f : facts) apply(working_, f);
        apply_committed(facts);
    }
    if (need_read) catch_up();
}

void ledger::process(std::vector<pending>& batch) {
    std::vector<std::optional<decision>> decisions(batch.size());
    for (int attempt = 1;; ++attempt) {
        const instant now = opts_.now();
        std::vector<fact> facts;
        std::vector<std::pair<std::size_t, std::size_t>> ranges(batch.size());  // per command: [first, last)
        std::vector<bool> seed_result(batch.size(), false);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            auto first = facts.size();
            auto& p = batch[i];
            std::vector<fact_body> bodies;
            std::string who = p.who.id;
            if (p.seed) {
                if (working_.seq == 0) {
                    bodies = *p.seed;
                    seed_result[i] = true;
                }
                who = "system";
            } else {
                decisions[i] = decide(working_, p.cmd, context{now, p.who});
                if (decisions[i]->ok()) bodies = decisions[i]->facts;
            }
            for (auto& b : bodies) {
                fact f{working_.seq + 1, now, who, std::move(b)};
                apply(working_, f);
                facts.push_back(std::move(f));
            }
            ranges[i] = {first, facts.size()};
        }

        auto answer = [&](bool committed) {
            for (std::size_t i = 0; i < batch.size(); ++i) {
                auto& p = batch[i];
                if (p.seed) {
                    if (p.seed_done) p.seed_done(committed && seed_result[i]);
                    continue;
                }
                outcome o;
                if (decisions[i] && decisions[i]->refused) o.refused = decisions[i]->refused;
                else if (!committed) {
                    o.journal_unavailable = true;
                    o.error = "the journal is unavailable";
                } else
                    o.facts.assign(facts.begin() + static_cast<std::ptrdiff_t>(ranges[i].first),
                                   facts.begin() + static_cast<std::ptrdiff_t>(ranges[i].second));
                if (p.done) p.done(std::move(o));
            }
        };

        if (facts.empty()) {
            answer(true);
            return;
        }
        std::vector<stored_fact> stored;
        stored.reserve(facts.size());
        for (const auto& f : facts) stored.push_back(to_stored(f));
        auto started = std::chrono::steady_clock::now();
        auto result = journal_->append(public_.seq, stored);
        auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
        append_micros_.store(static_cast<std::uint64_t>(micros.count()));
        if (opts_.on_append) opts_.on_append(static_cast<std::uint64_t>(micros.count()));

        if (result.status == append_status::ok) {
            last_append_failed_ = false;
            apply_committed(facts);
            answer(true);
            return;
        }
        // Undo the batch on the working copy.
        working_ = public_;
        if (result.status == append_status::unavailable) {
            last_append_failed_ = true;
            log::warn("journal append failed", {{"error", result.error}, {"commands", batch.size()}});
            answer(false);
            return;
        }
        // Conflict: another writer appended first. Catch up and decide again.
        catch_up();
        if (attempt >= opts_.max_attempts) {
            log::warn("journal append gave up after conflicts", {{"attempts", attempt}});
            answer(false);
            return;
        }
    }
}

}  // namespace creneau::server
