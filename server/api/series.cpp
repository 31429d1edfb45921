// Series of reservations (docs/domain.md, "Series"): a preview of each date's outcome, the
// request itself (all or nothing, or what is free), and a series as it stands.

#include "server/api/routes.hpp"
#include "server/api/support.hpp"
#include "server/api/views.hpp"

#include "common/access.hpp"
#include "common/core/json_text.hpp"

namespace creneau::server {
namespace {

constexpr std::size_t max_listed = max_occurrences;

std::vector<int> field_small_ints(const json& j, const char* name, std::size_t most, int low,
                                  int high) {
    std::vector<int> out;
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array() || it->size() > most)
        fail(http::status::bad_request, "bad-request",
             std::string("'") + name + "' must be a list of at most " + std::to_string(most) +
                 " numbers",
             std::string("recurrence.") + name);
    for (const auto& v : *it) {
        if (!v.is_number_integer() || v.get<long long>() < low || v.get<long long>() > high)
            fail(http::status::bad_request, "bad-request",
                 std::string("'") + name + "' holds numbers from " + std::to_string(low) + " to " +
                     std::to_string(high),
                 std::string("recurrence.") + name);
        out.push_back(v.get<int>());
    }
    return out;
}

// The recurrence as the client sends it (docs/api.md, "Series"), strictly.
recurrence read_recurrence(const json& body) {
    auto it = body.find("recurrence");
    if (it == body.end() || !it->is_object())
        fail(http::status::bad_request, "bad-request", "'recurrence' is required", "recurrence");
    const json& j = *it;
    recurrence r;
    auto freq = field_string(j, "frequency");
    auto parsed = parse_name<frequency>(freq);
    if (!parsed)
        fail(http::status::bad_request, "bad-request", "frequency is weekly or monthly",
             "recurrence.frequency");
    r.frequency = *parsed;
    r.interval = field_int(j, "interval", false, 1);
    r.weekdays = field_small_ints(j, "weekdays", 7, 1, 7);
    r.month_day = field_int(j, "month_day", false, 0);
    r.nth = field_int(j, "nth", false, 0);
    r.weekday = field_int(j, "weekday", false, 0);
    r.until = field_string(j, "until", false);
    r.count = field_int(j, "count", false, 0);
    if (j.contains("skip")) {
        r.skip = field_strings(j, "skip");
        if (r.skip.size() > max_listed)
            fail(http::status::bad_request, "bad-request", "too many skipped dates",
                 "recurrence.skip");
    }
    if (auto m = j.find("moves"); m != j.end() && !m->is_null()) {
        if (!m->is_array() || m->size() > max_listed)
            fail(http::status::bad_request, "bad-request",
                 "'moves' is a list of {date, start, end}", "recurrence.moves");
        for (const auto& x : *m) {
            if (!x.is_object())
                fail(http::status::bad_request, "bad-request",
                     "'moves' is a list of {date, start, end}", "recurrence.moves");
            r.moves.push_back(
                {field_string(x, "date"), field_instant(x, "start"), field_instant(x, "end")});
        }
    }
    return r;
}

request_series read_series(const json& body, const caller& who) {
    request_series c;
    c.first.resource = field_id(body, "resource");
    c.first.start = field_instant(body, "start");
    c.first.end = field_instant(body, "end");
    c.first.layout = field_string(body, "layout", false);
    c.first.attendees = field_int(body, "attendees");
    c.first.organisation = field_id(body, "organisation", false);
    if (c.first.organisation.empty() && who.who) c.first.organisation = who.who->organisation;
    c.first.title = field_string(body, "title");
    c.first.equipment = field_ids(body, "equipment");
    c.rule = read_recurrence(body);
    auto mode = field_string(body, "mode", false);
    if (!mode.empty() && mode != "all-or-nothing" && mode != "book-free")
        fail(http::status::bad_request, "bad-request", "mode is all-or-nothing or book-free",
             "mode");
    c.all_or_nothing = mode != "book-free";
    return c;
}

// One date of a series: what the rule gave, and its reservation as it stands (or, before it is
// booked, as it would be) or why it cannot be one.
json occurrence_view(const series_occurrence& o, const reservation* r) {
    json j = {{"date", o.date},       {"start", o.start},  {"end", o.end},
              {"skipped", o.skipped}, {"moved", o.moved},  {"reservation", o.reservation},
              {"code", o.code},       {"detail", o.detail}};
    if (r) {
        j["status"] = r->status;
        j["quote"] = r->quote;
    } else {
        j["status"] = o.skipped ? "skipped" : "not-booked";
    }
    return j;
}

json series_view(const state& s, const series& sr,
                 const std::map<std::string, reservation>& planned = {}) {
    auto res = s.resources.find(sr.resource);
    auto org = s.organisations.find(sr.organisation);
    auto u = s.users.find(sr.requester);
    auto occurrences = json::array();
    for (const auto& o : sr.occurrences) {
        const reservation* r = s.find_reservation(o.reservation);
        if (!r)
            if (auto p = planned.find(o.reservation); p != planned.end()) r = &p->second;
        occurrences.push_back(occurrence_view(o, r));
    }
    return {
        {"id", sr.id},
        {"resource", sr.resource},
        {"resource_name", res == s.resources.end() ? sr.resource : res->second.name},
        {"organisation", sr.organisation},
        {"organisation_name", org == s.organisations.end() ? sr.organisation : org->second.name},
        {"requester", sr.requester},
        {"requester_name", u == s.users.end() ? sr.requester : u->second.name},
        {"title", sr.title},
        {"zone", sr.zone},
        {"recurrence", sr.rule},
        {"mode", sr.all_or_nothing ? "all-or-nothing" : "book-free"},
        {"created", sr.created},
        {"occurrences", occurrences}};
}

// What a series would be now: each date's outcome, decided as if it were booked what is free.
std::optional<json> preview_of(const api_base& st, request_series c, const caller& who,
                               std::optional<refusal>& refused) {
    c.all_or_nothing = false;
    const command cmd = c;
    auto d = st.book.dry_run(cmd, who.as_actor());
    if (d.refused) {
        refused = d.refused;
        return std::nullopt;
    }
    std::map<std::string, reservation> planned;
    for (const auto& f : d.facts)
        if (const auto* r = std::get_if<reservation_requested>(&f)) planned[r->value.id] = r->value;
    for (const auto& f : d.facts)
        if (const auto* a = std::get_if<reservation_approved>(&f))
            planned.at(a->id).status = reservation_status::approved;
    const auto& sr = std::get<series_requested>(d.facts.front()).value;
    return st.book.read([&](const state& s) { return series_view(s, sr, planned); });
}

net::awaitable<response> preview(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    auto cmd = read_series(json_body(c.req), who);
    std::optional<refusal> refused;
    auto view = preview_of(st, cmd, who, refused);
    if (!view) co_return refusal_response(c.req, *refused);
    co_return json_response(c.req, http::status::ok, *view);
}

net::awaitable<response> create(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    st.check_origin(c.req, who);
    const auto cmd_value = read_series(json_body(c.req), who);
    const command cmd = cmd_value;
    const actor by = who.as_actor();
    auto o = co_await submit(st.book, cmd, by, &c.req);
    if (o.refused && o.refused->code == error::series_refused) {
        // All or nothing, and some dates cannot be booked: which, and why.
        std::optional<refusal> refused;
        auto view = preview_of(st, cmd_value, who, refused);
        auto res = refusal_response(c.req, *o.refused);
        if (view) {
            auto body = json::parse(res.body());
            body["occurrences"] = (*view)["occurrences"];
            res.body() = json_text(body);
            res.prepare_payload();
        }
        co_return res;
    }
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    const auto& id = std::get<series_requested>(o.facts.front().body).value.id;
    auto body = st.book.read([&](const state& s) { return series_view(s, s.series.at(id)); });
    auto res = json_response(c.req, http::status::created, body);
    res.set(http::field::location, "/api/series/" + id);
    co_return res;
}

net::awaitable<response> one(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    const auto id = c.param("id");
    auto body = st.book.read([&](const state& s) -> std::optional<json> {
        auto sr = s.series.find(id);
        if (sr == s.series.end()) return std::nullopt;
        reservation probe;
        probe.resource = sr->second.resource;
        probe.organisation = sr->second.organisation;
        if (!may_see(s, who.as_actor(), probe)) return std::nullopt;
        return series_view(s, sr->second);
    });
    if (!body) fail(http::status::not_found, "not-found", "no series '" + id + "'");
    co_return json_response(c.req, http::status::ok, *body);
}

}  // namespace

void add_series_routes(router& routes, const api_base& api) {
    auto with = [api](auto f) { return guarded([api, f](call& c) { return f(api, c); }); };
    routes.add(http::verb::post, "/api/series", with(create));
    routes.add(http::verb::post, "/api/series/preview", with(preview));
    routes.add(http::verb::get, "/api/series/{id}", with(one));
}

}  // namespace creneau::server
