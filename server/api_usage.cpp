// Usage of an agreement per year (JSON and CSV), and the iCalendar feeds.

#include "server/api.hpp"
#include "server/ical.hpp"
#include "server/routes.hpp"
#include "server/shared_state.hpp"

#include "common/access.hpp"
#include "common/quote.hpp"

#include <cstdio>

namespace creneau::server {
namespace {

std::string euros(cents amount) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%lld.%02lld", amount < 0 ? "-" : "", std::llabs(amount) / 100, std::llabs(amount) % 100);
    return buf;
}

// The usage of one agreement in one year: allowances, hours, and what is billable.
nlohmann::json usage_of(const state& s, const agreement& a, int year) {
    auto resources = nlohmann::json::array();
    for (const auto& [rid, terms] : a.resources) {
        auto r = s.resources.find(rid);
        nlohmann::json entry = {{"resource", rid}, {"name", r == s.resources.end() ? rid : r->second.name}};
        if (terms.free_per_year) entry["allowance"] = to_json(allowance_of(s, a, rid, year));
        if (terms.unlimited_free) entry["free"] = "unlimited";
        if (terms.hour_quota) {
            std::int64_t used = 0;
            auto alerts = nlohmann::json::array();
            if (auto q = s.quotas.find(counter_key{a.id, rid, year}); q != s.quotas.end()) {
                used = q->second.used_minutes;
                for (int t : q->second.alerts) alerts.push_back(t);
            }
            entry["hours"] = {{"quota_hours", *terms.hour_quota},
                              {"used_minutes", used},
                              {"used_hours", static_cast<double>(used) / 60.0},
                              {"left_minutes", std::max<std::int64_t>(0, *terms.hour_quota * 60 - used)},
                              {"alert_percents", terms.alert_percents},
                              {"alerts", alerts}};
        }
        resources.push_back(entry);
    }
    // Billable: the approved reservations' lines with an amount, service fees included.
    auto lines = nlohmann::json::array();
    cents total = 0;
    for (const auto& [id, r] : s.reservations) {
        if (r.agreement != a.id || r.year != year || r.status != reservation_status::approved) continue;
        for (const auto& l : r.offer.lines) {
            if (l.amount == 0) continue;
            lines.push_back({{"reservation", r.id},
                             {"resource", r.resource},
                             {"organisation", r.organisation},
                             {"start", format_utc(r.start)},
                             {"end", format_utc(r.end)},
                             {"title", r.title},
                             {"kind", l.kind},
                             {"label", l.label},
                             {"amount_cents", l.amount}});
            total += l.amount;
        }
    }
    return {{"agreement", a.id}, {"name", a.name}, {"year", year}, {"resources", resources},
            {"billable", lines}, {"total_cents", total}, {"currency", "EUR"}};
}

net::awaitable<response> usage(shared_state& st, call& c) {
    auto who = identify(st, c.req);
    require_user(who);
    int year = 0;
    auto y = query_param(c.req.target(), "year");
    if (!y) fail(http::status::bad_request, "bad-request", "query parameter 'year' is required", "year");
    try {
        std::size_t used = 0;
        year = std::stoi(*y, &used);
        if (used != y->size() || year < 2000 || year > 2200) throw std::out_of_range("year");
    } catch (const std::exception&) {
        fail(http::status::bad_request, "bad-request", "year must be a year such as 2026", "year");
    }
    auto body = st.book->read([&](const state& s) -> std::optional<nlohmann::json> {
        auto a = s.agreements.find(c.param("id"));
        if (a == s.agreements.end()) return std::nullopt;
        if (!may_see_agreement(s, who.as_actor(), a->second)) return std::nullopt;
        return usage_of(s, a->second, year);
    });
    if (!body) fail(http::status::not_found, "not-found", "no agreement '" + c.param("id") + "'");
    auto format = query_param(c.req.target(), "format");
    if (format && *format == "csv") {
        std::string csv = "agreement,year,reservation,resource,organisation,start,end,title,kind,label,amount_eur\r\n";
        for (const auto& l : (*body)["billable"])
            csv += csv_cell((*body)["agreement"]) + "," + std::to_string(year) + "," + csv_cell(l["reservation"]) + "," +
                   csv_cell(l["resource"]) + "," + csv_cell(l["organisation"]) + "," + csv_cell(l["start"]) + "," +
                   csv_cell(l["end"]) + "," + csv_cell(l["title"]) + "," + csv_cell(l["kind"]) + "," +
                   csv_cell(l["label"]) + "," + euros(l["amount_cents"].get<cents>()) + "\r\n";
        csv += csv_cell((*body)["agreement"]) + "," + std::to_string(year) + ",,,,,,,total,Total," +
               euros((*body)["total_cents"].get<cents>()) + "\r\n";
        auto res = text_response(c.req, http::status::ok, std::move(csv), "text/csv; charset=utf-8");
        res.set(http::field::content_disposition, attachment("usage-" + c.param("id") + "-" + std::to_string(year) + ".csv"));
        co_return res;
    } else if (format && *format != "json") {
        fail(http::status::bad_request, "bad-request", "format is json or csv", "format");
    }
    co_return json_response(c.req, http::status::ok, *body);
}

// The status as the feed's French text says it.
std::string status_label(reservation_status s) {
    switch (s) {
        case reservation_status::pending: return "en attente";
        case reservation_status::approved: return "confirmée";
        case reservation_status::refused: return "refusée";
        case reservation_status::cancelled: return "annulée";
    }
    return "";
}

std::string strip_ics(const std::string& file) {
    if (file.size() <= 4 || file.substr(file.size() - 4) != ".ics")
        fail(http::status::not_found, "not-found", "calendars end in .ics");
    return file.substr(0, file.size() - 4);
}

response ics_response(const request& req, std::string body) {
    auto res = text_response(req, http::status::ok, std::move(body), "text/calendar; charset=utf-8");
    res.set(http::field::cache_control, "no-cache");
    return res;
}

// Public feed of one resource: busy periods only, no title, organisation or person.
net::awaitable<response> public_calendar(shared_state& st, call& c) {
    auto rid = strip_ics(c.param("file"));
    auto now = std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
    auto body = st.book->read([&](const state& s) -> std::optional<std::string> {
        auto r = s.resources.find(rid);
        if (r == s.resources.end()) return std::nullopt;
        std::vector<ical_event> events;
        for (const auto& [id, res] : s.reservations)
            if (res.resource == rid)
                events.push_back({&res, res.status == reservation_status::approved ? "Occupé" : "Occupé (en attente)",
                                  r->second.name, ""});
        return ical_calendar(r->second.name + " — Créneau", s.zone_of(rid), events, now);
    });
    if (!body) fail(http::status::not_found, "not-found", "no resource '" + rid + "'");
    co_return ics_response(c.req, std::move(*body));
}

// Private feed of an organisation, reached by the secret token in its URL.
net::awaitable<response> private_calendar(shared_state& st, call& c) {
    auto token = strip_ics(c.param("file"));
    auto hash = token_hash(token);
    auto now = std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
    auto body = st.book->read([&](const state& s) -> std::optional<std::string> {
        std::string org;
        for (const auto& [o, h] : s.calendar_feeds)
            if (h == hash) org = o;
        if (org.empty()) return std::nullopt;
        std::vector<ical_event> events;
        std::string zone = "Europe/Paris";
        for (const auto& [id, res] : s.reservations) {
            if (res.organisation != org) continue;
            auto r = s.resources.find(res.resource);
            zone = s.zone_of(res.resource);
            std::string desc = "Réservation " + res.id + " — " + status_label(res.status) +
                               (res.reason.empty() ? "" : " (" + res.reason + ")") + "\n" +
                               std::to_string(res.attendees) + " personnes, " + res.layout;
            events.push_back({&res, res.title, r == s.resources.end() ? res.resource : r->second.name, desc});
        }
        return ical_calendar(s.organisations.at(org).name + " — Créneau", zone, events, now);
    });
    if (!body) fail(http::status::not_found, "not-found", "no such calendar");
    co_return ics_response(c.req, std::move(*body));
}

// A new secret URL for the caller's organisation's feed (the previous one stops working).
net::awaitable<response> issue_feed(shared_state& st, call& c) {
    auto who = identify(st, c.req);
    const auto& u = require_user(who);
    check_origin(st, c.req, who);
    auto body = json_body(c.req, true);
    auto org = field_id(body, "organisation", false);
    if (org.empty()) org = u.organisation;
    auto token = new_token();
    const command cmd = issue_calendar_feed{org, token_hash(token)};
    const actor by = who.as_actor();
    auto o = co_await submit(*st.book, cmd, by);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, http::status::created,
                            {{"organisation", org}, {"url", "/api/calendars/private/" + token + ".ics"}});
}

}  // namespace

void add_usage_routes(shared_state& st) {
    auto* s = &st;
    st.routes.add(http::verb::get, "/api/agreements/{id}/usage", guarded([s](call& c) { return usage(*s, c); }));
    st.routes.add(http::verb::post, "/api/calendar-feeds", guarded([s](call& c) { return issue_feed(*s, c); }));
    st.routes.add(http::verb::get, "/api/calendars/private/{file}",
                  guarded([s](call& c) { return private_calendar(*s, c); }));
    st.routes.add(http::verb::get, "/api/calendars/{file}", guarded([s](call& c) { return public_calendar(*s, c); }));
}

}  // namespace creneau::server
