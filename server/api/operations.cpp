// Operations: liveness, readiness, metrics and the API's own description.

#include "server/api/openapi.hpp"
#include "server/api/routes.hpp"
#include "server/mail/outbox.hpp"
#include "server/ops/build_info.hpp"

namespace creneau::server {
namespace {

// Written as text, members in the order a document prints them (docs/architecture.md,
// "Answers written as text"): the probe a load balancer sends most often.
net::awaitable<response> healthz(const operations_services& ops, call& c) {
    std::string body;
    body.reserve(128);
    object_text o(body);
    o.string("commit", build_commit());
    o.integer("head", ops.book.head());
    o.string("journal", ops.book.backend());
    o.string("status", "ok");
    o.string("version", build_version());
    o.close();
    co_return json_text_response(c.req, http::status::ok, std::move(body));
}

// Ready to take writes: 503 while the journal cannot be reached (Redis down), or once the
// ledger has stopped taking writes.
net::awaitable<response> readyz(const operations_services& ops, call& c) {
    if (ops.book.journal_available())
        co_return json_response(c.req, http::status::ok,
                                {{"status", "ready"}, {"journal", ops.book.backend()}});
    auto stopped = ops.book.failure();
    auto problem = ops.book.journal_problem();
    co_return problem_response(
        c.req, http::status::service_unavailable,
        stopped.empty() ? "journal-unavailable" : "ledger-stopped",
        !stopped.empty() ? "The ledger stopped taking writes (" + stopped + "); reads still answer."
        : !problem.empty() ? "The journal is unavailable: " + problem + "; reads still answer."
                           : "The journal cannot be reached; reads still answer.");
}

net::awaitable<response> metrics_text(const operations_services& ops, call& c) {
    std::string extra;
    auto gauge = [&](const char* name, const char* help, const char* type, std::int64_t value) {
        extra.append("# HELP ")
            .append(name)
            .append(" ")
            .append(help)
            .append("\n# TYPE ")
            .append(name)
            .append(" ");
        extra.append(type)
            .append("\n")
            .append(name)
            .append(" ")
            .append(std::to_string(value))
            .append("\n");
    };
    gauge("creneau_facts_applied_total", "Facts applied to the state.", "counter",
          static_cast<std::int64_t>(ops.book.facts_applied()));
    gauge("creneau_journal_head", "Sequence number of the last fact.", "gauge", ops.book.head());
    gauge("creneau_journal_conflicts_total",
          "Appends another instance got ahead of: their requests decided again, or given up.",
          "counter", static_cast<std::int64_t>(ops.book.conflicts()));
    gauge("creneau_ledger_commands_total",
          "Writes the ledger took (clients' and sweeps'), each counted once however often "
          "decided.",
          "counter", static_cast<std::int64_t>(ops.book.commands()));
    gauge("creneau_journal_up", "Whether the journal answers.", "gauge",
          ops.book.journal_available() ? 1 : 0);
    gauge("creneau_http_connections", "Open HTTP connections.", "gauge",
          static_cast<std::int64_t>(ops.connections()));
    gauge("creneau_outbox_depth", "Mails waiting, held or failed in the outbox.", "gauge",
          static_cast<std::int64_t>(ops.mail.depth()));
    co_return text_response(c.req, http::status::ok, ops.stats.render(extra),
                            "text/plain; version=0.0.4");
}

net::awaitable<response> openapi(call& c) {
    auto res = json_text_response(c.req, http::status::ok, std::string(openapi_text()));
    res.set(http::field::cache_control, "no-cache");
    co_return res;
}

// The live channel upgrades to WebSocket (net/http_session hands it over); a plain GET is told so.
net::awaitable<response> live_without_upgrade(call& c) {
    auto res = problem_response(c.req, http::status::upgrade_required, "upgrade-required",
                                "GET /live is a WebSocket: send an upgrade request.");
    res.set(http::field::upgrade, "websocket");
    co_return res;
}

}  // namespace

void add_operation_routes(router& routes, const operations_services& ops) {
    auto with = [ops](auto f) { return [ops, f](call& c) { return f(ops, c); }; };
    routes.add(http::verb::get, "/healthz", with(healthz));
    routes.add(http::verb::get, "/readyz", with(readyz));
    routes.add(http::verb::get, "/metrics", with(metrics_text));
    routes.add(http::verb::get, "/api/openapi.json", openapi);
    routes.add(http::verb::get, "/live", live_without_upgrade);
}

void add_routes(router& routes, const api_base& api, const sign_in_services& sign_in,
                const operations_services& ops, net::thread_pool& solver) {
    add_operation_routes(routes, ops);
    add_account_routes(routes, api, sign_in);
    add_catalogue_routes(routes, api);
    add_agreement_routes(routes, api);
    add_reservation_routes(routes, api);
    add_series_routes(routes, api);
    add_window_routes(routes, api);
    add_calendar_routes(routes, api);
    add_event_routes(routes, api);
    add_privacy_routes(routes, api);
    add_jobdating_routes(routes, api, solver);
    add_outbox_routes(routes, api, ops.mail, sign_in.crypto);
}

}  // namespace creneau::server
