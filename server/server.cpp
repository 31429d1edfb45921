#include "server/server.hpp"

#include "server/api/routes.hpp"
#include "server/journal/store.hpp"
#include "server/mail/outbox.hpp"
#include "server/net/io_loop.hpp"
#include "server/net/listener.hpp"
#include "server/net/shared_state.hpp"

#include "common/accounts/rules.hpp"
#include "server/net/static_files.hpp"
#include "server/ops/build_info.hpp"
#include "server/ops/log.hpp"
#include "server/ops/notify.hpp"
#include "server/ops/retention.hpp"
#include "server/ops/thread_name.hpp"

#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <thread>
#include <vector>

namespace creneau::server {

namespace {

// The outbox beside the journal (docs/notifications.md), its marks read before the replay.
std::unique_ptr<outbox> open_outbox(const config& cfg, metrics& stats) {
    outbox_options opts;
    if (!cfg.smtp_url.empty()) opts.smtp = smtp_settings{cfg.smtp_url, cfg.mail_from};
    opts.retry_first = cfg.mail_retry;
    opts.base_url = !cfg.public_url.empty() ? cfg.public_url
                                            : "http://localhost:" + std::to_string(cfg.listen.port);
    std::unique_ptr<outbox_store> store;
    if (cfg.redis_url.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(cfg.data_dir, ec);
        store = sqlite_outbox_store(cfg.data_dir / "outbox.db");
    } else {
        store = redis_outbox_store(cfg.redis_url);
    }
    auto out = std::make_unique<outbox>(std::move(store), std::move(opts), stats);
    out->prepare();
    return out;
}

// The journal holds password hashes and every registration: it must never be servable.
bool data_outside_web_root(const config& cfg) {
    if (!cfg.redis_url.empty()) return true;
    std::error_code ec;
    auto root = std::filesystem::weakly_canonical(web_root_of(cfg), ec);
    auto data = std::filesystem::weakly_canonical(cfg.data_dir, ec);
    if (ec || !path_within(data, root)) return true;
    log::error("cannot start",
               {{"error", "the data folder " + data.string() + " lies inside the web root " +
                              root.string() + ": it would be served"}});
    return false;
}

}  // namespace

int run_server(const config& cfg) {
    if (!data_outside_web_root(cfg)) return 1;
    metrics stats;
    std::unique_ptr<outbox> mail;  // outlives the ledger, which calls it until it stops
    std::shared_ptr<ledger> book;
    try {
        mail = open_outbox(cfg, stats);
        ledger_options opts;
        opts.on_append = [&stats](std::uint64_t micros) { stats.journal_append().observe(micros); };
        opts.observe = [m = mail.get()](const creneau::state& before, const fact& f) {
            m->observe(before, f);
        };
        if (cfg.snapshot_every > 0) {
            opts.snapshots = open_snapshots(cfg);
            opts.snapshot_every = static_cast<std::int64_t>(cfg.snapshot_every);
            opts.snapshot_interval = std::chrono::seconds(cfg.snapshot_interval_seconds);
            opts.replay_floor = [m = mail.get()] { return m->replay_floor(); };
        }
        book = open_ledger(cfg, std::move(opts));
    } catch (const std::exception& e) {
        log::error("cannot start", {{"error", e.what()}});
        return 1;
    }
    mail->start(book->head());
    log::info("journal replayed", {{"journal", book->backend()}, {"head", book->head()}});

    unsigned threads =
        cfg.threads ? cfg.threads : std::max(1u, std::thread::hardware_concurrency());
    // One io_context per I/O thread, each run by that thread alone (its executor is the
    // strand of the connections on it): a connection lives on one thread, and the completion
    // of its operations never wakes another (docs/architecture.md, "The network layer").
    // The first also runs the acceptor, the signals and the drain.
    std::vector<std::unique_ptr<net::io_context>> contexts;
    std::vector<net::io_context*> workers;
    for (unsigned i = 0; i < threads; ++i) {
        contexts.push_back(std::make_unique<net::io_context>(1));
        workers.push_back(contexts.back().get());
    }
    net::io_context& ioc = *contexts.front();

    auto state = std::make_shared<shared_state>(cfg, book, stats);
    state->hub = std::make_unique<live_hub>(
        *book, stats, live_hub::options{50000, cfg.live_max_connections, cfg.live_max_per_address});
    book->add_listener(
        [hub = state->hub.get()](const std::vector<fact>& facts) { hub->publish(facts); });
    // Declared after `state`, so destroyed before it, however this function returns (early
    // too): the ledger stops before the hub its listener calls, and no fact (a sweep's, or
    // another process's through the SQLite watcher or a Redis notification) reaches a
    // destroyed hub.
    struct ledger_stopper {
        ledger& book_;
        ~ledger_stopper() { book_.stop(); }
    } stop_the_ledger{*book};
    // The services the handlers use, each group of routes getting what it needs.
    sign_in_throttle by_account, by_address{sign_in_throttle::policy{20}};
    // Password checks and the outbox page's store calls, off the I/O threads; Job Dating
    // timetables, off the I/O threads and the ledger's lock.
    constexpr std::size_t crypto_threads = 2, solver_threads = 1;
    net::thread_pool crypto{crypto_threads}, solver{solver_threads};
    name_pool_threads(crypto, crypto_threads, "crypto");
    name_pool_threads(solver, solver_threads, "solver");
    // First run: a journal without an administrator gets a one-time set-up link, printed
    // below once the port is known, and only then.
    const std::string setup_token =
        book->read([](const creneau::state& s) { return has_operator_admin(s); }) ? std::string{}
                                                                                  : new_token();
    add_routes(
        state->routes, state->api,
        sign_in_services{by_account, by_address, crypto, cfg.secure_cookies, setup_token,
                         [m = mail.get()](const std::string& t) { return m->seal(t); }},
        operations_services{*book, stats, [st = state.get()] { return st->connections(); }, *mail},
        solver);

    std::unique_ptr<sweeper> retention, waiting;
    if (cfg.retention_sweep_seconds > 0) {
        const command sweep = sweep_retention{};
        retention =
            std::make_unique<sweeper>(*book, "retention sweep", sweep, sweep_retention{}.limit,
                                      std::chrono::seconds(cfg.retention_sweep_seconds));
    }
    if (cfg.waiting_sweep_seconds > 0) {
        const command expire = expire_waiting{};
        waiting = std::make_unique<sweeper>(*book, "waiting sweep", expire, max_expired_per_sweep,
                                            std::chrono::seconds(cfg.waiting_sweep_seconds));
    }

    std::shared_ptr<listener> acceptor;
    try {
        auto address = net::ip::make_address(cfg.listen.address);
        acceptor = std::make_shared<listener>(ioc, workers, tcp::endpoint{address, cfg.listen.port},
                                              state);
    } catch (const std::exception& e) {
        log::error(
            "cannot listen",
            {{"address", cfg.listen.address}, {"port", cfg.listen.port}, {"error", e.what()}});
        return 1;
    }
    // On SIGTERM/SIGINT: stop accepting, let the requests in flight finish, close idle
    // connections, and stop the I/O threads once every connection is gone or the drain
    // timeout has passed. Handled before the port is announced: a signal sent as soon as
    // "listening" is logged must find the handler, not the default action.
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    net::steady_timer drain_deadline(ioc);
    signals.async_wait([&](const beast::error_code& ec, int signo) {
        if (ec) return;
        log::info("stopping", {{"signal", signo == SIGTERM ? "SIGTERM" : "SIGINT"},
                               {"connections", state->connections()}});
        notify_service_manager("STOPPING=1");
        acceptor->stop();
        state->hub->close_all();
        drain_deadline.expires_after(cfg.drain_timeout);
        drain_deadline.async_wait([&](const beast::error_code& ec) {
            if (ec) return;  // cancelled: every connection ended in time
            log::warn("drain timeout", {{"connections", state->connections()}});
            for (auto* c : workers) c->stop();
        });
        state->drain([&] { net::post(ioc, [&] { drain_deadline.cancel(); }); });
    });

    auto local = acceptor->local_endpoint();
    acceptor->start();
    // The set-up link is logged before "listening": whoever waits for that line (an operator's
    // script, a test) finds the link already written.
    std::string setup_url;
    if (!setup_token.empty()) {
        auto host = local.address().is_unspecified() || local.address().is_loopback()
                        ? std::string("localhost")
                        : local.address().to_string();
        setup_url =
            "http://" + host + ":" + std::to_string(local.port()) + "/#/setup/" + setup_token;
        log::warn("first run: no administrator yet", {{"setup_url", setup_url}});
    }
    log::info("listening", {{"address", local.address().to_string()},
                            {"port", local.port()},
                            {"journal", cfg.journal_backend()},
                            {"threads", threads},
                            {"version", build_version()},
                            {"commit", build_commit()}});
    // The log lines are for machines; a person at a terminal gets the link by itself, last.
    if (!setup_url.empty() && ::isatty(STDERR_FILENO))
        std::fprintf(stderr,
                     "\nCréneau has no administrator yet. Open this link to create the first "
                     "one:\n  %s\n\n",
                     setup_url.c_str());

    // Ready once SIGTERM is handled: a stop right after start drains like any other.
    notify_service_manager("READY=1\nSTATUS=listening on " + local.address().to_string() + ":" +
                           std::to_string(local.port()));
    // The other contexts run until the first is done (drained, or stopped at the deadline).
    std::vector<net::executor_work_guard<net::io_context::executor_type>> keep;
    std::vector<std::thread> pool;
    try {
        for (unsigned i = 1; i < threads; ++i) {
            keep.push_back(net::make_work_guard(*contexts[i]));
            pool.emplace_back([c = contexts[i].get(), i] {
                name_this_thread("io " + std::to_string(i));
                run_io(*c);
            });
        }
    } catch (...) {
        // A thread that cannot be created: the ones started stop before the failure is told.
        for (auto& c : contexts) c->stop();
        for (auto& t : pool) t.join();
        throw;
    }
    run_io(ioc);
    keep.clear();
    for (auto& t : pool) t.join();
    // Connections still open at a drain timeout are destroyed with their contexts, after
    // this returns: they must not reach the drain's callback, which posts to the first.
    state->forget_drain();
    retention.reset();
    waiting.reset();
    book->stop();
    mail->stop();
    log::info("stopped");
    return 0;
}

}  // namespace creneau::server
