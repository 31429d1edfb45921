#include "server/routes.hpp"

#include "server/openapi.hpp"
#include "server/shared_state.hpp"

namespace creneau::server {

void add_routes(shared_state& state) {
    auto* st = &state;
    state.routes.add(http::verb::get, "/healthz", [st](call& c) -> net::awaitable<response> {
        co_return json_response(c.req, http::status::ok,
                                {{"status", "ok"},
                                 {"version", CRENEAU_VERSION},
                                 {"journal", st->book->backend()},
                                 {"head", st->book->head()}});
    });
    // Ready to take writes: 503 while the journal cannot be reached (Redis down).
    state.routes.add(http::verb::get, "/readyz", [st](call& c) -> net::awaitable<response> {
        bool ready = st->book->journal_available();
        if (!ready) {
            auto stopped = st->book->failure();
            auto problem = st->book->journal_problem();
            co_return problem_response(
                c.req, http::status::service_unavailable, stopped.empty() ? "journal-unavailable" : "ledger-stopped",
                !stopped.empty()   ? "The ledger stopped taking writes (" + stopped + "); reads still answer."
                : !problem.empty() ? "The journal is unavailable: " + problem + "; reads still answer."
                                   : "The journal cannot be reached; reads still answer.");
        }
        co_return json_response(c.req, http::status::ok, {{"status", "ready"}, {"journal", st->book->backend()}});
    });
    state.routes.add(http::verb::get, "/metrics", [st](call& c) -> net::awaitable<response> {
        std::string extra;
        extra += "# HELP creneau_facts_applied_total Facts applied to the state.\n# TYPE creneau_facts_applied_total counter\n";
        extra += "creneau_facts_applied_total " + std::to_string(st->book->facts_applied()) + "\n";
        extra += "# HELP creneau_journal_head Sequence number of the last fact.\n# TYPE creneau_journal_head gauge\n";
        extra += "creneau_journal_head " + std::to_string(st->book->head()) + "\n";
        extra += "# HELP creneau_journal_up Whether the journal answers.\n# TYPE creneau_journal_up gauge\n";
        extra += std::string("creneau_journal_up ") + (st->book->journal_available() ? "1" : "0") + "\n";
        extra += "# HELP creneau_http_connections Open HTTP connections.\n# TYPE creneau_http_connections gauge\n";
        extra += "creneau_http_connections " + std::to_string(st->connections()) + "\n";
        co_return text_response(c.req, http::status::ok, st->stats.render(extra), "text/plain; version=0.0.4");
    });
    state.routes.add(http::verb::get, "/api/openapi.json", [](call& c) -> net::awaitable<response> {
        auto res = text_response(c.req, http::status::ok, std::string(openapi_text()), "application/json");
        res.set(http::field::cache_control, "no-cache");
        co_return res;
    });
    // The live channel upgrades to WebSocket (http_session hands it over); a plain GET is told so.
    state.routes.add(http::verb::get, "/live", [](call& c) -> net::awaitable<response> {
        auto res = problem_response(c.req, http::status::upgrade_required, "upgrade-required",
                                    "GET /live is a WebSocket: send an upgrade request.");
        res.set(http::field::upgrade, "websocket");
        co_return res;
    });
    add_auth_routes(state);
    add_catalogue_routes(state);
    add_reservation_routes(state);
    add_usage_routes(state);
    add_event_routes(state);
}

}  // namespace creneau::server
