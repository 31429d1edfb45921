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
    shared_state(config cfg, std::shared_ptr<ledger> book, metrics& stats)
        : cfg(std::move(cfg)),
          book(std::move(book)),
          stats(stats),
          web_root(this->cfg.web_root.empty() ? std::filesystem::path(CRENEAU_WEB_ROOT) : this->cfg.web_root) {}

    const config cfg;
    const std::shared_ptr<ledger> book;  // the state and its journal
    metrics& stats;
    const std::filesystem::path web_root;
    std::unique_ptr<live_hub> hub;  // the live channel (GET /live)
    router routes;
    sign_in_throttle throttle;
    // Password hashing runs here, off the I/O threads.
    net::thread_pool crypto_pool{2};

    // Registers an open connection; false when the connection cap is reached.
    bool join(const std::shared_ptr<http_session>& s, std::uint64_t& id);
    void leave(std::uint64_t id);
    std::size_t connections() const;

    // Starts draining: every idle connection is closed, busy ones close after their answer.
    // `on_drained` is called (from any thread) once no connection is left.
    void drain(std::function<void()> on_drained);
    bool draining() const { return draining_.load(); }

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, std::weak_ptr<http_session>> sessions_;
    std::uint64_t next_id_ = 1;
    std::atomic<bool> draining_{false};
    std::function<void()> on_drained_;
};

}  // namespace creneau::server
