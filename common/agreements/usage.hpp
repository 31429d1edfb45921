#pragma once
// The usage of an agreement in a year: each resource's allowance or hour quota as the
// counters hold them, and what is billable (the approved reservations' lines with an
// amount, service fees included; art. 6).

#include "common/state.hpp"

namespace creneau {

struct usage_hours {
    int quota_hours = 0;
    std::int64_t used_minutes = 0;
    double used_hours = 0;
    std::int64_t held_minutes = 0;  // by requests not yet decided
    std::int64_t left_minutes = 0;  // neither used nor held
    std::vector<int> alert_percents;
    std::vector<int> alerts;  // thresholds reached this year
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(usage_hours, quota_hours, used_minutes, used_hours,
                                                held_minutes, left_minutes, alert_percents, alerts)

// Written with only the keys that apply: "allowance", "free": "unlimited" or "hours".
struct usage_resource {
    std::string resource;
    std::string name;
    std::optional<allowance_view> allowance;
    bool unlimited_free = false;
    std::optional<usage_hours> hours;
};
void to_json(json& j, const usage_resource& r);

struct billable_line {
    std::string reservation;
    std::string resource;
    std::string organisation;
    instant start;
    instant end;
    std::string title;
    std::string kind;
    std::string label;
    cents amount_cents = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(billable_line, reservation, resource, organisation,
                                                start, end, title, kind, label, amount_cents)

struct usage {
    std::string agreement;
    std::string name;
    int year = 0;
    std::vector<usage_resource> resources;
    std::vector<billable_line> billable;
    cents total_cents = 0;
};
void to_json(json& j, const usage& u);

usage usage_of(const state& s, const agreement& a, int year);

}  // namespace creneau
