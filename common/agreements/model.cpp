#include "common/agreements/model.hpp"

namespace creneau {

bool agreement::binds(const std::string& org, const std::string& owner) const {
    if (provider == owner && beneficiary == org) return true;
    return reciprocal && beneficiary == owner && provider == org;
}

bool agreement::in_force_on(instant t) const {
    const auto day = local_date(t, zone);
    return day >= valid_from && day <= valid_to;
}

instant agreement::earliest_start(instant now) const {
    return add_calendar(now, zone, min_notice.months, min_notice.days);
}

void to_json(json& j, const resource_terms& t) {
    j = json::object();
    if (t.free_per_year) j["free_per_year"] = *t.free_per_year;
    if (t.unlimited_free) j["free"] = "unlimited";
    if (t.hour_quota) {
        j["hour_quota"] = *t.hour_quota;
        j["alert_percents"] = t.alert_percents;
    }
}

void from_json(const json& j, resource_terms& t) {
    if (!j.is_object()) throw json_value_error("", "expected an object");
    t = {};
    if (auto f = j.find("free_per_year"); f != j.end()) t.free_per_year = f->get<int>();
    if (auto f = j.find("free"); f != j.end()) {
        if (*f != "unlimited") throw json_value_error("/free", "the only value is \"unlimited\"");
        t.unlimited_free = true;
    }
    if (auto f = j.find("hour_quota"); f != j.end()) t.hour_quota = f->get<int>();
    if (auto f = j.find("alert_percents"); f != j.end()) f->get_to(t.alert_percents);
}

void to_json(json& j, const quote& q) {
    j = {{"free", q.free},
         {"total_cents", q.total_cents},
         {"currency", "EUR"},
         {"lines", q.lines},
         {"agreement", q.agreement.empty() ? json(nullptr) : json(q.agreement)},
         {"billed_as", q.billed_as},
         {"allowance", q.allowance}};
    if (q.hours) j["hours"] = *q.hours;
}

void from_json(const json& j, quote& q) {
    q = {};
    q.free = j.value("free", false);
    q.total_cents = j.value("total_cents", cents{0});
    q.lines = j.value("lines", std::vector<quote_line>{});
    if (auto a = j.find("agreement"); a != j.end() && a->is_string())
        q.agreement = a->get<std::string>();
    q.billed_as = j.value("billed_as", member_category::other);
    q.allowance = j.value("allowance", std::optional<allowance_view>{});
    q.hours = j.value("hours", std::optional<hours_view>{});
}

}  // namespace creneau
