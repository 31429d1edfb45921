// The agreements' single windows (docs/domain.md, "The single window"): the windows a caller
// may use, a student association's requests, and their routing by the window's operator.

#include "server/api/routes.hpp"
#include "server/api/support.hpp"
#include "server/api/views.hpp"

#include "common/access.hpp"
#include "common/window/rules.hpp"

namespace creneau::server {
namespace {

std::string name_of_org(const state& s, const std::string& id) {
    auto o = s.organisations.find(id);
    return o == s.organisations.end() ? id : o->second.name;
}

json request_view(const state& s, const window_request& w, instant now) {
    json j = w;
    auto g = s.agreements.find(w.agreement);
    j["agreement_name"] = g == s.agreements.end() ? w.agreement : g->second.name;
    j["organisation_name"] = name_of_org(s, w.organisation);
    auto u = s.users.find(w.requester);
    j["requester_name"] = u == s.users.end() ? w.requester : u->second.name;
    j["routable"] = routable(s, w);
    // Still to be routed, but the agreement's notice has run out meanwhile: no room can take
    // it any more; its operator declines it.
    j["too_late"] = j["routable"].get<bool>() && g != s.agreements.end() &&
                    w.start < g->second.earliest_start(now);
    auto history = json::array();
    for (const auto& h : w.history) {
        json entry = history_view(s, h);
        // The room it was routed to, and what its lender made of it.
        if (const reservation* r =
                h.action == "assigned" ? s.find_reservation(h.detail) : nullptr) {
            auto res = s.resources.find(r->resource);
            entry["resource_name"] = res == s.resources.end() ? r->resource : res->second.name;
            entry["booking_status"] = r->status;
        }
        history.push_back(std::move(entry));
    }
    j["history"] = history;
    // Where the request went, and where its reservation stands: the room, its lender's
    // decision and why (what the association and the window follow).
    if (const reservation* r = s.find_reservation(w.reservation)) {
        auto res = s.resources.find(r->resource);
        j["booking"] = {
            {"id", r->id},
            {"resource", r->resource},
            {"resource_name", res == s.resources.end() ? r->resource : res->second.name},
            {"layout", r->layout},
            {"lender", s.owner_of(r->resource)},
            {"lender_name", name_of_org(s, s.owner_of(r->resource))},
            {"status", r->status},
            {"reason", r->reason}};
    }
    return j;
}

// The windows the caller takes part in, of the agreements not yet ended: as an association
// that may submit, or as their operator's admin.
json windows_view(const state& s, const actor& who, instant now) {
    auto out = json::array();
    for (const auto& [id, g] : s.agreements) {
        if (g.window_operator.empty() || local_date(now, g.zone) > g.valid_to) continue;
        const bool runs = may_run_window(who, g);
        // A window takes requests while the agreement's notice still falls within it.
        const bool open = local_date(g.earliest_start(now), g.zone) <= g.valid_to;
        const bool submits = open && may_submit_to_window(s, who.organisation, g);
        if (!runs && !submits) continue;
        std::size_t queued = 0;
        for (const auto& [wid, w] : s.window_requests)
            if (w.agreement == id && routable(s, w)) ++queued;
        out.push_back({{"agreement", id},
                       {"name", g.name},
                       {"operator", g.window_operator},
                       {"operator_name", name_of_org(s, g.window_operator)},
                       {"parties", {g.provider, g.beneficiary}},
                       {"party_names", {name_of_org(s, g.provider), name_of_org(s, g.beneficiary)}},
                       {"zone", g.zone},
                       {"valid_from", g.valid_from},
                       {"valid_to", g.valid_to},
                       {"min_notice", g.min_notice},
                       {"runs", runs},
                       {"submits", submits},
                       {"queued", runs ? json(queued) : json()}});
    }
    return out;
}

net::awaitable<response> windows(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    const auto now = now_seconds();
    auto body = st.book.read([&](const state& s) { return windows_view(s, who.as_actor(), now); });
    co_return json_response(c.req, http::status::ok, body);
}

submit_window_request read_submission(const json& body, const caller& who) {
    submit_window_request r;
    r.agreement = field_id(body, "agreement");
    r.organisation = field_id(body, "organisation", false);
    if (r.organisation.empty() && who.who) r.organisation = who.who->organisation;
    r.title = field_string(body, "title");
    r.description = field_string(body, "description", false);
    r.start = field_instant(body, "start");
    r.end = field_instant(body, "end");
    r.attendees = field_int(body, "attendees");
    auto kind = field_string(body, "kind", false);
    if (!kind.empty()) {
        auto k = parse_name<room_kind>(kind);
        if (!k)
            fail(http::status::bad_request, "bad-request",
                 "kind is any, meeting, auditorium or reception", "kind");
        r.kind = *k;
    }
    return r;
}

std::optional<json> visible(const api_base& st, const caller& who, const std::string& id) {
    const auto now = now_seconds();
    return st.book.read([&](const state& s) -> std::optional<json> {
        auto w = s.window_requests.find(id);
        if (w == s.window_requests.end() || !may_see_window_request(s, who.as_actor(), w->second))
            return std::nullopt;
        return request_view(s, w->second, now);
    });
}

json must_see(const api_base& st, const caller& who, const std::string& id) {
    auto found = visible(st, who, id);
    if (!found) fail(http::status::not_found, "not-found", "no request '" + id + "'");
    return *found;
}

net::awaitable<response> submit_request(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    st.check_origin(c.req, who);
    const command cmd = read_submission(json_body(c.req), who);
    auto o = co_await submit(st.book, cmd, who.as_actor(), &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    const auto& id = std::get<window_request_submitted>(o.facts.front().body).value.id;
    auto res = json_response(c.req, http::status::created, must_see(st, who, id));
    res.set(http::field::location, "/api/window-requests/" + id);
    co_return res;
}

net::awaitable<response> list(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    auto agreement = query_id(c.req, "agreement");
    auto status_text = query_param(c.req.target(), "status");
    std::optional<window_status> status;
    if (status_text) {
        status = parse_name<window_status>(*status_text);
        if (!status)
            fail(http::status::bad_request, "bad-request",
                 "status is submitted, assigned, declined or withdrawn", "status");
    }
    const auto now = now_seconds();
    auto body = st.book.read([&](const state& s) {
        std::vector<const window_request*> found;
        for (const auto& [id, w] : s.window_requests) {
            if (!may_see_window_request(s, who.as_actor(), w)) continue;
            if (agreement && w.agreement != *agreement) continue;
            if (status && w.status != *status) continue;
            found.push_back(&w);
        }
        std::sort(found.begin(), found.end(), [](auto* a, auto* b) {
            return std::tie(a->start, a->id) < std::tie(b->start, b->id);
        });
        auto out = json::array();
        for (const auto* w : found) out.push_back(request_view(s, *w, now));
        return out;
    });
    co_return json_response(c.req, http::status::ok, body);
}

net::awaitable<response> one(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    co_return json_response(c.req, http::status::ok, must_see(st, who, c.param("id")));
}

// The rooms the window may route a request to, each layout said to fit or why not, as the
// routing would be decided now.
net::awaitable<response> rooms(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    const auto id = c.param("id");
    must_see(st, who, id);
    const actor by = who.as_actor();
    struct candidate {
        std::string resource, name, lender, lender_name, layout, label;
        int capacity = 0;
        std::string refused;  // this room's lender refused the request already: why
    };
    auto found = st.book.read([&](const state& s) {
        const auto& w = s.window_requests.at(id);
        const auto& g = s.agreements.at(w.agreement);
        require(may_run_window(by, g), "route the window's requests (its operator's admins)");
        std::map<std::string, std::string> refused;  // room → its lender's reason
        for (const auto& h : w.history)
            if (const reservation* r =
                    h.action == "assigned" ? s.find_reservation(h.detail) : nullptr;
                r && r->status == reservation_status::refused)
                refused[r->resource] = r->reason;
        std::vector<candidate> out;
        for (const auto& [rid, terms] : g.resources) {
            auto r = s.resources.find(rid);
            if (r == s.resources.end() || r->second.kind != resource_kind::room) continue;
            const auto owner = s.owner_of(rid);
            auto no = refused.find(rid);
            for (const auto& l : r->second.layouts)
                out.push_back({rid, r->second.name, owner, name_of_org(s, owner), l.id,
                               l.label.empty() ? l.id : l.label, l.capacity,
                               no == refused.end() ? std::string{} : no->second});
        }
        return out;
    });
    auto out = json::array();
    for (const auto& x : found) {
        const command cmd = assign_window_request{id, x.resource, x.layout};
        auto d = st.book.dry_run(cmd, by);
        json j = {{"resource", x.resource}, {"resource_name", x.name},
                  {"lender", x.lender},     {"lender_name", x.lender_name},
                  {"layout", x.layout},     {"layout_label", x.label},
                  {"capacity", x.capacity}, {"fits", !d.refused}};
        if (!x.refused.empty()) j["refused_before"] = x.refused;
        if (d.refused) {
            j["code"] = code_of(d.refused->code);
            j["detail"] = d.refused->detail;
        } else {
            j["quote"] = std::get<reservation_requested>(d.facts.front()).value.quote;
        }
        out.push_back(std::move(j));
    }
    co_return json_response(c.req, http::status::ok, out);
}

template <class Make>
net::awaitable<response> change(const api_base& st, call& c, Make make) {
    auto who = st.identify(c.req);
    require_user(who);
    st.check_origin(c.req, who);
    json body = json_body(c.req, true);
    const auto id = c.param("id");
    must_see(st, who, id);  // someone who cannot see it is told it does not exist
    const command cmd = make(id, body);
    auto o = co_await submit(st.book, cmd, who.as_actor(), &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, http::status::ok, must_see(st, who, id));
}

net::awaitable<response> assign(const api_base& st, call& c) {
    return change(st, c, [](const std::string& id, const json& b) -> command {
        return assign_window_request{id, field_id(b, "resource"), field_string(b, "layout", false)};
    });
}
net::awaitable<response> decline(const api_base& st, call& c) {
    return change(st, c, [](const std::string& id, const json& b) -> command {
        return decline_window_request{id, field_string(b, "reason")};
    });
}
net::awaitable<response> withdraw(const api_base& st, call& c) {
    return change(st, c, [](const std::string& id, const json& b) -> command {
        return withdraw_window_request{id, field_string(b, "reason", false)};
    });
}

}  // namespace

void add_window_routes(router& routes, const api_base& api) {
    auto with = [api](auto f) { return guarded([api, f](call& c) { return f(api, c); }); };
    routes.add(http::verb::get, "/api/windows", with(windows));
    routes.add(http::verb::get, "/api/window-requests", with(list));
    routes.add(http::verb::post, "/api/window-requests", with(submit_request));
    routes.add(http::verb::get, "/api/window-requests/{id}", with(one));
    routes.add(http::verb::get, "/api/window-requests/{id}/rooms", with(rooms));
    routes.add(http::verb::post, "/api/window-requests/{id}/assign", with(assign));
    routes.add(http::verb::post, "/api/window-requests/{id}/decline", with(decline));
    routes.add(http::verb::post, "/api/window-requests/{id}/withdraw", with(withdraw));
}

}  // namespace creneau::server
