#include "common/facts.hpp"

#include "common/json_read.hpp"

#include <cstdio>
#include <stdexcept>

namespace creneau {
using nlohmann::json;
using namespace json_read;

namespace {

const char* day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string hhmm(int minute) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", (minute / 60) % 100, minute % 60);
    return buf;
}

int parse_hhmm(const json& v, const std::string& path) {
    if (!v.is_string()) fail(path, "expected \"HH:MM\"");
    auto s = v.get<std::string>();
    if (s.size() != 5 || s[2] != ':' || !isdigit(s[0]) || !isdigit(s[1]) || !isdigit(s[3]) || !isdigit(s[4]))
        fail(path, "expected \"HH:MM\", got '" + s + "'");
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0)) fail(path, "no such time '" + s + "'");
    return h * 60 + m;
}

}  // namespace

// ---- model values -----------------------------------------------------------------------

json to_json(const site& s) {
    return {{"id", s.id}, {"name", s.name}, {"zone", s.zone}, {"owner", s.owner}};
}

site site_from_json(const json& j) {
    site s;
    s.id = str(j, "id", "");
    s.name = str(j, "name", "");
    s.zone = str(j, "zone", "");
    s.owner = str(j, "owner", "");
    return s;
}

json to_json(const organisation& o) {
    return {{"id", o.id}, {"name", o.name}, {"category", name_of(o.category)}};
}

organisation organisation_from_json(const json& j) {
    organisation o;
    o.id = str(j, "id", "");
    o.name = str(j, "name", "");
    o.category = enum_value<member_category>(j, "category", "", parse_member_category,
                                             "host, founder-member, member, other");
    return o;
}

json to_json(const resource& r) {
    json layouts = json::array();
    for (const auto& l : r.layouts) layouts.push_back({{"id", l.id}, {"capacity", l.capacity}});
    json hours = json::object();
    for (int d = 0; d < 7; ++d) {
        if (r.hours[d].empty()) continue;
        json day = json::array();
        for (const auto& h : r.hours[d]) day.push_back({hhmm(h.open), hhmm(h.close)});
        hours[day_names[d]] = day;
    }
    json closures = json::array();
    for (const auto& c : r.closures)
        closures.push_back({{"start", format_utc(c.start)}, {"end", format_utc(c.end)}, {"reason", c.reason}});
    return {{"id", r.id},
            {"name", r.name},
            {"site", r.site},
            {"kind", name_of(r.kind)},
            {"layouts", layouts},
            {"hours", hours},
            {"closures", closures},
            {"setup_minutes", r.setup.count()},
            {"cleanup_minutes", r.cleanup.count()},
            {"equipment", r.equipment}};
}

resource resource_from_json(const json& j) {
    resource r;
    r.id = str(j, "id", "");
    r.name = str(j, "name", "");
    r.site = str(j, "site", "");
    r.kind = enum_value<resource_kind>(j, "kind", "", parse_resource_kind, "room, hour-quota, opening-hours");
    if (j.contains("layouts")) {
        const auto& ls = j.at("layouts");
        if (!ls.is_array()) fail("/layouts", "expected an array");
        for (std::size_t i = 0; i < ls.size(); ++i) {
            auto p = "/layouts/" + std::to_string(i);
            r.layouts.push_back({str(ls[i], "id", p), small_int(ls[i], "capacity", p)});
        }
    }
    if (j.contains("hours")) {
        const auto& hs = j.at("hours");
        if (!hs.is_object()) fail("/hours", "expected an object of weekdays (mon … sun)");
        for (const auto& [day, intervals] : hs.items()) {
            int d = -1;
            for (int k = 0; k < 7; ++k)
                if (day == day_names[k]) d = k;
            if (d < 0) fail("/hours/" + day, "unknown weekday (mon, tue, wed, thu, fri, sat, sun)");
            if (!intervals.is_array()) fail("/hours/" + day, "expected [[\"HH:MM\",\"HH:MM\"], …]");
            for (std::size_t i = 0; i < intervals.size(); ++i) {
                auto p = "/hours/" + day + "/" + std::to_string(i);
                const auto& iv = intervals[i];
                if (!iv.is_array() || iv.size() != 2) fail(p, "expected [\"HH:MM\",\"HH:MM\"]");
                r.hours[d].push_back({parse_hhmm(iv[0], p + "/0"), parse_hhmm(iv[1], p + "/1")});
            }
        }
    }
    if (j.contains("closures")) {
        const auto& cs = j.at("closures");
        if (!cs.is_array()) fail("/closures", "expected an array");
        for (std::size_t i = 0; i < cs.size(); ++i) {
            auto p = "/closures/" + std::to_string(i);
            r.closures.push_back({when(cs[i], "start", p), when(cs[i], "end", p), str_or(cs[i], "reason", p, "")});
        }
    }
    r.setup = minutes{integer_or(j, "setup_minutes", "", 0)};
    r.cleanup = minutes{integer_or(j, "cleanup_minutes", "", 0)};
    r.equipment = strings_or(j, "equipment", "");
    return r;
}

json to_json(const tariff_grid& t) {
    json prices = json::object();
    for (const auto& [rid, p] : t.prices) {
        json units = json::object();
        for (const auto& [unit, cats] : p.by_unit) {
            json c = json::object();
            for (const auto& [cat, amount] : cats) c[std::string(name_of(cat))] = amount;
            units[std::string(name_of(unit))] = c;
        }
        prices[rid] = units;
    }
    json fees = json::object();
    for (const auto& [rid, list] : t.fees) {
        json l = json::array();
        for (const auto& f : list) l.push_back({{"label", f.label}, {"amount_cents", f.amount}});
        fees[rid] = l;
    }
    return {{"id", t.id},
            {"name", t.name},
            {"owner", t.owner},
            {"example", t.example},
            {"half_day_minutes", t.half_day.count()},
            {"day_minutes", t.day.count()},
            {"prices", prices},
            {"service_fees", fees}};
}

tariff_grid tariff_grid_from_json(const json& j) {
    tariff_grid t;
    t.id = str(j, "id", "");
    t.name = str_or(j, "name", "", t.id);
    t.owner = str_or(j, "owner", "", "");
    t.example = boolean_or(j, "example", "", false);
    t.half_day = minutes{integer_or(j, "half_day_minutes", "", 240)};
    t.day = minutes{integer_or(j, "day_minutes", "", 480)};
    if (j.contains("prices")) {
        const auto& ps = j.at("prices");
        if (!ps.is_object()) fail("/prices", "expected an object by resource");
        for (const auto& [rid, units] : ps.items()) {
            auto p = "/prices/" + rid;
            if (!units.is_object()) fail(p, "expected an object by unit (hour, half-day, day)");
            resource_prices rp;
            for (const auto& [unit, cats] : units.items()) {
                auto u = parse_billing_unit(unit);
                if (!u) fail(p + "/" + unit, "unknown unit (hour, half-day, day)");
                if (!cats.is_object()) fail(p + "/" + unit, "expected an object by member category");
                for (const auto& [cat, amount] : cats.items()) {
                    auto c = parse_member_category(cat);
                    if (!c) fail(p + "/" + unit + "/" + cat, "unknown member category");
                    if (!amount.is_number_integer()) fail(p + "/" + unit + "/" + cat, "expected cents (an integer)");
                    rp.by_unit[*u][*c] = amount.get<cents>();
                }
            }
            t.prices[rid] = rp;
        }
    }
    if (j.contains("service_fees")) {
        const auto& fs = j.at("service_fees");
        if (!fs.is_object()) fail("/service_fees", "expected an object by resource");
        for (const auto& [rid, list] : fs.items()) {
            auto p = "/service_fees/" + rid;
            if (!list.is_array()) fail(p, "expected an array");
            for (std::size_t i = 0; i < list.size(); ++i) {
                auto q = p + "/" + std::to_string(i);
                t.fees[rid].push_back({str(list[i], "label", q), integer(list[i], "amount_cents", q)});
            }
        }
    }
    return t;
}

json to_json(const agreement& a) {
    json resources = json::object();
    for (const auto& [rid, t] : a.resources) {
        json r = json::object();
        if (t.free_per_year) r["free_per_year"] = *t.free_per_year;
        if (t.unlimited_free) r["free"] = "unlimited";
        if (t.hour_quota) {
            r["hour_quota"] = *t.hour_quota;
            r["alert_percents"] = t.alert_percents;
        }
        resources[rid] = r;
    }
    return {{"id", a.id},
            {"name", a.name},
            {"provider", a.provider},
            {"beneficiary", a.beneficiary},
            {"reciprocal", a.reciprocal},
            {"zone", a.zone},
            {"valid_from", a.valid_from},
            {"valid_to", a.valid_to},
            {"resources", resources},
            {"min_notice", {{"months", a.min_notice.months}, {"days", a.min_notice.days}}},
            {"approval_required", a.approval_required},
            {"tariff_grid", a.tariff_grid},
            {"billed_as", name_of(a.billed_as)}};
}

agreement agreement_from_json(const json& j) {
    agreement a;
    a.id = str(j, "id", "");
    a.name = str_or(j, "name", "", a.id);
    a.provider = str(j, "provider", "");
    a.beneficiary = str(j, "beneficiary", "");
    a.reciprocal = boolean_or(j, "reciprocal", "", false);
    a.zone = str_or(j, "zone", "", "Europe/Paris");
    a.valid_from = str(j, "valid_from", "");
    a.valid_to = str(j, "valid_to", "");
    const auto& rs = member(j, "resources", "");
    if (!rs.is_object()) fail("/resources", "expected an object by resource");
    for (const auto& [rid, t] : rs.items()) {
        auto p = "/resources/" + rid;
        if (!t.is_object()) fail(p, "expected an object");
        resource_terms terms;
        if (t.contains("free_per_year")) terms.free_per_year = small_int(t, "free_per_year", p);
        if (t.contains("free")) {
            if (t.at("free") != "unlimited") fail(p + "/free", "the only value is \"unlimited\"");
            terms.unlimited_free = true;
        }
        if (t.contains("hour_quota")) terms.hour_quota = small_int(t, "hour_quota", p);
        if (t.contains("alert_percents")) {
            terms.alert_percents.clear();
            const auto& al = t.at("alert_percents");
            if (!al.is_array()) fail(p + "/alert_percents", "expected an array of percents");
            for (const auto& v : al) {
                if (!v.is_number_integer()) fail(p + "/alert_percents", "expected integers");
                terms.alert_percents.push_back(v.get<int>());
            }
        }
        a.resources[rid] = terms;
    }
    if (j.contains("min_notice")) {
        const auto& n = j.at("min_notice");
        a.min_notice.months = static_cast<int>(integer_or(n, "months", "/min_notice", 0));
        a.min_notice.days = static_cast<int>(integer_or(n, "days", "/min_notice", 0));
    }
    a.approval_required = boolean_or(j, "approval_required", "", true);
    a.tariff_grid = str_or(j, "tariff_grid", "", "");
    if (j.contains("billed_as"))
        a.billed_as = enum_value<member_category>(j, "billed_as", "", parse_member_category,
                                                  "host, founder-member, member, other");
    return a;
}

json to_json(const allowance_view& a) {
    return {{"year", a.year}, {"limit", a.limit}, {"used", a.used}, {"held", a.held}, {"left", a.left}};
}

json to_json(const quote& q) {
    json lines = json::array();
    for (const auto& l : q.lines) lines.push_back({{"kind", l.kind}, {"label", l.label}, {"amount_cents", l.amount}});
    json out = {{"free", q.free},
                {"total_cents", q.total},
                {"currency", "EUR"},
                {"lines", lines},
                {"agreement", q.agreement.empty() ? json(nullptr) : json(q.agreement)},
                {"billed_as", name_of(q.billed_as)},
                {"allowance", q.allowance ? to_json(*q.allowance) : json(nullptr)}};
    if (q.hours)
        out["hours"] = {{"year", q.hours->year},
                        {"quota_minutes", q.hours->quota_minutes},
                        {"used_minutes", q.hours->used_minutes},
                        {"this_minutes", q.hours->this_minutes},
                        {"beyond_minutes", q.hours->beyond_minutes}};
    return out;
}

namespace {

quote quote_from_json(const json& j, const std::string& path) {
    quote q;
    q.free = boolean_or(j, "free", path, false);
    q.total = integer(j, "total_cents", path);
    const auto& lines = member(j, "lines", path);
    if (!lines.is_array()) fail(path + "/lines", "expected an array");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto p = path + "/lines/" + std::to_string(i);
        q.lines.push_back({str_or(lines[i], "kind", p, "rental"), str(lines[i], "label", p),
                           integer(lines[i], "amount_cents", p)});
    }
    if (j.contains("agreement") && j.at("agreement").is_string()) q.agreement = j.at("agreement");
    if (j.contains("billed_as"))
        q.billed_as = enum_value<member_category>(j, "billed_as", path, parse_member_category, "a category");
    if (j.contains("allowance") && j.at("allowance").is_object()) {
        const auto& a = j.at("allowance");
        auto p = path + "/allowance";
        q.allowance = allowance_view{small_int(a, "year", p), small_int(a, "limit", p), small_int(a, "used", p),
                                     small_int(a, "held", p), small_int(a, "left", p)};
    }
    if (j.contains("hours") && j.at("hours").is_object()) {
        const auto& h = j.at("hours");
        auto p = path + "/hours";
        q.hours = hours_view{small_int(h, "year", p), integer(h, "quota_minutes", p), integer(h, "used_minutes", p),
                             integer(h, "this_minutes", p), integer(h, "beyond_minutes", p)};
    }
    return q;
}

}  // namespace

json to_json(const reservation& r) {
    return {{"id", r.id},
            {"resource", r.resource},
            {"start", format_utc(r.start)},
            {"end", format_utc(r.end)},
            {"layout", r.layout},
            {"attendees", r.attendees},
            {"organisation", r.organisation},
            {"requester", r.requester},
            {"title", r.title},
            {"equipment", r.equipment},
            {"status", name_of(r.status)},
            {"reason", r.reason},
            {"agreement", r.agreement},
            {"year", r.year},
            {"holds_unit", r.holds_unit},
            {"quota_minutes", r.quota_minutes},
            {"quote", to_json(r.offer)},
            {"created", format_utc(r.created)},
            {"revision", r.revision}};
}

namespace {

reservation reservation_from_json(const json& j) {
    reservation r;
    r.id = str(j, "id", "");
    r.resource = str(j, "resource", "");
    r.start = when(j, "start", "");
    r.end = when(j, "end", "");
    r.layout = str(j, "layout", "");
    r.attendees = small_int(j, "attendees", "");
    r.organisation = str(j, "organisation", "");
    r.requester = str(j, "requester", "");
    r.title = str(j, "title", "");
    r.equipment = strings_or(j, "equipment", "");
    r.agreement = str_or(j, "agreement", "", "");
    r.year = small_int(j, "year", "");
    r.holds_unit = boolean_or(j, "holds_unit", "", false);
    r.quota_minutes = integer_or(j, "quota_minutes", "", 0);
    r.offer = quote_from_json(member(j, "quote", ""), "/quote");
    r.created = when(j, "created", "");
    return r;
}

user user_from_json(const json& j) {
    user u;
    u.id = str(j, "id", "");
    u.email = str(j, "email", "");
    u.name = str(j, "name", "");
    u.user_role = enum_value<role>(j, "role", "", parse_role, "admin, member, organiser");
    u.organisation = str(j, "organisation", "");
    u.password_hash = str(j, "password_hash", "");
    return u;
}

json to_json(const user& u) {
    return {{"id", u.id},
            {"email", u.email},
            {"name", u.name},
            {"role", name_of(u.user_role)},
            {"organisation", u.organisation},
            {"password_hash", u.password_hash}};
}

struct body_writer {
    json operator()(const site_defined& x) const { return to_json(x.value); }
    json operator()(const resource_defined& x) const { return to_json(x.value); }
    json operator()(const organisation_defined& x) const { return to_json(x.value); }
    json operator()(const tariff_grid_defined& x) const { return to_json(x.value); }
    json operator()(const agreement_defined& x) const { return to_json(x.value); }
    json operator()(const user_added& x) const { return to_json(x.value); }
    json operator()(const reservation_requested& x) const { return to_json(x.value); }
    json operator()(const reservation_approved& x) const {
        return {{"id", x.id}, {"quota_minutes", x.quota_minutes}};
    }
    json operator()(const reservation_refused& x) const { return {{"id", x.id}, {"reason", x.reason}}; }
    json operator()(const reservation_cancelled& x) const {
        return {{"id", x.id}, {"reason", x.reason}, {"releases", x.releases}};
    }
    json operator()(const session_opened& x) const {
        return {{"token_hash", x.token_hash}, {"user", x.user}, {"expires", format_utc(x.expires)}};
    }
    json operator()(const session_closed& x) const { return {{"token_hash", x.token_hash}}; }
    json operator()(const calendar_feed_issued& x) const {
        return {{"organisation", x.organisation}, {"token_hash", x.token_hash}};
    }
    json operator()(const event_defined& x) const { return to_json(x.value); }
    json operator()(const registered& x) const { return to_json(x.value); }
    json operator()(const registration_left& x) const { return {{"id", x.id}}; }
    json operator()(const registration_promoted& x) const { return {{"id", x.id}}; }
    json operator()(const waitlist_reordered& x) const { return {{"event", x.event}, {"order", x.order}}; }
    json operator()(const checked_in& x) const { return {{"id", x.id}}; }
    json operator()(const participation_changed& x) const { return {{"id", x.id}, {"no_show", x.no_show}}; }
    json operator()(const team_created& x) const { return to_json(x.value); }
    json operator()(const team_joined& x) const { return {{"team", x.team}, {"registration", x.registration}}; }
    json operator()(const team_left& x) const { return {{"team", x.team}, {"registration", x.registration}}; }
    json operator()(const team_flagged& x) const { return {{"team", x.team}, {"pepite", x.pepite}}; }
    json operator()(const timetable_set& x) const {
        auto j = to_json(x.value);
        j["event"] = x.event;
        return j;
    }
    json operator()(const operator_designated& x) const { return {{"organisation", x.organisation}}; }
    json operator()(const request_recorded& x) const {
        return {{"key", x.key}, {"fingerprint", x.fingerprint}, {"facts", x.facts}};
    }
    json operator()(const quota_alert_raised& x) const {
        return {{"agreement", x.agreement},     {"resource", x.resource},
                {"year", x.year},               {"threshold", x.threshold},
                {"used_minutes", x.used_minutes}, {"quota_minutes", x.quota_minutes}};
    }
};

struct type_namer {
    std::string_view operator()(const site_defined&) const { return "site-defined"; }
    std::string_view operator()(const resource_defined&) const { return "resource-defined"; }
    std::string_view operator()(const organisation_defined&) const { return "organisation-defined"; }
    std::string_view operator()(const tariff_grid_defined&) const { return "tariff-grid-defined"; }
    std::string_view operator()(const agreement_defined&) const { return "agreement-defined"; }
    std::string_view operator()(const user_added&) const { return "user-added"; }
    std::string_view operator()(const reservation_requested&) const { return "reservation-requested"; }
    std::string_view operator()(const reservation_approved&) const { return "reservation-approved"; }
    std::string_view operator()(const reservation_refused&) const { return "reservation-refused"; }
    std::string_view operator()(const reservation_cancelled&) const { return "reservation-cancelled"; }
    std::string_view operator()(const quota_alert_raised&) const { return "quota-alert-raised"; }
    std::string_view operator()(const session_opened&) const { return "session-opened"; }
    std::string_view operator()(const session_closed&) const { return "session-closed"; }
    std::string_view operator()(const calendar_feed_issued&) const { return "calendar-feed-issued"; }
    std::string_view operator()(const event_defined&) const { return "event-defined"; }
    std::string_view operator()(const registered&) const { return "registered"; }
    std::string_view operator()(const registration_left&) const { return "registration-left"; }
    std::string_view operator()(const registration_promoted&) const { return "registration-promoted"; }
    std::string_view operator()(const waitlist_reordered&) const { return "waitlist-reordered"; }
    std::string_view operator()(const checked_in&) const { return "checked-in"; }
    std::string_view operator()(const participation_changed&) const { return "participation-changed"; }
    std::string_view operator()(const team_created&) const { return "team-created"; }
    std::string_view operator()(const team_joined&) const { return "team-joined"; }
    std::string_view operator()(const team_left&) const { return "team-left"; }
    std::string_view operator()(const team_flagged&) const { return "team-flagged"; }
    std::string_view operator()(const timetable_set&) const { return "timetable-set"; }
    std::string_view operator()(const operator_designated&) const { return "operator-designated"; }
    std::string_view operator()(const request_recorded&) const { return "request-recorded"; }
};

}  // namespace

std::string_view type_of(const fact_body& body) { return std::visit(type_namer{}, body); }

json to_json(const fact_body& body) {
    json j = std::visit(body_writer{}, body);
    j["v"] = fact_version;
    j["type"] = type_of(body);
    return j;
}

fact_body fact_body_from_json(const json& j) {
    if (!j.is_object()) fail("", "a fact is a JSON object");
    auto version = integer(j, "v", "");
    if (version < 1 || version > fact_version)
        fail("/v", "fact version " + std::to_string(version) + " is not known to this version of creneau");
    auto type = str(j, "type", "");
    if (type == "site-defined") return site_defined{site_from_json(j)};
    if (type == "resource-defined") return resource_defined{resource_from_json(j)};
    if (type == "organisation-defined") return organisation_defined{organisation_from_json(j)};
    if (type == "tariff-grid-defined") return tariff_grid_defined{tariff_grid_from_json(j)};
    if (type == "agreement-defined") return agreement_defined{agreement_from_json(j)};
    if (type == "user-added") return user_added{user_from_json(j)};
    if (type == "reservation-requested") return reservation_requested{reservation_from_json(j)};
    if (type == "reservation-approved")
        return reservation_approved{str(j, "id", ""), integer_or(j, "quota_minutes", "", 0)};
    if (type == "reservation-refused") return reservation_refused{str(j, "id", ""), str_or(j, "reason", "", "")};
    if (type == "reservation-cancelled")
        return reservation_cancelled{str(j, "id", ""), str_or(j, "reason", "", ""), boolean_or(j, "releases", "", false)};
    if (type == "quota-alert-raised")
        return quota_alert_raised{str(j, "agreement", ""), str(j, "resource", ""), small_int(j, "year", ""),
                                  small_int(j, "threshold", ""), integer(j, "used_minutes", ""),
                                  integer(j, "quota_minutes", "")};
    if (type == "session-opened")
        return session_opened{str(j, "token_hash", ""), str(j, "user", ""), when(j, "expires", "")};
    if (type == "session-closed") return session_closed{str(j, "token_hash", "")};
    if (type == "calendar-feed-issued") return calendar_feed_issued{str(j, "organisation", ""), str(j, "token_hash", "")};
    if (type == "event-defined") return event_defined{event_from_json(j)};
    if (type == "registered") return registered{registration_from_json(j)};
    if (type == "registration-left") return registration_left{str(j, "id", "")};
    if (type == "registration-promoted") return registration_promoted{str(j, "id", "")};
    if (type == "waitlist-reordered") return waitlist_reordered{str(j, "event", ""), strings_or(j, "order", "")};
    if (type == "checked-in") return checked_in{str(j, "id", "")};
    if (type == "participation-changed") return participation_changed{str(j, "id", ""), boolean_or(j, "no_show", "", false)};
    if (type == "team-created") return team_created{team_from_json(j)};
    if (type == "team-joined") return team_joined{str(j, "team", ""), str(j, "registration", "")};
    if (type == "team-left") return team_left{str(j, "team", ""), str(j, "registration", "")};
    if (type == "team-flagged") return team_flagged{str(j, "team", ""), boolean_or(j, "pepite", "", false)};
    if (type == "timetable-set") return timetable_set{str(j, "event", ""), timetable_from_json(j)};
    if (type == "operator-designated") return operator_designated{str(j, "organisation", "")};
    if (type == "request-recorded")
        return request_recorded{str(j, "key", ""), str(j, "fingerprint", ""), small_int(j, "facts", "")};
    fail("/type", "unknown fact type '" + type + "'");
}

json to_json(const fact& f) {
    return {{"seq", f.seq}, {"at", format_utc(f.at)}, {"actor", f.actor}, {"fact", to_json(f.body)}};
}

fact fact_from_json(const json& j) {
    fact f;
    f.seq = integer(j, "seq", "");
    f.at = when(j, "at", "");
    f.actor = str(j, "actor", "");
    f.body = fact_body_from_json(member(j, "fact", ""));
    return f;
}

}  // namespace creneau
