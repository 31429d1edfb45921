// The catalogue: resources, organisations and tariff grids. Anyone reads them; who changes
// what is the domain's rule (docs/authorisation.md).

#include "server/api/routes.hpp"
#include "server/api/support.hpp"

#include "common/access.hpp"

namespace creneau::server {
namespace {

// PUT of one catalogue entity: signed in, then the domain's checks and rules.
template <class Command, class T>
net::awaitable<response> put_entity(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    api.check_origin(c.req, who);
    auto body = json_body(c.req);
    const command cmd = Command{read_entity<T>(body, c.param("id"))};
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    // The entity as stored: the fact's body without its envelope fields.
    json stored = to_json(o.facts.front().body);
    stored.erase("v");
    stored.erase("type");
    co_return json_response(c.req, http::status::ok, stored);
}

// A resource as the API shows it: with its site's zone and owner.
json resource_view(const state& s, const resource& r) {
    json j = r;
    j["zone"] = s.zone_of(r.id);
    j["owner"] = s.owner_of(r.id);
    return j;
}

net::awaitable<response> list_resources(const api_base& api, call& c) {
    auto answer = cached_read(api, c.req, "resources", [](const state& s) -> std::optional<json> {
        auto out = json::array();
        for (const auto& [id, r] : s.resources) out.push_back(resource_view(s, r));
        return out;
    });
    co_return std::move(*answer);
}

net::awaitable<response> one_resource(const api_base& api, call& c) {
    auto found = api.book.read([&](const state& s) -> std::optional<json> {
        auto it = s.resources.find(c.param("id"));
        if (it == s.resources.end()) return std::nullopt;
        return resource_view(s, it->second);
    });
    if (!found) fail(http::status::not_found, "not-found", "no resource '" + c.param("id") + "'");
    co_return json_response(c.req, http::status::ok, *found);
}

net::awaitable<response> list_organisations(const api_base& api, call& c) {
    co_return json_response(c.req, http::status::ok, api.book.read([](const state& s) {
        auto out = json::array();
        for (const auto& [id, o] : s.organisations) {
            json j = o;
            j["operator"] = id == s.operator_org;
            out.push_back(std::move(j));
        }
        return out;
    }));
}

net::awaitable<response> list_tariff_grids(const api_base& api, call& c) {
    co_return json_response(c.req, http::status::ok, api.book.read([](const state& s) {
        auto out = json::array();
        for (const auto& [id, t] : s.tariffs) out.push_back(t);
        return out;
    }));
}

net::awaitable<response> list_agreements(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        auto out = json::array();
        for (const auto& [id, a] : s.agreements)
            if (may_see_agreement(s, who.as_actor(), a)) out.push_back(a);
        return out;
    }));
}

net::awaitable<response> one_agreement(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    auto found = api.book.read([&](const state& s) -> std::optional<json> {
        auto it = s.agreements.find(c.param("id"));
        if (it == s.agreements.end() || !may_see_agreement(s, who.as_actor(), it->second))
            return std::nullopt;
        return json(it->second);
    });
    if (!found) fail(http::status::not_found, "not-found", "no agreement '" + c.param("id") + "'");
    co_return json_response(c.req, http::status::ok, *found);
}

}  // namespace

void add_catalogue_routes(router& routes, const api_base& api) {
    auto with = [api](auto f) { return guarded([api, f](call& c) { return f(api, c); }); };
    routes.add(http::verb::get, "/api/resources", with(list_resources));
    routes.add(http::verb::get, "/api/resources/{id}", with(one_resource));
    routes.add(http::verb::put, "/api/resources/{id}", with(put_entity<define_resource, resource>));
    routes.add(http::verb::get, "/api/organisations", with(list_organisations));
    routes.add(http::verb::put, "/api/organisations/{id}",
               with(put_entity<define_organisation, organisation>));
    routes.add(http::verb::get, "/api/agreements", with(list_agreements));
    routes.add(http::verb::get, "/api/agreements/{id}", with(one_agreement));
    routes.add(http::verb::put, "/api/agreements/{id}",
               with(put_entity<define_agreement, agreement>));
    routes.add(http::verb::get, "/api/tariff-grids", with(list_tariff_grids));
    routes.add(http::verb::put, "/api/tariff-grids/{id}",
               with(put_entity<define_tariff_grid, tariff_grid>));
}

}  // namespace creneau::server
