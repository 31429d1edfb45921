// The ledger on real journals: group commit, copies of a request with one key in one batch,
// races between two ledgers on one SQLite file and on one Redis, a writer killed mid-append,
// Redis stopped and restarted, a corrupt journal, and starts from snapshots of the state.

#include "server/journal/ledger.hpp"
#include "server/journal/redis_journal.hpp"
#include "server/journal/sqlite_journal.hpp"

#include "common/catalogue/document.hpp"
#include "common/state_codec.hpp"

#include "support/process.hpp"
#include "support/redis_server.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <sodium.h>
#include <sqlite3.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>

using namespace creneau;
using namespace creneau::server;
using namespace creneau::test;

namespace {

const instant test_now = *parse_rfc3339("2026-03-02T08:00:00Z");

ledger_options fixed_clock() {
    ledger_options o;
    o.now = [] { return test_now; };
    return o;
}

std::vector<fact_body> default_catalogue() {
    std::ifstream in(std::string(CRENEAU_SOURCE_DIR) + "/server/catalogue/default.json");
    return catalogue_facts(nlohmann::json::parse(in), "default.json");
}

const actor artois{"u-artois", role::member, "univ-artois", false};
const actor llv_admin{"u-admin", role::admin, "llv", false};

request_reservation atrium_on(int day, int hour = 9) {
    // Days of April 2026 from Monday 6; weekdays only.
    int weekday_index = day % 5, week = day / 5;
    instant start = *parse_rfc3339("2026-04-06T09:00:00+02:00") +
                    std::chrono::hours(24 * (week * 7 + weekday_index)) +
                    std::chrono::hours(hour - 9);
    return {"atrium",     start, start + std::chrono::hours(2), "plenary", 50, "univ-artois",
            "Conférence", {}};
}

state full_replay(std::unique_ptr<journal> j) {
    ledger l(std::move(j), fixed_clock());
    l.start();
    return l.read([](const state& s) { return s; });
}

template <class Pred>
bool eventually(Pred p, std::chrono::milliseconds t) {
    auto deadline = std::chrono::steady_clock::now() + t;
    while (!p()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace

TEST_CASE("ledger on SQLite: commands are committed, replayed after a restart", "[ledger]") {
    temp_dir dir;
    std::string id;
    {
        ledger l(std::make_unique<sqlite_journal>(dir.path() / "journal.db"), fixed_clock());
        l.start();
        REQUIRE(l.seed(default_catalogue()));
        auto o = l.execute(atrium_on(0), artois);
        REQUIRE(o.ok());
        id = std::get<reservation_requested>(o.facts.front().body).value.id;
        CHECK(o.facts.front().seq == l.head());
        auto refused = l.execute(atrium_on(0), artois);
        REQUIRE(refused.refused);
        CHECK(refused.refused->code == error::slot_taken);
        l.stop();
    }
    ledger again(std::make_unique<sqlite_journal>(dir.path() / "journal.db"), fixed_clock());
    again.start();
    CHECK_FALSE(again.seed(default_catalogue()));  // not empty: the catalogue is not loaded twice
    CHECK(again.read([&](const state& s) { return s.reservations.count(id); }) == 1);
}

TEST_CASE("a seed whose facts do not apply is answered false, and nothing is written", "[ledger]") {
    temp_dir dir;
    const auto file = dir.path() / "journal.db";
    {
        ledger l(std::make_unique<sqlite_journal>(file), fixed_clock());
        l.start();
        // Approving a reservation nobody requested: the fold throws on it.
        std::vector<fact_body> broken{reservation_approved{"r-none", 0, false}};
        auto seeded = std::async(std::launch::async, [&] { return l.seed(std::move(broken)); });
        if (seeded.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
            // Answered never: the future would wait for ever in its destructor.
            FAIL_CHECK("the seed was not answered");
            std::_Exit(1);
        }
        CHECK_FALSE(seeded.get());
        // The writes stopped (the state may no longer follow the journal); reads go on.
        auto o = l.execute(atrium_on(0), artois);
        CHECK(o.journal_unavailable);
        CHECK(l.head() == 0);
    }
    CHECK(full_replay(std::make_unique<sqlite_journal>(file)).seq == 0);
}

TEST_CASE("a ledger stopped from two threads at once stops once, and answers what was queued",
          "[ledger]") {
    temp_dir dir;
    for (int round = 0; round < 50; ++round) {
        const auto file = dir.path() / numbered("journal-", round);
        std::atomic<int> answered{0}, committed{0};
        {
            // Every command queued for the writer thread, none committed by its submitter.
            auto opts = fixed_clock();
            opts.commit_on_caller = false;
            ledger l(std::make_unique<sqlite_journal>(file), opts);
            l.start();
            REQUIRE(l.seed(default_catalogue()));
            for (int i = 0; i < 20; ++i)
                l.submit(atrium_on(i), artois, [&](const outcome& o) {
                    ++answered;
                    if (o.ok()) ++committed;
                });
            std::atomic<int> ready{0};
            auto stopper = [&] {
                ++ready;
                while (ready < 2) {
                }
                l.stop();
            };
            std::thread a(stopper), b(stopper);
            a.join();
            b.join();
        }
        // Each queued command was answered once, and what was acknowledged is in the journal.
        CHECK(answered == 20);
        CHECK(full_replay(std::make_unique<sqlite_journal>(file)).reservations.size() ==
              static_cast<std::size_t>(committed.load()));
    }
}

TEST_CASE("ledger on SQLite: concurrent submitters are group-committed, each answered on its own",
          "[ledger]") {
    temp_dir dir;
    ledger l(std::make_unique<sqlite_journal>(dir.path() / "journal.db"), fixed_clock());
    l.start();
    REQUIRE(l.seed(default_catalogue()));
    const auto before = l.head();
    // 64 submitters, 8 of them on each of 8 slots: exactly one per slot wins.
    std::vector<std::future<outcome>> results;
    for (int i = 0; i < 64; ++i)
        results.push_back(std::async(std::launch::async,
                                     [&l, i] { return l.execute(atrium_on(i % 8), artois); }));
    int ok = 0, taken = 0;
    std::set<std::int64_t> seqs;
    for (auto& f : results) {
        auto o = f.get();
        if (o.ok()) {
            ++ok;
            seqs.insert(o.facts.front().seq);
        } else if (o.refused && o.refused->code == error::slot_taken) {
            ++taken;
        }
    }
    CHECK(ok == 8);
    CHECK(taken == 56);
    CHECK(seqs.size() == 8);
    CHECK(l.head() == before + 8);
    CHECK(l.commands() == 64);  // the seed is not a command
}

namespace {

// Submits without waiting; the answer comes through the future.
std::future<outcome> submit(ledger& l, const command& c, std::optional<idempotency> key = {}) {
    auto answer = std::make_shared<std::promise<outcome>>();
    auto got = answer->get_future();
    l.submit(
        c, artois, [answer](outcome o) { answer->set_value(std::move(o)); }, std::move(key));
    return got;
}

// Holds the writer after an append (ledger_options::on_append runs on the thread holding the
// writer's role) until released: the commands submitted meanwhile are decided together, in the
// batch after it.
struct writer_latch {
    std::atomic<bool> armed{false};
    std::promise<void> entered, released;
    std::shared_future<void> go = released.get_future().share();

    void install(ledger_options& o) {
        o.on_append = [this](std::uint64_t) {
            if (!armed.exchange(false)) return;
            entered.set_value();
            go.wait();
        };
    }
    // Appends a booking of its own and holds the writer after it; its answer comes once released.
    std::future<outcome> hold(ledger& l) {
        armed = true;
        // From a thread of its own: a lone command is appended on the thread that submits it.
        auto held =
            std::async(std::launch::async, [&l] { return submit(l, atrium_on(100)).get(); });
        entered.get_future().wait();
        return held;
    }
};

// Waits until no thread holds the writer's role and nothing waits: the writer thread answers a
// seed or a batch before it lets the role go, so the next command could still queue.
void wait_idle(const ledger& l) {
    for (int i = 0; i < 2000 && !l.idle(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(l.idle());
}

// A ledger on a new SQLite journal, seeded with the catalogue, whose clock the test sets.
struct clocked_ledger {
    temp_dir dir;
    std::atomic<instant> now{test_now};
    ledger l{std::make_unique<sqlite_journal>(dir.path() / "journal.db"), options()};

    clocked_ledger() {
        l.start();
        REQUIRE(l.seed(default_catalogue()));
    }
    ledger_options options() {
        ledger_options o;
        o.now = [this] { return now.load(); };
        return o;
    }
};

// A ledger on a new SQLite journal, seeded with the catalogue, whose writer the test can hold.
struct latched_ledger {
    temp_dir dir;
    writer_latch latch;
    ledger l{std::make_unique<sqlite_journal>(dir.path() / "journal.db"), options()};

    latched_ledger() {
        l.start();
        REQUIRE(l.seed(default_catalogue()));
    }
    ledger_options options() {
        auto o = fixed_clock();
        latch.install(o);
        return o;
    }
};

}  // namespace

TEST_CASE("a key is kept for a day: a request with it after that is a new request", "[ledger]") {
    clocked_ledger c;
    auto& now = c.now;
    auto& l = c.l;
    const idempotency key{"key-1", "fingerprint-1"};
    const auto first = submit(l, atrium_on(1), key).get();
    REQUIRE(first.ok());
    now = test_now + std::chrono::hours(23);
    CHECK(submit(l, atrium_on(1), key).get().replayed);
    const idempotency other{"key-1", "fingerprint-2"};
    CHECK(submit(l, atrium_on(2), other).get().refused->code == error::key_reused);
    // A day on, with no other key recorded meanwhile (which would have dropped it), the key
    // is free again: the same request is decided anew (its slot is taken by now), another
    // one is made.
    now = test_now + std::chrono::hours(24);
    const auto again = submit(l, atrium_on(1), key).get();
    CHECK_FALSE(again.replayed);
    REQUIRE(again.refused);
    CHECK(again.refused->code == error::slot_taken);
    const auto made = submit(l, atrium_on(2), other).get();
    CHECK(made.ok());
    CHECK_FALSE(made.replayed);
}

TEST_CASE("a replay-only key is answered from the journal, or said unrecorded and not decided",
          "[ledger]") {
    clocked_ledger c;
    auto& now = c.now;
    auto& l = c.l;
    const auto only = [](idempotency k) {
        k.replay_only = true;
        return std::optional<idempotency>(k);
    };
    const idempotency key{"key-1", "fingerprint-1"};
    // Not recorded: nothing is decided, the key is not recorded, no fact is written.
    const auto head = l.head();
    const auto unrecorded = submit(l, atrium_on(1), only(key)).get();
    CHECK(unrecorded.unrecorded);
    CHECK_FALSE(unrecorded.ok());
    CHECK_FALSE(unrecorded.refused);
    CHECK(unrecorded.facts.empty());
    CHECK(l.head() == head);
    CHECK(l.read([](const state& s) { return s.requests.size(); }) == 0);
    // Recorded: the first answer's facts, whatever the command sent with it.
    const auto first = submit(l, atrium_on(1), key).get();
    REQUIRE(first.ok());
    const auto replay = submit(l, atrium_on(7), only(key)).get();
    CHECK(replay.replayed);
    CHECK_FALSE(replay.unrecorded);
    REQUIRE(replay.facts.size() == first.facts.size());
    CHECK(replay.facts.front().seq == first.facts.front().seq);
    // Another request's fingerprint is refused as for any retry.
    const auto reused = submit(l, atrium_on(1), only({"key-1", "fingerprint-2"})).get();
    REQUIRE(reused.refused);
    CHECK(reused.refused->code == error::key_reused);
    // A day on, by the ledger's clock, the key is no longer kept.
    now = test_now + std::chrono::hours(24);
    const auto dropped = submit(l, atrium_on(1), only(key)).get();
    CHECK(dropped.unrecorded);
    CHECK(l.head() == first.facts.back().seq);
}

TEST_CASE("copies of a request with one key, decided in the batch of the first, get its facts",
          "[ledger]") {
    const int keys = 40;
    latched_ledger held_ledger;
    auto& l = held_ledger.l;
    auto& latch = held_ledger.latch;
    auto held = latch.hold(l);
    // The writer is held: each key is sent twice, and both copies go in the next batch, where
    // the copy is decided before the first is committed.
    std::vector<std::future<outcome>> answers;
    for (int i = 0; i < keys; ++i) {
        const idempotency key{numbered("key-", i), numbered("fingerprint-", i)};
        for (int copy = 0; copy < 2; ++copy) answers.push_back(submit(l, atrium_on(i), key));
    }
    latch.released.set_value();
    CHECK(held.get().ok());
    int replayed = 0;
    for (int i = 0; i < keys; ++i) {
        INFO("key " << i);
        auto first = answers[2 * i].get(), second = answers[2 * i + 1].get();
        REQUIRE(first.ok());
        REQUIRE(second.ok());
        REQUIRE(first.facts.size() == 1);
        REQUIRE(second.facts.size() == 1);
        CHECK(first.facts == second.facts);
        CHECK_FALSE(first.replayed);
        replayed += second.replayed;
    }
    CHECK(replayed == keys);
    // One reservation per key: a fresh replay of the journal says the same.
    auto fresh =
        full_replay(std::make_unique<sqlite_journal>(held_ledger.dir.path() / "journal.db"));
    CHECK(fresh.reservations.size() == keys + 1);
    CHECK(l.read([&](const state& s) { return s == fresh; }));
}

TEST_CASE(
    "a lone command is committed on the thread that submits it, and those that come meanwhile "
    "go to the writer thread together",
    "[ledger]") {
    temp_dir dir;
    writer_latch latch;
    auto opts = fixed_clock();
    latch.install(opts);
    std::atomic<int> appends{0};
    auto held_append = opts.on_append;
    opts.on_append = [&](std::uint64_t micros) {
        ++appends;
        held_append(micros);
    };
    ledger l(std::make_unique<sqlite_journal>(dir.path() / "journal.db"), opts);
    l.start();
    REQUIRE(l.seed(default_catalogue()));
    const auto here = std::this_thread::get_id();
    // The threads that hand the facts to the listeners, and a command a listener submits from
    // inside the first publication it sees (the writer's role is held then).
    std::mutex seen_mutex;
    std::vector<std::thread::id> publishers;
    std::promise<std::pair<outcome, std::thread::id>> nested;
    auto nested_answer = nested.get_future();
    std::atomic<bool> nested_sent{false};
    l.add_listener([&](const std::vector<fact>&) {
        {
            std::lock_guard lock(seen_mutex);
            publishers.push_back(std::this_thread::get_id());
        }
        if (!nested_sent.exchange(true))
            l.submit(atrium_on(50), artois, [&](outcome o) {
                nested.set_value({std::move(o), std::this_thread::get_id()});
            });
    });
    // Alone: decided, appended, published and answered here, before submit returns.
    wait_idle(l);
    std::optional<std::thread::id> answered_on;
    std::optional<outcome> lone;
    l.submit(atrium_on(1), artois, [&](outcome o) {
        answered_on = std::this_thread::get_id();
        lone = std::move(o);
    });
    REQUIRE(lone);
    CHECK(lone->ok());
    CHECK(answered_on == here);
    {
        std::lock_guard lock(seen_mutex);
        REQUIRE(publishers.size() >= 1);
        CHECK(publishers.front() == here);
    }
    // The listener's own command queued for the writer thread: answered there, not lost.
    REQUIRE(nested_answer.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    const auto [nested_outcome, writer] = nested_answer.get();
    CHECK(nested_outcome.ok());
    CHECK(writer != here);
    // A command held in its append on a thread of its own: the ten sent meanwhile wait, then
    // go in one batch on the writer thread, neither here nor there.
    auto held = latch.hold(l);
    const auto before = appends.load();
    std::vector<std::future<std::pair<outcome, std::thread::id>>> queued;
    for (int i = 0; i < 10; ++i) {
        auto answer = std::make_shared<std::promise<std::pair<outcome, std::thread::id>>>();
        queued.push_back(answer->get_future());
        l.submit(atrium_on(10 + i), artois, [answer](outcome o) {
            answer->set_value({std::move(o), std::this_thread::get_id()});
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    for (auto& q : queued)
        CHECK(q.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
    latch.released.set_value();
    REQUIRE(held.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    CHECK(held.get().ok());
    std::set<std::thread::id> writers;
    for (auto& q : queued) {
        REQUIRE(q.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        auto [o, on] = q.get();
        CHECK(o.ok());
        writers.insert(on);
    }
    // The writer thread: the one that answered the listener's command.
    CHECK(writers == std::set<std::thread::id>{writer});
    CHECK(appends.load() == before + 1);
    CHECK(l.commands() == 13);
    l.stop();
    // Committed, all of them, in the order of their sequence numbers.
    auto fresh = full_replay(std::make_unique<sqlite_journal>(dir.path() / "journal.db"));
    CHECK(fresh.reservations.size() == 13);
}

TEST_CASE("a stop while a command is being committed waits for it, then answers what queued",
          "[ledger]") {
    temp_dir dir;
    writer_latch latch;
    auto opts = fixed_clock();
    latch.install(opts);
    std::optional<ledger> l(std::in_place,
                            std::make_unique<sqlite_journal>(dir.path() / "journal.db"), opts);
    l->start();
    REQUIRE(l->seed(default_catalogue()));
    auto held = latch.hold(*l);
    std::vector<std::future<outcome>> queued;
    for (int i = 0; i < 5; ++i) queued.push_back(submit(*l, atrium_on(10 + i)));
    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
        l->stop();
        stopped = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK_FALSE(stopped);
    latch.released.set_value();
    stopper.join();
    REQUIRE(held.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    CHECK(held.get().ok());
    for (auto& q : queued) {
        REQUIRE(q.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        CHECK(q.get().journal_unavailable);
    }
    l.reset();
    // The command being committed is in the journal; those that queued behind it are not.
    auto fresh = full_replay(std::make_unique<sqlite_journal>(dir.path() / "journal.db"));
    CHECK(fresh.reservations.size() == 1);
}

TEST_CASE(
    "an answer that throws is logged: the writes go on, and the rest of its batch is "
    "answered once",
    "[ledger]") {
    latched_ledger held_ledger;
    auto& l = held_ledger.l;
    auto& latch = held_ledger.latch;
    // One batch of three behind a held append; the second's answer throws.
    auto held = latch.hold(l);
    std::atomic<int> answers[3] = {0, 0, 0};
    std::atomic<int> committed{0};
    for (int i = 0; i < 3; ++i)
        l.submit(atrium_on(10 + i), artois, [&, i](const outcome& o) {
            ++answers[i];
            if (o.ok()) ++committed;
            if (i == 1) throw std::runtime_error("an answer that fails");
        });
    latch.released.set_value();
    REQUIRE(held.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    CHECK(held.get().ok());
    CHECK(eventually([&] { return committed.load() == 3; }, std::chrono::seconds(10)));
    // Nothing stopped: the next command is committed (once the batch's work has ended), and
    // each answer was given once.
    CHECK(l.execute(atrium_on(20), artois).ok());
    CHECK(l.failure().empty());
    CHECK(l.journal_available());
    for (auto& a : answers) CHECK(a.load() == 1);
    l.stop();
    CHECK(full_replay(std::make_unique<sqlite_journal>(held_ledger.dir.path() / "journal.db"))
              .reservations.size() == 5);
}

TEST_CASE(
    "a lone command does not wait on its thread for another process's write lock, nor catch up "
    "after another's append: the writer thread does",
    "[ledger]") {
    temp_dir dir;
    const auto file = dir.path() / "journal.db";
    // Its watcher never looks: another ledger's appends are found by a conflict alone.
    ledger l(std::make_unique<sqlite_journal>(file, std::chrono::hours(1)), fixed_clock());
    l.start();
    REQUIRE(l.seed(default_catalogue()));
    const auto here = std::this_thread::get_id();
    struct answer {
        std::promise<std::pair<outcome, std::thread::id>> promise;
        std::future<std::pair<outcome, std::thread::id>> future = promise.get_future();
    };
    auto send = [&](const command& c) {
        auto a = std::make_shared<answer>();
        l.submit(c, artois, [a](outcome o) {
            a->promise.set_value({std::move(o), std::this_thread::get_id()});
        });
        return a;
    };
    // Another process's transaction holds the write lock: submit returns unanswered, and the
    // writer thread commits the command once the lock is free.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    wait_idle(l);
    auto waited = send(atrium_on(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(waited->future.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
    REQUIRE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(waited->future.wait_for(std::chrono::seconds(15)) == std::future_status::ready);
    auto [first, first_on] = waited->future.get();
    CHECK(first.ok());
    CHECK(first_on != here);
    // The lock is free again: a lone command is committed here, and a refused one gives the
    // lock back without an append.
    wait_idle(l);
    auto lone = send(atrium_on(2));
    REQUIRE(lone->future.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    auto [second, second_on] = lone->future.get();
    CHECK(second.ok());
    CHECK(second_on == here);
    auto refused = send(atrium_on(2));
    REQUIRE(refused->future.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    CHECK(refused->future.get().first.refused);
    sqlite3_busy_timeout(other, 0);
    CHECK(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    CHECK(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    // Another ledger on the same file appends first: the conflict sends the command to the
    // writer thread, which reads that fact and decides again.
    {
        ledger b(std::make_unique<sqlite_journal>(file, std::chrono::hours(1)), fixed_clock());
        b.start();
        CHECK(b.execute(atrium_on(3), artois).ok());
        b.stop();
    }
    const auto conflicts = l.conflicts();
    wait_idle(l);
    auto after = send(atrium_on(4));
    REQUIRE(after->future.wait_for(std::chrono::seconds(15)) == std::future_status::ready);
    auto [fourth, fourth_on] = after->future.get();
    CHECK(fourth.ok());
    CHECK(fourth_on != here);
    // Once: the writer thread read that fact before deciding again.
    CHECK(l.conflicts() == conflicts + 1);
    CHECK(l.read([](const state& s) { return s.reservations.size(); }) == 4);
    CHECK(l.commands() == 4);
    l.stop();
    auto fresh = full_replay(std::make_unique<sqlite_journal>(file));
    CHECK(fresh.reservations.size() == 4);
}

TEST_CASE("with commit_on_caller off, every command is decided and answered on the writer thread",
          "[ledger]") {
    temp_dir dir;
    auto opts = fixed_clock();
    opts.commit_on_caller = false;
    ledger l(std::make_unique<sqlite_journal>(dir.path() / "journal.db"), opts);
    l.start();
    REQUIRE(l.seed(default_catalogue()));
    std::promise<std::thread::id> answered;
    auto on = answered.get_future();
    l.submit(atrium_on(1), artois, [&](outcome o) {
        answered.set_value(o.ok() ? std::this_thread::get_id() : std::thread::id{});
    });
    const auto id = on.get();
    CHECK(id != std::thread::id{});
    CHECK(id != std::this_thread::get_id());
}

TEST_CASE(
    "a batch whose append fails answers every command it decided after new facts with the "
    "failure, the copies of a key and the refusals they caused included",
    "[ledger][redis]") {
    redis_server redis;
    const auto url = redis_url(redis.port(), "copies");
    writer_latch latch;
    auto opts = fixed_clock();
    latch.install(opts);
    ledger l(std::make_unique<redis_journal>(parse_redis_url(url), std::chrono::seconds(5),
                                             std::chrono::seconds(2)),
             opts);
    l.start();
    REQUIRE(l.seed(default_catalogue()));
    auto held = latch.hold(l);
    redis.stop();
    const bool down = eventually([&] { return !l.journal_available(); }, std::chrono::seconds(5));
    // One batch: a request with a key, its copy, and another request for the same slot (which
    // the first takes, in the batch).
    const idempotency key{"key-down", "fingerprint-down"};
    std::future<outcome> answers[] = {submit(l, atrium_on(1), key), submit(l, atrium_on(1), key),
                                      submit(l, atrium_on(1))};
    latch.released.set_value();
    CHECK(held.get().ok());
    REQUIRE(down);
    for (int n = 0; n < 3; ++n) {
        INFO("command " << n);
        auto o = answers[n].get();
        CHECK_FALSE(o.ok());
        CHECK_FALSE(o.refused);  // not slot-taken: the slot was taken by what was not committed
        CHECK((o.journal_unavailable || o.unknown));
        CHECK(o.facts.empty());
    }
    // Back up, the same request with the same key is decided anew (nothing of it was kept).
    redis.start();
    outcome again;
    REQUIRE(eventually(
        [&] {
            again = submit(l, atrium_on(1), key).get();
            return !again.journal_unavailable && !again.unknown;
        },
        scaled(std::chrono::seconds(15))));
    CHECK(again.ok());
    CHECK_FALSE(again.replayed);
    ledger fresh(std::make_unique<redis_journal>(parse_redis_url(url)), fixed_clock());
    fresh.start();
    CHECK(fresh.read([](const state& s) { return s.reservations.size(); }) == 2);
}

TEST_CASE(
    "two ledgers on one SQLite file, each with many submitters, race for the same slots: one "
    "winner per slot, and both agree with the journal",
    "[ledger]") {
    temp_dir dir;
    auto file = dir.path() / "journal.db";
    ledger a(std::make_unique<sqlite_journal>(file), fixed_clock());
    ledger b(std::make_unique<sqlite_journal>(file), fixed_clock());
    a.start();
    REQUIRE(a.seed(default_catalogue()));
    b.start();
    REQUIRE(eventually([&] { return b.head() == a.head(); }, scaled(std::chrono::seconds(5))));
    // 16 submitters on each ledger over 64 slots: every slot is asked for 4 times by each
    // ledger at about the same time, so that the batches of one meet the other's appends
    // (conflicts) and are decided again.
    const int slots = 64;
    std::vector<std::future<std::vector<outcome>>> runs;
    for (int t = 0; t < 32; ++t)
        runs.push_back(std::async(std::launch::async, [&, t] {
            ledger& l = t % 2 ? b : a;
            std::vector<outcome> mine;
            for (int slot = (t / 2) % 4; slot < slots; slot += 4)
                mine.push_back(l.execute(atrium_on(slot), artois));
            return mine;
        }));
    std::map<instant, int> won;  // winners per slot
    std::set<std::string> ids;
    int ok = 0, taken = 0, failed = 0;
    for (auto& r : runs)
        for (auto& o : r.get()) {
            if (o.ok()) {
                ++ok;
                REQUIRE(o.facts.size() == 1);
                const auto& made = std::get<reservation_requested>(o.facts.front().body).value;
                ++won[made.start];
                ids.insert(made.id);
            } else if (o.refused) {
                CHECK(o.refused->code == error::slot_taken);
                ++taken;
            } else {
                // Given up after conflicts, or the file busy too long: nothing was made.
                CHECK(o.journal_unavailable);
                CHECK_FALSE(o.unknown);
                ++failed;
            }
        }
    INFO("ok " << ok << ", taken " << taken << ", given up " << failed);
    // The race went through the path it is about: batches decided again after a conflict.
    CHECK(a.conflicts() + b.conflicts() > 0);
    // Each command counted once, however often its batch was decided again.
    CHECK(a.commands() + b.commands() == 32 * slots / 4);
    for (const auto& [slot, n] : won) CHECK(n == 1);
    CHECK(static_cast<int>(ids.size()) == ok);
    REQUIRE(eventually([&] { return a.head() == b.head(); }, scaled(std::chrono::seconds(5))));
    auto fresh = full_replay(std::make_unique<sqlite_journal>(file));
    // Every acknowledged booking is in the journal, and nothing else is.
    CHECK(static_cast<int>(fresh.reservations.size()) == ok);
    for (const auto& id : ids) CHECK(fresh.reservations.count(id) == 1);
    CHECK(ok <= slots);
    CHECK(ok + failed >= slots);  // a slot nobody won was given up by someone
    CHECK(a.read([&](const state& s) { return s == fresh; }));
    CHECK(b.read([&](const state& s) { return s == fresh; }));
}

TEST_CASE(
    "two ledgers on one Redis race for the last free slot and the last free unit: one wins each "
    "time",
    "[ledger][redis]") {
    const auto url = redis_url(shared_redis_port(), unique_prefix());
    ledger a(std::make_unique<redis_journal>(parse_redis_url(url)), fixed_clock());
    ledger b(std::make_unique<redis_journal>(parse_redis_url(url)), fixed_clock());
    a.start();
    REQUIRE(a.seed(default_catalogue()));
    b.start();
    REQUIRE(eventually([&] { return b.head() == a.head(); }, scaled(std::chrono::seconds(5))));

    const int rounds = 40;
    for (int round = 0; round < rounds; ++round) {
        // The same slot through both ledgers at once.
        auto fa =
            std::async(std::launch::async, [&] { return a.execute(atrium_on(round), artois); });
        auto fb =
            std::async(std::launch::async, [&] { return b.execute(atrium_on(round), artois); });
        auto oa = fa.get(), ob = fb.get();
        INFO("round " << round);
        REQUIRE(oa.ok() != ob.ok());
        const auto& loser = oa.ok() ? ob : oa;
        REQUIRE(loser.refused);
        CHECK(loser.refused->code == error::slot_taken);
    }
    // The allowance: two free Atrium units a year, and the first round's winner holds one.
    // Race different slots for the units that are left: never more free than left.
    auto year_left = [&](ledger& l) {
        return l.read([](const state& s) {
            auto it = s.allowances.find(counter_key{"artois-llv-2026", "atrium", 2026});
            return 2 - (it == s.allowances.end() ? 0 : it->second.held + it->second.used);
        });
    };
    CHECK(year_left(a) == 0);  // the 40 winners took both units in the first rounds
    // Next year: race two requests for two units, then two more for none.
    int free_quotes = 0;
    for (int round = 0; round < 10; ++round) {
        auto r1 = atrium_on(round), r2 = atrium_on(round, 14);
        r1.start += std::chrono::hours(24 * 364);  // 2027, same weekday
        r1.end += std::chrono::hours(24 * 364);
        r2.start += std::chrono::hours(24 * 364);
        r2.end += std::chrono::hours(24 * 364);
        auto fa = std::async(std::launch::async, [&] { return a.execute(r1, artois); });
        auto fb = std::async(std::launch::async, [&] { return b.execute(r2, artois); });
        for (const outcome& o : {fa.get(), fb.get()}) {
            REQUIRE(o.ok());
            if (std::get<reservation_requested>(o.facts.front().body).value.quote.free)
                ++free_quotes;
        }
    }
    CHECK(free_quotes == 2);
    REQUIRE(eventually([&] { return a.head() == b.head(); }, scaled(std::chrono::seconds(5))));
    bool same =
        a.read([&](const state& sa) { return b.read([&](const state& sb) { return sa == sb; }); });
    CHECK(same);
}

TEST_CASE("a ledger killed while appending reopens with every acknowledged fact and no torn one",
          "[ledger]") {
    temp_dir dir;
    auto acks = dir.path() / "acks";
    {
        child_process writer(
            {CRENEAU_JOURNAL_WRITER, "--data", dir.path().string(), "--acks", acks.string()},
            dir.path() / "writer.log");
        bool enough = wait_for_file(
            acks, scaled(std::chrono::seconds(30)),
            [](const std::string& t) { return std::count(t.begin(), t.end(), '\n') >= 300; });
        INFO(read_file(dir.path() / "writer.log"));
        REQUIRE(enough);
        writer.signal(SIGKILL);
        REQUIRE(writer.wait_exit(std::chrono::seconds(5)));
    }
    // Every line of the acks file is one acknowledged reservation (a last line may be torn:
    // it was being written when the kill came, so only whole lines count).
    std::istringstream lines(read_file(acks));
    std::vector<std::pair<std::string, std::int64_t>> acked;
    std::string id;
    std::int64_t seq;
    while (lines >> id >> seq) acked.emplace_back(id, seq);

    ledger l(std::make_unique<sqlite_journal>(dir.path() / "journal.db"), fixed_clock());
    REQUIRE_NOTHROW(l.start());  // every stored fact reads back whole
    l.read([&](const state& s) {
        for (const auto& [rid, rseq] : acked) {
            INFO(rid);
            REQUIRE(s.reservations.count(rid) == 1);
            CHECK(rseq <= s.seq);
        }
        return 0;
    });
    INFO("acknowledged: " << acked.size());
    CHECK(acked.size() >= 300);
}

TEST_CASE("Redis stopped mid-run: commands fail fast, reads go on, writes come back by themselves",
          "[ledger][redis]") {
    redis_server redis;
    const auto url = redis_url(redis.port(), "restart");
    ledger l(std::make_unique<redis_journal>(parse_redis_url(url), std::chrono::seconds(5),
                                             std::chrono::seconds(2)),
             fixed_clock());
    l.start();
    REQUIRE(l.seed(default_catalogue()));
    std::vector<std::string> acked;
    for (int i = 0; i < 5; ++i) {
        auto o = l.execute(atrium_on(i), artois);
        REQUIRE(o.ok());
        acked.push_back(std::get<reservation_requested>(o.facts.front().body).value.id);
    }
    redis.stop();
    REQUIRE(eventually([&] { return !l.journal_available(); }, std::chrono::seconds(5)));

    auto t0 = std::chrono::steady_clock::now();
    auto down = l.execute(atrium_on(10), artois);
    CHECK(down.journal_unavailable);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));  // fails fast
    CHECK(l.read([](const state& s) { return s.reservations.size(); }) == 5);  // reads still answer

    redis.start();
    bool back = eventually(
        [&] {
            auto o = l.execute(atrium_on(11), artois);
            if (o.ok())
                acked.push_back(std::get<reservation_requested>(o.facts.front().body).value.id);
            return o.ok();
        },
        scaled(std::chrono::seconds(15)));
    REQUIRE(back);
    CHECK(l.journal_available());
    // Nothing lost: a fresh ledger on the restarted Redis holds every acknowledged booking.
    ledger fresh(std::make_unique<redis_journal>(parse_redis_url(url)), fixed_clock());
    fresh.start();
    fresh.read([&](const state& s) {
        for (const auto& rid : acked) CHECK(s.reservations.count(rid) == 1);
        CHECK(s.reservations.size() == acked.size());
        return 0;
    });
}

TEST_CASE("a corrupt journal stops the start with the sequence number and the problem",
          "[ledger]") {
    temp_dir dir;
    auto file = dir.path() / "journal.db";
    {
        ledger l(std::make_unique<sqlite_journal>(file), fixed_clock());
        l.start();
        REQUIRE(l.seed(default_catalogue()));
        REQUIRE(l.execute(atrium_on(0), artois).ok());
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    std::int64_t broken = 0;
    {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "SELECT MAX(seq) FROM facts", -1, &st, nullptr);
        sqlite3_step(st);
        broken = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    std::string sql =
        "UPDATE facts SET body = '{\"v\":1,\"type\":\"reservation-requested\",\"id\":' WHERE seq "
        "= " +
        std::to_string(broken);
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);

    ledger l(std::make_unique<sqlite_journal>(file), fixed_clock());
    CHECK_THROWS_WITH(l.start(), Catch::Contains(numbered("journal fact ", broken)) &&
                                     Catch::Contains("unreadable"));
}

namespace {

// A journal of `n` reservations decided by a ledger of its own, on a fresh catalogue.
void book_days(ledger& l, int first, int n) {
    for (int day = first; day < first + n; ++day)
        for (int hour : {9, 14}) REQUIRE(l.execute(atrium_on(day, hour), artois).ok());
}

// The sealed bytes of a snapshot kept in the store, changed by `f`, checksum made again (so
// that only what `f` changed is wrong).
void reseal(snapshot_store& store, std::int64_t seq, const std::function<void(std::string&)>& f) {
    auto sealed = *store.load(seq);
    std::string body = sealed.substr(0, sealed.size() - crypto_generichash_BYTES);
    f(body);
    std::string sum(crypto_generichash_BYTES, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(sum.data()), sum.size(),
                       reinterpret_cast<const unsigned char*>(body.data()), body.size(), nullptr,
                       0);
    store.save(seq, body + sum);
}

// A SQLite journal and a snapshot store in a folder of their own, and the options of a
// ledger that writes a snapshot there every `every` facts.
struct snapshot_files {
    temp_dir dir;
    std::filesystem::path file = dir.path() / "journal.db";
    std::shared_ptr<snapshot_store> store = sqlite_snapshot_store(dir.path() / "snapshots.db");

    ledger_options every(std::int64_t facts) const {
        auto o = fixed_clock();
        o.snapshots = store;
        o.snapshot_every = facts;
        return o;
    }
};

}  // namespace

TEST_CASE(
    "a start loads the latest snapshot and replays only the facts after it, into the same "
    "state as a full replay",
    "[ledger][snapshots]") {
    snapshot_files files;
    std::int64_t taken = 0;
    {
        ledger l(std::make_unique<sqlite_journal>(files.file), files.every(1000000));
        l.start();
        CHECK(l.started_from() == 0);
        REQUIRE(l.seed(default_catalogue()));
        book_days(l, 0, 10);
        taken = l.snapshot_now();
        CHECK(taken == l.head());
        book_days(l, 10, 5);  // the tail
        l.stop();
    }
    const auto expected = full_replay(std::make_unique<sqlite_journal>(files.file));
    REQUIRE(expected.seq > taken);

    SECTION("the latest snapshot and the tail") {
        ledger l(std::make_unique<sqlite_journal>(files.file), files.every(1000000));
        l.start();
        CHECK(l.started_from() == taken);
        CHECK(l.read([](const state& s) { return s; }) == expected);
        // It goes on deciding as the replayed one would: the slots it holds stay taken.
        CHECK(l.execute(atrium_on(12, 9), artois).refused->code == error::slot_taken);
    }
    SECTION("opened with its twin, a snapshot gives two equal states; damaged, it gives none") {
        auto sealed = *files.store->load(taken);
        auto opened = open_snapshot(sealed, std::nullopt, true);
        REQUIRE(opened.twin);
        CHECK(opened.s == *opened.twin);
        CHECK(opened.s.seq == taken);
        CHECK_FALSE(open_snapshot(sealed).twin);
        CHECK(open_snapshot(sealed, opened.build).s == opened.s);
        CHECK_THROWS_WITH(open_snapshot(sealed, "another-build", true),
                          Catch::Contains("written by the build"));
        // Damage in the state's bytes, then in the header's lengths: the checksum speaks first.
        for (auto at : {sealed.size() / 2, std::size_t{16 + 4 + 4}}) {
            auto damaged = sealed;
            damaged[at] = static_cast<char>(damaged[at] ^ 0x7f);
            CHECK_THROWS_WITH(open_snapshot(damaged, std::nullopt, true),
                              Catch::Contains("damaged"));
        }
    }
    SECTION("a damaged snapshot is ignored: the whole journal is replayed") {
        auto sealed = *files.store->load(taken);
        sealed[sealed.size() / 2] ^= 0x20;
        files.store->save(taken, sealed);
        ledger l(std::make_unique<sqlite_journal>(files.file), files.every(1000000));
        l.start();
        CHECK(l.started_from() == 0);
        CHECK(l.read([](const state& s) { return s; }) == expected);
        // The writer's copy, replayed beside the readers', holds the same slots.
        CHECK(l.execute(atrium_on(12, 9), artois).refused->code == error::slot_taken);
    }
    SECTION("a snapshot of another format is ignored") {
        reseal(*files.store, taken, [](std::string& b) { b[16] = static_cast<char>(b[16] + 1); });
        CHECK_THROWS_WITH(open_snapshot(*files.store->load(taken)), Catch::Contains("format"));
        ledger l(std::make_unique<sqlite_journal>(files.file), files.every(1000000));
        l.start();
        CHECK(l.started_from() == 0);
        CHECK(l.read([](const state& s) { return s; }) == expected);
    }
    SECTION("a snapshot written by another build is ignored: its fold of the facts may differ") {
        auto o = files.every(1000000);
        o.build = "another-build";
        ledger l(std::make_unique<sqlite_journal>(files.file), o);
        l.start();
        CHECK(l.started_from() == 0);
        CHECK(l.read([](const state& s) { return s; }) == expected);
    }
    SECTION("facts after a snapshot that do not apply to it: the whole journal is replayed") {
        auto opened = open_snapshot(*files.store->load(taken));
        state hollow;
        hollow.seq = taken;  // no catalogue: the tail's reservations cannot apply
        files.store->save(taken,
                          seal_snapshot(taken, opened.build, opened.anchor, encode_state(hollow)));
        ledger l(std::make_unique<sqlite_journal>(files.file), files.every(1000000));
        l.start();
        CHECK(l.started_from() == 0);
        CHECK(l.read([](const state& s) { return s; }) == expected);
        // The writer's copy, replayed beside the readers', holds the same slots.
        CHECK(l.execute(atrium_on(12, 9), artois).refused->code == error::slot_taken);
    }
    SECTION("a snapshot that does not follow this journal's fact is ignored") {
        // Another journal's history at the same sequence number: another actor for its last fact.
        reseal(*files.store, taken, [](std::string& b) {
            auto at = b.find(" u-artois ");
            REQUIRE(at != std::string::npos);
            b.replace(at, 10, " u-lille_ ");
        });
        ledger l(std::make_unique<sqlite_journal>(files.file), files.every(1000000));
        l.start();
        CHECK(l.started_from() == 0);
        CHECK(l.read([](const state& s) { return s; }) == expected);
    }
    SECTION("a snapshot after the replay floor is not loaded, an earlier one is") {
        auto o = files.every(1000000);
        std::vector<fact> observed;
        o.observe = [&](const state&, const fact& f) { observed.push_back(f); };
        o.replay_floor = [&] { return taken - 1; };
        ledger l(std::make_unique<sqlite_journal>(files.file), o);
        l.start();
        CHECK(l.started_from() == 0);
        CHECK(observed.size() == static_cast<std::size_t>(expected.seq));
        observed.clear();
        o.replay_floor = [&] { return taken; };
        ledger again(std::make_unique<sqlite_journal>(files.file), o);
        again.start();
        CHECK(again.started_from() == taken);
        REQUIRE(observed.size() == static_cast<std::size_t>(expected.seq - taken));
        CHECK(observed.front().seq == taken + 1);
    }
}

TEST_CASE("snapshots in SQLite: large ones come back whole, a missing one is none",
          "[ledger][snapshots]") {
    snapshot_files files;
    CHECK_FALSE(files.store->load(99));
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, (std::size_t{5} << 20) / 2 + 7}) {
        std::string big(size, '\0');
        randombytes_buf(big.data(), big.size());
        files.store->save(99, big);
        auto loaded = files.store->load(99);
        REQUIRE(loaded);
        CHECK(*loaded == big);
    }
    files.store->save(7, "seven");
    CHECK(files.store->list() == std::vector<std::int64_t>{7, 99});
    CHECK(files.store->load(7) == "seven");
    files.store->remove(99);
    CHECK_FALSE(files.store->load(99));
    CHECK(files.store->load(7) == "seven");
}

TEST_CASE("the ledger writes snapshots by itself every so many facts, and keeps few",
          "[ledger][snapshots]") {
    snapshot_files files;
    auto o = files.every(10);
    {
        ledger l(std::make_unique<sqlite_journal>(files.file), o);
        l.start();
        REQUIRE(l.seed(default_catalogue()));
        for (int day = 0; day < 30; ++day) {
            REQUIRE(l.execute(atrium_on(day, 9), artois).ok());
            REQUIRE(l.execute(atrium_on(day, 14), artois).ok());
        }
        const auto head = l.head();
        // The last one is within snapshot_every facts of the head once the thread caught up.
        REQUIRE(eventually(
            [&] {
                auto kept = files.store->list();
                return !kept.empty() && head - kept.back() < 10;
            },
            scaled(std::chrono::seconds(10))));
        l.stop();
    }
    auto kept = files.store->list();
    CHECK(kept.size() <= 3);
    ledger again(std::make_unique<sqlite_journal>(files.file), o);
    again.start();
    CHECK(again.started_from() == kept.back());
    CHECK(again.read([](const state& s) { return s; }) ==
          full_replay(std::make_unique<sqlite_journal>(files.file)));
}

namespace {

// A snapshot store that notes when each snapshot was saved.
struct timed_store : snapshot_store {
    std::shared_ptr<snapshot_store> inner;
    std::mutex m;
    std::vector<std::chrono::steady_clock::time_point> saves;

    explicit timed_store(std::shared_ptr<snapshot_store> s) : inner(std::move(s)) {}
    std::vector<std::int64_t> list() override { return inner->list(); }
    std::optional<std::string> load(std::int64_t seq) override { return inner->load(seq); }
    void save(std::int64_t seq, const std::string& sealed) override {
        inner->save(seq, sealed);
        std::lock_guard lock(m);
        saves.push_back(std::chrono::steady_clock::now());
    }
    void remove(std::int64_t seq) override { inner->remove(seq); }
    void remove_all() override { inner->remove_all(); }
    std::string name() const override { return inner->name(); }
    std::vector<std::chrono::steady_clock::time_point> saved() {
        std::lock_guard lock(m);
        return saves;
    }
};

}  // namespace

TEST_CASE(
    "snapshots come no closer than their interval, however fast facts come, and a stop does "
    "not wait for it",
    "[ledger][snapshots]") {
    snapshot_files files;
    auto timed = std::make_shared<timed_store>(files.store);
    auto o = files.every(10);
    o.snapshots = timed;
    o.snapshot_interval = std::chrono::hours(1);
    int day = 0;
    {
        ledger l(std::make_unique<sqlite_journal>(files.file), o);
        l.start();
        REQUIRE(l.seed(default_catalogue()));
        // The first waits for no interval.
        REQUIRE(eventually([&] { return timed->saved().size() == 1; },
                           scaled(std::chrono::seconds(10))));
        const auto first = files.store->list();
        while (l.head() - first.back() < 30) book_days(l, day++, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        CHECK(timed->saved().size() == 1);
        const auto asked = std::chrono::steady_clock::now();
        l.stop();
        CHECK(std::chrono::steady_clock::now() - asked < scaled(std::chrono::seconds(5)));
    }
    // A short interval: each one is written once the interval after the one before is over,
    // with the facts that came in it. The first after the start (the start replayed over
    // 10 facts since the newest) waits for none.
    const auto interval = std::chrono::milliseconds(300);
    o.snapshot_interval = interval;
    ledger l(std::make_unique<sqlite_journal>(files.file), o);
    l.start();
    REQUIRE(eventually(
        [&] {
            if (timed->saved().size() >= 4) return true;
            book_days(l, day++, 1);
            return false;
        },
        scaled(std::chrono::seconds(20))));
    l.stop();
    const auto saved = timed->saved();
    for (std::size_t i = 2; i < saved.size(); ++i) {
        INFO("snapshot " << i);
        CHECK(saved[i] - saved[i - 1] >= interval);
    }
}

TEST_CASE(
    "a snapshot put off while the outbox is behind is written once it catches up, "
    "without waiting for more facts",
    "[ledger][snapshots]") {
    snapshot_files files;
    auto o = files.every(10);
    // The outbox's stored mark (the last fact whose mails are stored) stays at 0: the first
    // snapshot is written, the store being empty, and every later one would not be loadable.
    std::atomic<std::int64_t> floor = 0;
    o.replay_floor = [&] { return floor.load(); };
    ledger l(std::make_unique<sqlite_journal>(files.file), o);
    l.start();
    REQUIRE(l.seed(default_catalogue()));
    book_days(l, 0, 6);
    REQUIRE(
        eventually([&] { return !files.store->list().empty(); }, scaled(std::chrono::seconds(10))));
    const auto first = files.store->list().back();
    book_days(l, 6, 6);
    const auto head = l.head();
    REQUIRE(head - first >= 10);
    // Put off, retried (every 250 ms at first), and still put off.
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    CHECK(files.store->list() == std::vector<std::int64_t>{first});
    // The outbox catches up; no fact follows, and the snapshot is written all the same.
    floor = head;
    CHECK(eventually([&] { return files.store->list().back() == head; },
                     scaled(std::chrono::seconds(10))));
    l.stop();
}

TEST_CASE("snapshots in Redis: a ledger on the Redis journal starts from the latest one",
          "[ledger][snapshots][redis]") {
    const auto url = redis_url(shared_redis_port(), unique_prefix());
    std::shared_ptr<snapshot_store> store = redis_snapshot_store(parse_redis_url(url));
    auto o = fixed_clock();
    o.snapshots = store;
    o.snapshot_every = 1000000;
    std::int64_t taken = 0;
    {
        ledger l(std::make_unique<redis_journal>(parse_redis_url(url)), o);
        l.start();
        REQUIRE(l.seed(default_catalogue()));
        book_days(l, 0, 5);
        taken = l.snapshot_now();
        book_days(l, 5, 3);
        l.stop();
    }
    CHECK(store->list() == std::vector<std::int64_t>{taken});
    ledger again(std::make_unique<redis_journal>(parse_redis_url(url)), o);
    again.start();
    CHECK(again.started_from() == taken);
    CHECK(again.read([](const state& s) { return s; }) ==
          full_replay(std::make_unique<redis_journal>(parse_redis_url(url))));
    store->remove(taken);
    CHECK(store->list().empty());

    // Large ones go in pieces of 1 MiB and come back whole, whatever their length.
    for (std::size_t size : {std::size_t{1} << 20, (std::size_t{5} << 20) / 2 + 7}) {
        std::string big(size, '\0');
        randombytes_buf(big.data(), big.size());
        store->save(99, big);
        CHECK(store->load(99) == big);
        CHECK(store->list() == std::vector<std::int64_t>{99});
    }
    store->remove(99);
    CHECK(store->list().empty());
    CHECK_FALSE(store->load(99));
}
