#pragma once
// What every connection of one server shares (Beast's chat example has the same class):
// the configuration, the ledger, the routes, the live hub, and the registry of open
// connections used to cap them per address and to drain them on shutdown. Handlers do not
// see it: each group of routes gets the services it uses (api/routes.hpp).
//
// Thread safety: `cfg`, `routes` and `api` are read-only once the server runs; the
// connection registry is guarded by a mutex; `draining` is atomic.

#include "server/api/support.hpp"
#include "server/journal/ledger.hpp"
#include "server/live/live_hub.hpp"
#include "server/net/forwarded.hpp"
#include "server/net/router.hpp"
#include "server/ops/config.hpp"
#include "server/ops/metrics.hpp"
#include "server/ops/passwords.hpp"

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
    const api_base api;        // who is calling (the live channel asks too)
    const proxy_list proxies;  // whose forwarding headers name the client
    // Wrong registration codes from one client: after ten in a quarter of an hour, each
    // further guess waits longer (1 s, doubling to a minute) and is answered 429 until then.
    sign_in_throttle code_guesses{sign_in_throttle::policy{
        10, std::chrono::minutes(15), std::chrono::seconds(1), std::chrono::seconds(60), 100000}};

    // Registers an open connection from `address`; false when the connection cap, or the
    // cap per address, is reached. A trusted proxy carries many clients: the cap per
    // address applies to it as to the clients it forwards, by their own address, on the
    // live channel and at sign-in only.

    bool join(const std::shared_ptr<http_session>& s, const std::string& address,
              std::uint64_t& id);
    void leave(std::uint64_t id);
    std::size_t connections() const;

    // Starts draining: every idle connection is closed, busy ones close after their answer.
    // `on_drained` is called (from any thread) once no connection is left.
    void drain(std::function<void()> on_drained);
    // Drops drain's callback: once the I/O threads are gone, connections destroyed with their
    // io_contexts must not post to them.
    void forget_drain();
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
