#include "server/routes.hpp"

#include "server/shared_state.hpp"

namespace creneau::server {

void add_routes(shared_state& state) {
    auto* st = &state;
    state.routes.add(http::verb::get, "/healthz", [st](call& c) -> net::awaitable<response> {
        co_return json_response(c.req, http::status::ok,
                                {{"status", "ok"},
                                 {"version", CRENEAU_VERSION},
                                 {"journal", st->cfg.journal_backend()}});
    });
}

}  // namespace creneau::server
