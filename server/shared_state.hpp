#pragma once
// What every connection of one server shares: the configuration, the ledger, the routes, and the
// registry of open connections used to drain them on shutdown.
//
// Thread safety: `cfg` and `routes` are read-only once the server runs; the connection
// registry is guarded by a mutex; `draining` is atomic.

#include "server/config.hpp"
#include "server/ledger.hpp"
#include "server/live_hub.hpp"
#include "server/metrics.hpp"
#include "server/passwords.hpp"
#include "server/router.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace creneau::server {

class http_session;

class shared_state {
public:
    shared_state(config cfg, std::shared_ptr<ledger> book, metrics& stats);

    const config cfg;
    const std::shared_ptr<ledger> book;  // the state and its journal
    metrics& stats;
    // The web root, canonical (static files must resolve under it).
    const std::filesystem::path web_root;
    std::unique_ptr<live_hub> hub;  // the live channel (GET /live)
    router routes;
    // Failed sign-ins, by (address, account) and by address (docs/authorisation.md).
    sign_in_throttle throttle;
    sign_in_throttle address_throttle{sign_in_throttle::policy{20}};
    // Password hashing runs here, off the I/O threads.
    net::thread_pool crypto_pool{2};
    // Long computations (the Job Dating timetable) run here, off the I/O threads and
    // outside the ledger's lock, on a snapshot of their inputs.
    net::thread_pool solver_pool{1};

    // Registers an open connection from `address`; false when the connection cap, or the
    // cap per address, is reached.
    bool join(const std::shared_ptr<http_session>& s, const std::string& address, std::uint64_t& id);
    void leave(std::uint64_t id);
    std::size_t connections() const;

    // Starts draining: every idle connection is closed, busy ones close after their answer.
    // `on_drained` is called (from any thread) once no connection is left.
    void drain(std::function<void()> on_drained);
    bool draining() const { return draining_.load(); }

private:
    mutable std::mutex mutex_;
    struct entry {
        std::weak_ptr<http_session> session;
        std::string address;
    };
    std::unordered_map<std::uint64_t, entry> sessions_;
    std::unordered_map<std::string, std::size_t> per_address_;
    std::uint64_t next_id_ = 1;
    std::atomic<bool> draining_{false};
    std::function<void()> on_drained_;
};

}  // namespace creneau::server
