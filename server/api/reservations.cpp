// Reservations, quotes, availability and histories.

#include "server/api/routes.hpp"
#include "server/api/support.hpp"
#include "server/api/views.hpp"

#include "common/access.hpp"
#include "common/catalogue/hours.hpp"
#include "common/reservations/availability.hpp"

#include <charconv>

namespace creneau::server {
namespace {

constexpr auto max_window = std::chrono::days(400);

bool sees(const state& s, const caller& c, const reservation& r) {
    return may_see(s, c.as_actor(), r);
}

request_reservation read_request(const json& body, const caller& who) {
    request_reservation r;
    r.resource = field_id(body, "resource");
    r.start = field_instant(body, "start");
    r.end = field_instant(body, "end");
    r.layout = field_string(body, "layout", false);
    r.attendees = field_int(body, "attendees");
    r.organisation = field_id(body, "organisation", false);
    if (r.organisation.empty() && who.who) r.organisation = who.who->organisation;
    r.title = field_string(body, "title");
    r.equipment = field_ids(body, "equipment");
    r.wait = field_bool(body, "wait", false);
    return r;
}

net::awaitable<response> create(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    st.check_origin(c.req, who);
    const command cmd = read_request(json_body(c.req), who);
    const actor by = who.as_actor();
    auto o = co_await submit(st.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    const auto& id = std::get<reservation_requested>(o.facts.front().body).value.id;
    auto body = st.book.read(
        [&](const state& s) { return reservation_view_text(s, s.reservations.at(id)); });
    auto res = json_text_response(c.req, http::status::created, std::move(body));
    res.set(http::field::location, "/api/reservations/" + id);
    co_return res;
}

net::awaitable<response> quote_only(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    auto cmd = read_request(json_body(c.req), who);
    auto d = st.book.dry_run(cmd, who.as_actor());
    if (d.refused) co_return refusal_response(c.req, *d.refused);
    const auto& r = std::get<reservation_requested>(d.facts.front()).value;
    const char* status = r.status == reservation_status::waiting ? "waiting"
                         : d.facts.size() > 1                    ? "approved"
                                                                 : "pending";
    co_return json_response(c.req, http::status::ok,
                            {{"quote", r.quote},
                             {"status", status},
                             {"resource", r.resource},
                             {"layout", r.layout},
                             {"year", r.year}});
}

net::awaitable<response> list(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    auto resource = query_id(c.req, "resource");
    auto from = query_instant(c.req, "from", false);
    auto to = query_instant(c.req, "to", false);
    auto status_text = query_param(c.req.target(), "status");
    auto org = query_id(c.req, "organisation");
    auto in_series = query_id(c.req, "series");
    std::optional<reservation_status> status;
    if (status_text) {
        status = parse_name<reservation_status>(*status_text);
        if (!status)
            fail(http::status::bad_request, "bad-request",
                 "status is pending, approved, refused, cancelled or waiting", "status");
    }
    std::size_t limit = 1000;
    if (auto l = query_param(c.req.target(), "limit")) {
        // Digits only, the whole value: "-1" and "5abc" are refused.
        unsigned long long n = 0;
        const auto* end = l->data() + l->size();
        auto [at, ec] = std::from_chars(l->data(), end, n);
        if (l->empty() || ec == std::errc::invalid_argument || at != end ||
            (ec == std::errc{} && n == 0))
            fail(http::status::bad_request, "bad-request", "limit is a whole number from 1",
                 "limit");
        // Above the most an answer holds (a number too large to read, too): that most.
        limit =
            ec == std::errc::result_out_of_range ? 10000 : std::min<unsigned long long>(n, 10000);
    }
    auto body = st.book.read([&](const state& s) {
        std::vector<const reservation*> found;
        for (const auto& [id, r] : s.reservations) {
            if (!sees(s, who, r)) continue;
            if (resource && r.resource != *resource) continue;
            if (from && r.end <= *from) continue;
            if (to && r.start >= *to) continue;
            if (status && r.status != *status) continue;
            if (org && r.organisation != *org) continue;
            if (in_series && r.series != *in_series) continue;
            found.push_back(&r);
        }
        // In time order; waiting requests of one period in their list's order.
        std::sort(found.begin(), found.end(), [](auto* a, auto* b) {
            return std::tie(a->start, a->rank) < std::tie(b->start, b->rank);
        });
        std::string out = "[";
        for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
            if (i) out += ',';
            append_reservation(out, s, *found[i]);
        }
        out += ']';
        return out;
    });
    co_return json_text_response(c.req, http::status::ok, std::move(body));
}

std::optional<std::string> visible(const api_base& st, const caller& who, const std::string& id) {
    return st.book.read([&](const state& s) -> std::optional<std::string> {
        auto r = s.find_reservation(id);
        if (!r || !sees(s, who, *r)) return std::nullopt;
        return reservation_view_text(s, *r);
    });
}

net::awaitable<response> one(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    auto found = visible(st, who, c.param("id"));
    if (!found)
        fail(http::status::not_found, "not-found", "no reservation '" + c.param("id") + "'");
    co_return json_text_response(c.req, http::status::ok, std::move(*found));
}

net::awaitable<response> history(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    auto found = st.book.read([&](const state& s) -> std::optional<json> {
        auto r = s.find_reservation(c.param("id"));
        if (!r || !sees(s, who, *r)) return std::nullopt;
        auto entries = json::array();
        for (const auto& h : r->history) entries.push_back(history_view(s, h));
        return json{{"id", r->id}, {"history", entries}};
    });
    if (!found)
        fail(http::status::not_found, "not-found", "no reservation '" + c.param("id") + "'");
    co_return json_response(c.req, http::status::ok, *found);
}

// approve, refuse, cancel: the same shape.
template <class Make>
net::awaitable<response> change(const api_base& st, call& c, Make make) {
    auto who = st.identify(c.req);
    require_user(who);
    st.check_origin(c.req, who);
    json body = json_body(c.req, true);
    const auto id = c.param("id");
    // Someone who cannot see the reservation is told it does not exist.
    if (!visible(st, who, id))
        fail(http::status::not_found, "not-found", "no reservation '" + id + "'");
    const command cmd = make(id, body);
    const actor by = who.as_actor();
    auto o = co_await submit(st.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_text_response(c.req, http::status::ok, *visible(st, who, id));
}

// What a calendar needs to show what is really bookable: the busy periods with their
// set-up and clean-up buffers (titles and organisations for those who may see them), the
// free periods, the bookable hours and the closures. Never who booked, for anyone else.
json availability_view(const state& s, const resource& r, instant from, instant to,
                       const caller& who) {
    auto a = availability_of(s, r.id, from, to);
    auto busy = json::array(), free = json::array(), open = json::array(), closures = json::array();
    for (const auto& b : a.busy) {
        json j = {{"start", b.start},
                  {"end", b.end},
                  {"status", b.status},
                  {"occupied_start", b.start - r.setup_minutes},
                  {"occupied_end", b.end + r.cleanup_minutes}};
        if (const auto* res = s.find_reservation(b.id); res && sees(s, who, *res)) {
            auto org = s.organisations.find(res->organisation);
            j["id"] = res->id;
            j["title"] = res->title;
            j["organisation_name"] =
                org == s.organisations.end() ? res->organisation : org->second.name;
            if (!res->series.empty()) j["series"] = res->series;
        }
        busy.push_back(std::move(j));
    }
    for (const auto& p : a.free) free.push_back({{"start", p.start}, {"end", p.end}});
    for (const auto& p : open_periods(r, s.zone_of(r.id), from, to))
        open.push_back({{"start", p.start}, {"end", p.end}});
    for (const auto& cl : r.closures)
        if (cl.end > from && cl.start < to) closures.push_back(cl);
    return {{"resource", r.id},    {"zone", s.zone_of(r.id)},
            {"from", from},        {"to", to},
            {"seq", s.seq},        {"busy", busy},
            {"free", free},        {"open", open},
            {"closures", closures}};
}

net::awaitable<response> availability(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    auto resource = query_id(c.req, "resource");
    if (!resource)
        fail(http::status::bad_request, "bad-request", "query parameter 'resource' is required",
             "resource");
    auto from = *query_instant(c.req, "from", true);
    auto to = *query_instant(c.req, "to", true);
    if (to <= from)
        fail(http::status::bad_request, "bad-request", "'to' must be after 'from'", "to");
    if (to - from > max_window)
        fail(http::status::bad_request, "bad-request", "the window is at most 400 days", "to");
    std::string key = "availability ";
    key.append(*resource)
        .append(" ")
        .append(std::to_string(from.time_since_epoch().count()))
        .append(" ")
        .append(std::to_string(to.time_since_epoch().count()))
        .append(" ")
        .append(audience_key(who));
    auto answer = cached_read(st, c.req, key, [&](const state& s) -> std::optional<json> {
        auto r = s.resources.find(*resource);
        if (r == s.resources.end()) return std::nullopt;
        return availability_view(s, r->second, from, to, who);
    });
    if (!answer)
        fail(http::status::not_found, "not-found", "no resource '" + *resource + "'", "resource");
    co_return std::move(*answer);
}

// A room's waiting list, in order: its administrators (and the operator's) see every request,
// other organisations their own.
net::awaitable<response> waiting_list(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    const auto id = c.param("id");
    auto body = st.book.read([&](const state& s) -> std::optional<json> {
        if (!s.resources.count(id)) return std::nullopt;
        auto out = json::array();
        if (auto w = s.room_waiting.find(id); w != s.room_waiting.end())
            for (const auto& [rank, rid] : w->second) {
                const auto& r = s.reservations.at(rid);
                if (sees(s, who, r)) out.push_back(reservation_view(s, r));
            }
        return json{{"resource", id}, {"waiting", out}};
    });
    if (!body) fail(http::status::not_found, "not-found", "no resource '" + id + "'");
    co_return json_response(c.req, http::status::ok, *body);
}

net::awaitable<response> reorder_waiting(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    st.check_origin(c.req, who);
    auto body = json_body(c.req);
    const command cmd = reorder_room_waitlist{c.param("id"), field_id_list(body, "order")};
    const actor by = who.as_actor();
    auto o = co_await submit(st.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return co_await waiting_list(st, c);
}

// What a decision on an occurrence of a series applies to (docs/domain.md, "Series").
series_scope scope_of(const json& body) {
    auto s = field_string(body, "scope", false);
    if (s.empty() || s == "one") return series_scope::one;
    if (s == "following") return series_scope::following;
    if (s == "all") return series_scope::all;
    fail(http::status::bad_request, "bad-request", "scope is one, following or all", "scope");
}

net::awaitable<response> approve(const api_base& api, call& c) {
    return change(api, c, [](const std::string& id, const json& b) -> command {
        return approve_reservation{id, scope_of(b)};
    });
}

net::awaitable<response> refuse(const api_base& api, call& c) {
    return change(api, c, [](const std::string& id, const json& b) -> command {
        return refuse_reservation{id, field_string(b, "reason"), scope_of(b)};
    });
}

net::awaitable<response> cancel(const api_base& api, call& c) {
    return change(api, c, [](const std::string& id, const json& b) -> command {
        return cancel_reservation{id, field_string(b, "reason", false), scope_of(b)};
    });
}

}  // namespace

void add_reservation_routes(router& routes, const api_base& api) {
    auto with = [api](auto f) { return guarded([api, f](call& c) { return f(api, c); }); };
    routes.add(http::verb::post, "/api/reservations", with(create));
    routes.add(http::verb::post, "/api/quotes", with(quote_only));
    routes.add(http::verb::get, "/api/reservations", with(list));
    routes.add(http::verb::get, "/api/reservations/{id}", with(one));
    routes.add(http::verb::get, "/api/reservations/{id}/history", with(history));
    routes.add(http::verb::post, "/api/reservations/{id}/approve", with(approve));
    routes.add(http::verb::post, "/api/reservations/{id}/refuse", with(refuse));
    routes.add(http::verb::post, "/api/reservations/{id}/cancel", with(cancel));
    routes.add(http::verb::get, "/api/availability", with(availability));
    routes.add(http::verb::get, "/api/resources/{id}/waitlist", with(waiting_list));
    routes.add(http::verb::post, "/api/resources/{id}/waitlist", with(reorder_waiting));
}

}  // namespace creneau::server
