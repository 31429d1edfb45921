// The catalogue: resources, organisations, agreements and tariff grids. Anyone reads the
// resources, organisations and grids; agreements are seen by their parties and the
// administrators; administrators change everything.

#include "server/api.hpp"
#include "server/routes.hpp"
#include "server/shared_state.hpp"

#include "common/access.hpp"

namespace creneau::server {
namespace {

// The body of a PUT, its id taken from the path (the body's own, if any, must agree).
template <class Read>
auto read_entity(nlohmann::json& body, const std::string& id, Read read) {
    if (auto it = body.find("id"); it != body.end() && *it != id)
        fail(http::status::bad_request, "bad-request", "the body's id differs from the path's", "id");
    body["id"] = id;
    return read_json(body, read);
}

bool sees_agreement(const state& s, const caller& c, const agreement& a) {
    return may_see_agreement(s, c.as_actor(), a);
}

// PUT of one catalogue entity: who may change it is the domain's rule (common/access.hpp).
template <class Make>
net::awaitable<response> put_entity(shared_state& st, call& c, Make make) {
    auto who = identify(st, c.req);
    require_user(who);
    check_origin(st, c.req, who);
    auto body = json_body(c.req);
    const command cmd = make(body, c.param("id"));
    const actor by = who.as_actor();
    auto o = co_await submit(*st.book, cmd, by);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    // The entity as stored: the fact's body without its envelope fields.
    nlohmann::json stored = to_json(o.facts.front().body);
    stored.erase("v");
    stored.erase("type");
    co_return json_response(c.req, http::status::ok, stored);
}

}  // namespace

void add_catalogue_routes(shared_state& st) {
    auto* s = &st;
    st.routes.add(http::verb::get, "/api/resources", guarded([s](call& c) -> net::awaitable<response> {
        auto list = s->book->read([](const state& x) {
            auto out = nlohmann::json::array();
            for (const auto& [id, r] : x.resources) {
                auto j = to_json(r);
                j["zone"] = x.zone_of(id);
                j["owner"] = x.owner_of(id);
                out.push_back(j);
            }
            return out;
        });
        co_return json_response(c.req, http::status::ok, list);
    }));
    st.routes.add(http::verb::get, "/api/resources/{id}", guarded([s](call& c) -> net::awaitable<response> {
        auto found = s->book->read([&](const state& x) -> std::optional<nlohmann::json> {
            auto it = x.resources.find(c.param("id"));
            if (it == x.resources.end()) return std::nullopt;
            auto j = to_json(it->second);
            j["zone"] = x.zone_of(it->first);
            j["owner"] = x.owner_of(it->first);
            return j;
        });
        if (!found) fail(http::status::not_found, "not-found", "no resource '" + c.param("id") + "'");
        co_return json_response(c.req, http::status::ok, *found);
    }));
    st.routes.add(http::verb::put, "/api/resources/{id}", guarded([s](call& c) {
        return put_entity(*s, c, [](nlohmann::json& b, const std::string& id) -> command {
            return define_resource{read_entity(b, id, resource_from_json)};
        });
    }));

    st.routes.add(http::verb::get, "/api/organisations", guarded([s](call& c) -> net::awaitable<response> {
        auto list = s->book->read([](const state& x) {
            auto out = nlohmann::json::array();
            for (const auto& [id, o] : x.organisations) out.push_back(to_json(o));
            return out;
        });
        co_return json_response(c.req, http::status::ok, list);
    }));
    st.routes.add(http::verb::put, "/api/organisations/{id}", guarded([s](call& c) {
        return put_entity(*s, c, [](nlohmann::json& b, const std::string& id) -> command {
            return define_organisation{read_entity(b, id, organisation_from_json)};
        });
    }));

    st.routes.add(http::verb::get, "/api/agreements", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        auto list = s->book->read([&](const state& x) {
            auto out = nlohmann::json::array();
            for (const auto& [id, a] : x.agreements)
                if (sees_agreement(x, who, a)) out.push_back(to_json(a));
            return out;
        });
        co_return json_response(c.req, http::status::ok, list);
    }));
    st.routes.add(http::verb::get, "/api/agreements/{id}", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        auto found = s->book->read([&](const state& x) -> std::optional<nlohmann::json> {
            auto it = x.agreements.find(c.param("id"));
            if (it == x.agreements.end() || !sees_agreement(x, who, it->second)) return std::nullopt;
            return to_json(it->second);
        });
        if (!found) fail(http::status::not_found, "not-found", "no agreement '" + c.param("id") + "'");
        co_return json_response(c.req, http::status::ok, *found);
    }));
    st.routes.add(http::verb::put, "/api/agreements/{id}", guarded([s](call& c) {
        return put_entity(*s, c, [](nlohmann::json& b, const std::string& id) -> command {
            return define_agreement{read_entity(b, id, agreement_from_json)};
        });
    }));

    st.routes.add(http::verb::get, "/api/tariff-grids", guarded([s](call& c) -> net::awaitable<response> {
        auto list = s->book->read([](const state& x) {
            auto out = nlohmann::json::array();
            for (const auto& [id, t] : x.tariffs) out.push_back(to_json(t));
            return out;
        });
        co_return json_response(c.req, http::status::ok, list);
    }));
    st.routes.add(http::verb::put, "/api/tariff-grids/{id}", guarded([s](call& c) {
        return put_entity(*s, c, [](nlohmann::json& b, const std::string& id) -> command {
            return define_tariff_grid{read_entity(b, id, tariff_grid_from_json)};
        });
    }));
}

}  // namespace creneau::server
