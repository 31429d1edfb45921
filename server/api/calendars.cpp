// The iCalendar feeds: public ones per resource (busy periods only, no title, organisation
// or person), and an organisation's private one, reached by the secret token in its URL.

#include "server/api/ical.hpp"
#include "server/api/routes.hpp"
#include "server/api/support.hpp"

#include "common/access.hpp"

#include <algorithm>
#include <set>

namespace creneau::server {
namespace {

// The status as the feed's French text says it.
std::string status_label(reservation_status s) {
    switch (s) {
        case reservation_status::pending:
            return "en attente";
        case reservation_status::approved:
            return "confirmée";
        case reservation_status::refused:
            return "refusée";
        case reservation_status::cancelled:
            return "annulée";
        case reservation_status::waiting:
            return "en liste d'attente";
    }
    return "";
}

// A series as one recurring VEVENT (docs/live-protocol.md, "Calendar feeds"): the rule, the
// dates it does not hold (skipped, never booked, refused or cancelled) as EXDATE, and each
// occurrence that differs from the series (moved, or of another status) as an override with
// its RECURRENCE-ID.
template <class EntryOf>
void series_entries(const state& s, const series& sr, EntryOf entry_of,
                    std::vector<ical_entry>& out) {
    std::vector<const reservation*> active;
    for (const auto& o : sr.occurrences)
        if (const auto* r = s.find_reservation(o.reservation); r && r->active())
            active.push_back(r);
    const bool all_approved = std::all_of(active.begin(), active.end(), [](const auto* r) {
        return r->status == reservation_status::approved;
    });
    ical_entry master;
    master.uid = sr.id;
    master.start = sr.start;
    master.end = sr.end;
    master.status = active.empty() ? "CANCELLED" : all_approved ? "CONFIRMED" : "TENTATIVE";
    master.rrule = ical_rrule(sr);
    std::vector<ical_entry> overrides;
    for (const auto& o : sr.occurrences) {
        const auto original = rule_start(sr, o.date);
        const auto* r = s.find_reservation(o.reservation);
        if (r) master.sequence = std::max(master.sequence, r->revision);
        if (!r || !r->active()) {
            master.exdates.push_back(original);
            continue;
        }
        auto e = entry_of(*r);
        if (master.summary.empty()) {
            master.summary = e.summary;
            master.location = e.location;
            master.description = "Série " + sr.id + " — " + e.description;
        }
        if (o.moved || e.status != master.status || r->start != original ||
            r->end - r->start != sr.end - sr.start) {
            e.uid = sr.id;
            e.recurrence_id = original;
            overrides.push_back(std::move(e));
        }
    }
    if (master.summary.empty()) master.summary = sr.title;
    out.push_back(std::move(master));
    for (auto& e : overrides) out.push_back(std::move(e));
}

std::string strip_ics(const std::string& file) {
    if (file.size() <= 4 || file.substr(file.size() - 4) != ".ics")
        fail(http::status::not_found, "not-found", "calendars end in .ics");
    return file.substr(0, file.size() - 4);
}

response ics_response(const request& req, std::string body) {
    auto res =
        text_response(req, http::status::ok, std::move(body), "text/calendar; charset=utf-8");
    res.set(http::field::cache_control, "no-cache");
    return res;
}

net::awaitable<response> public_calendar(const api_base& api, call& c) {
    auto rid = strip_ics(c.param("file"));
    auto body = api.book.read([&](const state& s) -> std::optional<std::string> {
        auto r = s.resources.find(rid);
        if (r == s.resources.end()) return std::nullopt;
        std::vector<ical_entry> entries;
        for (const auto& [id, res] : s.reservations)
            if (res.resource == rid && res.ever_booked())
                entries.push_back(ical_of(
                    res,
                    res.status == reservation_status::approved ? "Occupé" : "Occupé (en attente)",
                    r->second.name, ""));
        return ical_calendar(r->second.name + " — Créneau", s.zone_of(rid), entries, now_seconds());
    });
    if (!body) fail(http::status::not_found, "not-found", "no resource '" + rid + "'");
    co_return ics_response(c.req, std::move(*body));
}

net::awaitable<response> private_calendar(const api_base& api, call& c) {
    auto hash = token_hash(strip_ics(c.param("file")));
    auto body = api.book.read([&](const state& s) -> std::optional<std::string> {
        std::string org;
        for (const auto& [o, h] : s.calendar_feeds)
            if (h == hash) org = o;
        if (org.empty()) return std::nullopt;
        std::vector<ical_entry> entries;
        std::string zone = "Europe/Paris";
        auto entry_of = [&](const reservation& res) {
            auto r = s.resources.find(res.resource);
            std::string layout = res.layout;
            if (r != s.resources.end())
                for (const auto& l : r->second.layouts)
                    if (l.id == res.layout && !l.label.empty()) layout = l.label;
            std::string desc = "Réservation " + res.id + " — " + status_label(res.status) +
                               (res.reason.empty() ? "" : " (" + res.reason + ")") + "\n" +
                               std::to_string(res.attendees) + " personnes, " + layout;
            return ical_of(res, res.title, r == s.resources.end() ? res.resource : r->second.name,
                           desc);
        };
        std::set<std::string> in_series;
        for (const auto& [id, res] : s.reservations) {
            if (res.organisation != org || !res.ever_booked()) continue;
            zone = s.zone_of(res.resource);
            if (s.series.count(res.series))
                in_series.insert(res.series);
            else
                entries.push_back(entry_of(res));
        }
        for (const auto& id : in_series) series_entries(s, s.series.at(id), entry_of, entries);
        return ical_calendar(s.organisations.at(org).name + " — Créneau", zone, entries,
                             now_seconds());
    });
    if (!body) fail(http::status::not_found, "not-found", "no such calendar");
    co_return ics_response(c.req, std::move(*body));
}

// A new secret URL for the caller's organisation's feed (the previous one stops working).
// A retry makes another URL: the token exists only in the answer, so no Idempotency-Key.
net::awaitable<response> issue_feed(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    const auto& u = require_user(who);
    api.check_origin(c.req, who);
    auto body = json_body(c.req, true);
    auto org = field_id(body, "organisation", false);
    if (org.empty()) org = u.organisation;
    auto token = new_token();
    const command cmd = issue_calendar_feed{org, token_hash(token)};
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, cmd, by);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(
        c.req, http::status::created,
        {{"organisation", org}, {"url", "/api/calendars/private/" + token + ".ics"}});
}

}  // namespace

void add_calendar_routes(router& routes, const api_base& api) {
    auto with = [api](auto f) { return guarded([api, f](call& c) { return f(api, c); }); };
    routes.add(http::verb::post, "/api/calendar-feeds", with(issue_feed));
    routes.add(http::verb::get, "/api/calendars/private/{file}", with(private_calendar));
    routes.add(http::verb::get, "/api/calendars/{file}", with(public_calendar));
}

}  // namespace creneau::server
