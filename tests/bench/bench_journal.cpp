// Benchmark of the journal and the ledger, printing its figures with their baselines,
// all measured in the same run:
//  - commits per second through the ledger with 1, 16 and 64 concurrent submitters (as the
//    server's handlers submit, coroutines on its I/O threads, and one blocking thread each), on
//    SQLite against a bare loop of one-row SQLite transactions (same WAL, synchronous=FULL)
//    run just before it, round after round, and on Redis against a bare hiredis loop of XADD on the
//    same server; with, on SQLite, where the time of a command goes: the journal's append alone
//    against the bare transaction, and the CPU a command costs the whole process and the
//    ledger's writer thread, with the ceilings those put on the rate of the machine's cores;
//  - the start-up time against 10^4, 10^5 and 10^6 facts from SQLite: the full replay, and
//    the latest snapshot plus the facts after it.
//
//   bench_journal [--redis-port PORT] [--quick] [--writes | --startup] [--submitters N]
//   (--writes: the commits only; --startup: the start-up only; --submitters: only that one of
//   1, 16 and 64)

#include "server/api/support.hpp"
#include "server/journal/ledger.hpp"
#include "server/journal/redis_journal.hpp"
#include "server/journal/sqlite_journal.hpp"

#include "common/catalogue/document.hpp"
#include "support/text.hpp"

using creneau::test::numbered;

#include <hiredis/hiredis.h>
#ifdef CRENEAU_JEMALLOC
#include <jemalloc/jemalloc.h>
#else
#include <malloc.h>
#endif
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace creneau;
using namespace creneau::server;
using clk = std::chrono::steady_clock;

namespace {

double since(clk::time_point t) {
    return std::chrono::duration<double>(clk::now() - t).count();
}

const instant bench_now = *parse_rfc3339("2026-01-05T07:00:00Z");

std::vector<fact_body> catalogue_with_rooms(int rooms) {
    std::ifstream in(std::string(CRENEAU_SOURCE_DIR) + "/server/catalogue/default.json");
    auto doc = nlohmann::json::parse(in);
    auto base = doc["resources"][2];  // the meeting room
    for (int i = 0; i < rooms; ++i) {
        auto r = base;
        r["id"] = numbered("bench-", i);
        r["setup_minutes"] = 0;
        r["cleanup_minutes"] = 0;
        for (const char* d : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
            r["hours"][d] = nlohmann::json::array({nlohmann::json::array({"00:00", "24:00"})});
        doc["resources"].push_back(r);
    }
    return catalogue_facts(doc, "bench");
}

// A request that never collides: room and hour from a global counter.
request_reservation nth_request(long n, int rooms) {
    instant start = bench_now + std::chrono::hours(1 + n / rooms);
    return {numbered("bench-", n % rooms),
            start,
            start + std::chrono::minutes(30),
            "",
            4,
            "llv",
            "Bench",
            {}};
}

// The bytes the program has allocated and not freed, from the allocator it links.
std::size_t heap_in_use() {
#ifdef CRENEAU_JEMALLOC
    // jemalloc's statistics are refreshed by advancing its epoch. Both calls name controls
    // every jemalloc build has: a failure would leave `allocated` at zero, shown as such.
    std::uint64_t epoch = 1;
    std::size_t size = sizeof(epoch);
    mallctl("epoch", &epoch, &size, &epoch, size);
    std::size_t allocated = 0;
    size = sizeof(allocated);
    mallctl("stats.allocated", &allocated, &size, nullptr, 0);
    return allocated;
#else
    return mallinfo2().uordblks;
#endif
}

// Commits per second through a ledger with `submitters` threads sending `total` commands.
double ledger_rate(ledger& l, int submitters, long total, int rooms, long& offset) {
    std::atomic<long> next{offset};
    const long end = offset + total;
    std::atomic<long> ok{0};
    actor admin{"u-admin", role::admin, "llv", false};
    auto t0 = clk::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < submitters; ++t)
        threads.emplace_back([&] {
            for (long n; (n = next++) < end;)
                if (l.execute(nth_request(n, rooms), admin).ok()) ++ok;
        });
    for (auto& t : threads) t.join();
    double s = since(t0);
    offset = end;
    if (ok != total)
        std::printf("  (warning: %ld of %ld commands failed)\n", total - ok.load(), total);
    return total / s;
}

// The same with the submitters as the server has them: coroutines on `io_threads` I/O threads
// (one io_context each, as in server.cpp), each awaiting its command's outcome through
// the handlers' `submit` (server/api/support.hpp) before it sends its next.
double ledger_rate_async(ledger& l, int submitters, long total, int rooms, long& offset,
                         unsigned io_threads) {
    std::atomic<long> next{offset};
    const long end = offset + total;
    std::atomic<long> ok{0};
    const actor admin{"u-admin", role::admin, "llv", false};
    std::vector<std::unique_ptr<net::io_context>> ios;
    for (unsigned i = 0; i < io_threads; ++i) ios.push_back(std::make_unique<net::io_context>(1));
    auto t0 = clk::now();
    for (int t = 0; t < submitters; ++t)
        net::co_spawn(
            *ios[static_cast<std::size_t>(t) % ios.size()],
            [&]() -> net::awaitable<void> {
                const std::optional<idempotency> no_key;
                for (long n; (n = next++) < end;) {
                    const command c = nth_request(n, rooms);
                    auto o = co_await submit(l, c, admin, no_key);
                    if (o.ok()) ++ok;
                }
            },
            net::detached);
    std::vector<std::thread> threads;
    for (auto& io : ios) threads.emplace_back([&io] { io->run(); });
    for (auto& t : threads) t.join();
    double s = since(t0);
    offset = end;
    if (ok != total)
        std::printf("  (warning: %ld of %ld commands failed)\n", total - ok.load(), total);
    return total / s;
}

// CPU time used so far, in microseconds: by the whole process, and by the ledgers' writers (the
// threads named "ledger", read from their schedstat; 0 where the kernel does not keep it).
struct cpu_sample {
    double process = 0;
    double writer = 0;

    static cpu_sample now() {
        cpu_sample c;
        rusage u{};
        if (::getrusage(RUSAGE_SELF, &u) == 0)
            c.process = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
                        static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
        std::error_code ec;
        for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
            std::string comm;
            std::getline(std::ifstream(task.path() / "comm"), comm);
            if (comm != "ledger") continue;
            double ns = 0;
            // Every ledger's: those not measured are idle meanwhile.
            if (std::ifstream(task.path() / "schedstat") >> ns) c.writer += ns / 1e3;
        }
        return c;
    }
};

// A bare loop of one-row SQLite transactions on its own file, kept open between its runs so
// that each run can be paired with a run of the ledger (the disk's speed drifts in minutes).
class bare_sqlite {
  public:
    explicit bare_sqlite(const std::filesystem::path& file) {
        sqlite3_open(file.c_str(), &db_);
        sqlite3_exec(
            db_,
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
            "CREATE TABLE t(seq INTEGER PRIMARY KEY, at TEXT, actor TEXT, kind TEXT, body TEXT)",
            nullptr, nullptr, nullptr);
        sqlite3_prepare_v2(db_,
                           "INSERT INTO t(seq, at, actor, kind, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &ins_, nullptr);
    }
    ~bare_sqlite() {
        sqlite3_finalize(ins_);
        sqlite3_close(db_);
    }
    bare_sqlite(const bare_sqlite&) = delete;
    bare_sqlite& operator=(const bare_sqlite&) = delete;

    // Commits per second over `rows` transactions.
    double rate(int rows) {
        const std::string body(700, 'x');  // about the size of a reservation-requested fact
        auto t0 = clk::now();
        for (int i = 0; i < rows; ++i) {
            sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
            sqlite3_reset(ins_);
            sqlite3_bind_int64(ins_, 1, ++seq_);
            sqlite3_bind_text(ins_, 2, "2026-01-05T07:00:00Z", -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_, 3, "u-admin", -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_, 4, "reservation-requested", -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_, 5, body.c_str(), static_cast<int>(body.size()), SQLITE_STATIC);
            sqlite3_step(ins_);
            sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
        }
        return rows / since(t0);
    }

  private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* ins_ = nullptr;
    std::int64_t seq_ = 0;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double bare_redis_rate(int port, int count) {
    redisContext* c = redisConnect("127.0.0.1", port);
    if (!c || c->err) return 0;
    std::string body(700, 'x');
    auto t0 = clk::now();
    for (int i = 0; i < count; ++i) {
        auto* r = static_cast<redisReply*>(redisCommand(
            c, "XADD bench:bare * at %s actor %s kind %s body %b", "2026-01-05T07:00:00Z",
            "u-admin", "reservation-requested", body.data(), body.size()));
        freeReplyObject(r);
    }
    double s = since(t0);
    freeReplyObject(redisCommand(c, "DEL bench:bare"));
    redisFree(c);
    return count / s;
}

}  // namespace

int main(int argc, char** argv) {
    int redis_port = 0;
    bool quick = false;
    bool writes_only = false;
    bool startup_only = false;
    int only_submitters = 0;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--redis-port" && i + 1 < argc) redis_port = std::atoi(argv[++i]);
        if (a == "--quick") quick = true;
        if (a == "--writes") writes_only = true;
        if (a == "--startup") startup_only = true;
        if (a == "--submitters" && i + 1 < argc) only_submitters = std::atoi(argv[++i]);
    }
    const int rooms = 200;
    auto dir = std::filesystem::temp_directory_path() / (numbered("creneau-bench-", ::getpid()));
    std::filesystem::create_directories(dir);
    ledger_options opts;
    opts.now = [] { return bench_now; };
    // Journal appends, for the commands each carried, and their latency.
    static std::atomic<long> appends{0};
    static std::atomic<std::uint64_t> append_micros{0};
    opts.on_append = [](std::uint64_t micros) {
        ++appends;
        append_micros += micros;
    };

    // ---- SQLite ------------------------------------------------------------------------
    //
    // Each figure is the median of several rounds; each round runs the bare loop, then the
    // ledger, so that both see the disk at the same speed.
    if (!startup_only) {
        const int rounds = quick ? 3 : 5;
        const int bare_rows = quick ? 300 : 1000;
        bare_sqlite bare(dir / "bare.db");
        ledger l(std::make_unique<sqlite_journal>(dir / "ledger.db"), opts);
        l.start();
        l.seed(catalogue_with_rooms(rooms));
        // The same, with every command handed to the writer thread (the lone submitter's
        // figure without commit_on_caller).
        auto handed_opts = opts;
        handed_opts.commit_on_caller = false;
        handed_opts.on_append = {};
        ledger handed(std::make_unique<sqlite_journal>(dir / "handed.db"), handed_opts);
        handed.start();
        handed.seed(catalogue_with_rooms(rooms));
        long handed_offset = 0;
        long offset = 0;
        const unsigned io_threads = std::max(1u, std::thread::hardware_concurrency());
        for (int submitters : {1, 16, 64}) {
            if (only_submitters && submitters != only_submitters) continue;
            long total =
                quick ? 300 * std::max(1, submitters / 4) : (submitters == 1 ? 1000 : 10000);
            std::vector<double> bares, rates, ratios, async_rates, async_ratios, handed_ratios;
            const long appends_before = appends;
            const std::uint64_t micros_before = append_micros;
            cpu_sample async_cpu;  // CPU of the runs as the server submits
            for (int r = 0; r < rounds; ++r) {
                bares.push_back(bare.rate(bare_rows));
                rates.push_back(ledger_rate(l, submitters, total, rooms, offset));
                ratios.push_back(rates.back() / bares.back());
                const auto before = cpu_sample::now();
                async_rates.push_back(
                    ledger_rate_async(l, submitters, total, rooms, offset, io_threads));
                const auto after = cpu_sample::now();
                async_cpu.process += after.process - before.process;
                async_cpu.writer += after.writer - before.writer;
                async_ratios.push_back(async_rates.back() / bares.back());
                if (submitters == 1)
                    handed_ratios.push_back(ledger_rate_async(handed, submitters, total, rooms,
                                                              handed_offset, io_threads) /
                                            bares.back());
            }
            const auto appended = static_cast<double>(appends - appends_before);
            const double per_append = static_cast<double>(2 * total * rounds) / appended;
            const double append_us = static_cast<double>(append_micros - micros_before) / appended;
            const double commands = static_cast<double>(total * rounds);
            const double process_us = async_cpu.process / commands;
            const double writer_us = async_cpu.writer / commands;
            std::printf(
                "SQLite ledger, %2d submitters: bare one-row transactions (WAL, "
                "synchronous=FULL) %.0f commits/s; %.1f commands per append; median of %d "
                "rounds\n",
                submitters, median(bares), per_append, rounds);
            std::printf(
                "  as the server's handlers (coroutines on %u I/O threads): %.0f commits/s = %.2f "
                "x baseline (%.2f-%.2f)\n",
                io_threads, median(async_rates), median(async_ratios),
                *std::min_element(async_ratios.begin(), async_ratios.end()),
                *std::max_element(async_ratios.begin(), async_ratios.end()));
            std::printf(
                "  one thread per submitter, blocking: %.0f commits/s = %.2f x baseline "
                "(%.2f-%.2f)\n",
                median(rates), median(ratios), *std::min_element(ratios.begin(), ratios.end()),
                *std::max_element(ratios.begin(), ratios.end()));
            if (!handed_ratios.empty())
                std::printf(
                    "  the same, handed to the writer thread (commit_on_caller off): %.2f x "
                    "baseline (%.2f-%.2f)\n",
                    median(handed_ratios),
                    *std::min_element(handed_ratios.begin(), handed_ratios.end()),
                    *std::max_element(handed_ratios.begin(), handed_ratios.end()));
            // Where a command's time goes. The journal's append (its SQLite transaction, the
            // facts' text included) against the bare transaction: at 1 submitter, the ledger's
            // ratio cannot pass this one's. The CPU per command, as the server submits: the
            // process's cores and the writer thread, which decides and appends alone once
            // commands queue, each cap the rate at cores (or one) / CPU per command, fsync waits
            // not counted.
            const double bare_us = 1e6 / median(bares);
            std::printf(
                "  the journal's append alone: %.0f us for %.1f commands against the bare "
                "transaction's %.0f us = %.2f x\n",
                append_us, per_append, bare_us, bare_us / append_us);
            if (process_us > 0) {
                const double by_process = io_threads * 1e6 / process_us;
                std::printf(
                    "  CPU per command, as the server's handlers: %.1f us in the process (ceiling "
                    "on %u cores: %.0f commits/s = %.1f x baseline)",
                    process_us, io_threads, by_process, by_process / median(bares));
                if (writer_us >= 1)  // a lone submitter commits on its own thread
                    std::printf(", %.1f us on the writer (ceiling %.0f commits/s = %.1f x)",
                                writer_us, 1e6 / writer_us, 1e6 / writer_us / median(bares));
                std::printf("\n");
            }
        }
        handed.stop();
        l.stop();
    }

    // ---- Redis -------------------------------------------------------------------------
    if (redis_port && !startup_only) {
        const int bare_count = quick ? 1000 : 10000;
        double bare = bare_redis_rate(redis_port, bare_count);
        std::printf(
            "Redis baseline, bare hiredis XADD loop (appendfsync always): %.0f commands/s\n", bare);
        redis_endpoint ep;
        ep.port = redis_port;
        ep.prefix = numbered("bench-", ::getpid());
        ledger l(std::make_unique<redis_journal>(ep), opts);
        l.start();
        l.seed(catalogue_with_rooms(rooms));
        long offset = 0;
        for (int submitters : {1, 16, 64}) {
            long total = quick ? 500 : (submitters == 1 ? 5000 : 20000);
            double rate = ledger_rate(l, submitters, total, rooms, offset);
            std::printf("Redis ledger, %2d submitters: %.0f commits/s = %.2f x baseline\n",
                        submitters, rate, rate / bare);
        }
        l.stop();
    } else if (!startup_only) {
        std::printf("Redis: skipped (no --redis-port)\n");
    }

    if (writes_only) {
        std::filesystem::remove_all(dir);
        return 0;
    }

    // ---- start-up: replay of 10^4 ... 10^6 facts, in full and from a snapshot ---------------
    //
    // Each journal is made of real facts, decided by the domain, written in big transactions.
    // The snapshot is taken `tail` facts before the head (a server with the default
    // snapshot_every of 50,000 has 25,000 facts after its latest one on average).
    std::vector<long> sizes{10'000, 100'000};
    if (!quick) sizes.push_back(1'000'000);
    for (long target : sizes) {
        const long tail = std::min(target / 2, 25'000L);
        auto file = dir / numbered("replay-", target);
        auto snapshots_file = dir / numbered("snapshots-", target);
        state s;
        std::vector<stored_fact> batch;
        std::int64_t head = 0;
        long n = 0;
        actor admin{"u-admin", role::admin, "llv", false};
        auto build_to = [&](long until) {
            sqlite_journal j(file);
            auto flush = [&] {
                if (batch.empty()) return;
                j.append(head, batch);
                head += static_cast<std::int64_t>(batch.size());
                batch.clear();
            };
            auto add = [&](const fact_body& b, const std::string& who) {
                fact f{s.seq + 1, bench_now, who, b};
                apply(s, f);
                batch.push_back(to_stored(f));
                if (batch.size() >= 20000) flush();
            };
            if (s.seq == 0)
                for (auto& b : catalogue_with_rooms(rooms)) add(b, "system");
            for (; s.seq < until; ++n) {
                auto d = decide(s, nth_request(n, rooms), context{bench_now, admin});
                for (auto& b : d.facts) add(b, admin.id);
            }
            flush();
        };
        // The ledger with the snapshot store, writing none by itself.
        auto with_snapshots = [&] {
            ledger_options o = opts;
            o.snapshots = sqlite_snapshot_store(snapshots_file);
            o.snapshot_every = 0;
            return o;
        };
        build_to(target - tail);
        double write_s = 0;
        std::size_t snapshot_bytes = 0;
        double read_s = 0;  // reading it back from the store
        {
            auto o = with_snapshots();
            ledger l(std::make_unique<sqlite_journal>(file), o);
            l.start();
            auto t0 = clk::now();
            auto seq = l.snapshot_now();
            write_s = since(t0);
            auto t1 = clk::now();
            snapshot_bytes = o.snapshots->load(seq)->size();
            read_s = since(t1);
            l.stop();
        }
        build_to(target);
        auto bytes = std::filesystem::file_size(file);

        // The heap in use before and after: what the state holds, for sizing
        // (docs/operations.md).
        auto heap_before = heap_in_use();
        double full_s = 0;
        {
            ledger l(std::make_unique<sqlite_journal>(file), opts);
            auto t0 = clk::now();
            l.start();
            full_s = since(t0);
            if (target == sizes.back()) {
                auto reservations =
                    l.read([](const creneau::state& st) { return st.reservations.size(); });
                auto heap = static_cast<double>(heap_in_use() - heap_before);
                std::printf(
                    "memory of the state: %.0f MiB for %zu reservations = %.0f MiB per 100,000\n",
                    heap / 1048576, reservations, heap / 1048576 / (reservations / 100000.0));
            }
            l.stop();
        }
        double snap_s = 0;
        std::int64_t from = 0;
        {
            ledger l(std::make_unique<sqlite_journal>(file), with_snapshots());
            auto t0 = clk::now();
            l.start();
            snap_s = since(t0);
            from = l.started_from();
            l.stop();
        }
        std::printf(
            "start-up with %7ld facts (%4.0f MB): full replay %6.3f s = %7.0f facts/s; from a "
            "snapshot (%3.0f MB, written in %.3f s, read in %.3f s) + %ld facts: %6.3f s = %.2f "
            "x the full replay%s\n",
            static_cast<long>(head), bytes / 1e6, full_s, head / full_s, snapshot_bytes / 1e6,
            write_s, read_s, static_cast<long>(head - from), snap_s, snap_s / full_s,
            from == 0 ? " (SNAPSHOT NOT USED)" : "");
    }
    std::filesystem::remove_all(dir);
    return 0;
}
