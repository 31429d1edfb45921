#include "server/routes.hpp"

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
        if (!ready)
            co_return problem_response(c.req, http::status::service_unavailable, "journal-unavailable",
                                       "The journal cannot be reached; reads still answer.");
        co_return json_response(c.req, http::status::ok, {{"status", "ready"}, {"journal", st->book->backend()}});
    });
}

}  // namespace creneau::server
