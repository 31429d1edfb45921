#pragma once
// The routes of the server, by part of the domain: each group gets the services it uses.

#include "server/api/support.hpp"
#include "server/net/router.hpp"
#include "server/ops/metrics.hpp"
#include "server/ops/passwords.hpp"

#include <functional>

namespace creneau::server {

class live_hub;
class outbox;

// Signing in: the password checks run on `crypto`, off the I/O threads; failures slow down
// per (address, account) and per address (docs/authorisation.md).
struct sign_in_services {
    sign_in_throttle& by_account;
    sign_in_throttle& by_address;
    net::thread_pool& crypto;
    bool secure_cookies;
    // First run: the secret of the set-up link printed at start ("" once an administrator
    // exists); it creates the operator's first administrator.
    std::string setup_token;
    // Seals a one-time link's token for the mail that carries it (the outbox's key).
    std::function<std::string(const std::string&)> seal;
};

// What the operations routes report on.
struct operations_services {
    ledger& book;
    metrics& stats;
    std::function<std::size_t()> connections;  // open HTTP connections
    outbox& mail;
};

void add_operation_routes(router& routes, const operations_services& ops);
void add_account_routes(router& routes, const api_base& api, const sign_in_services& sign_in);
void add_catalogue_routes(router& routes, const api_base& api);
void add_agreement_routes(router& routes, const api_base& api);
void add_reservation_routes(router& routes, const api_base& api);
void add_series_routes(router& routes, const api_base& api);
// The agreements' single windows (docs/domain.md, "The single window").
void add_window_routes(router& routes, const api_base& api);
void add_calendar_routes(router& routes, const api_base& api);
void add_event_routes(router& routes, const api_base& api);
// A person's data, for them and their organisation's administrators (docs/privacy.md).
void add_privacy_routes(router& routes, const api_base& api);
// The Job Dating's timetable is built on `solver`, off the I/O threads.
void add_jobdating_routes(router& routes, const api_base& api, net::thread_pool& solver);

// The outbox's store is called on `pool`, off the I/O threads.
void add_outbox_routes(router& routes, const api_base& api, outbox& mail, net::thread_pool& pool);

// All of them.
void add_routes(router& routes, const api_base& api, const sign_in_services& sign_in,
                const operations_services& ops, net::thread_pool& solver);

}  // namespace creneau::server
