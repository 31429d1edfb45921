#pragma once
// Partnership agreements (docs/domain.md, "The Artois–LLV agreement", "The Lille
// agreement"): who lends what to whom, the yearly free allowances and hour quotas, the
// notice, the tariff beyond; and the counters and quotes that apply them.

#include "common/catalogue/model.hpp"

#include <optional>
#include <set>

namespace creneau {

// What an agreement gives for one resource. Written {"free_per_year": 2}, {"free":
// "unlimited"} or {"hour_quota": 400, "alert_percents": [80, 100]}.
struct resource_terms {
    // Free reservations per calendar year (art. 6); nullopt with `unlimited_free`
    // false means every booking is billed.
    std::optional<int> free_per_year;
    bool unlimited_free = false;  // reciprocal lending (Lille): never billed
    // Hour quota per year (MuséoLab, art. 5-4: 400 h), with alert thresholds in percent.
    std::optional<int> hour_quota;
    std::vector<int> alert_percents{80, 100};
    bool operator==(const resource_terms&) const = default;
};
void to_json(json& j, const resource_terms& t);
void from_json(const json& j, resource_terms& t);

// A notice period: calendar months and days before the start.
struct notice {
    int months = 0;
    int days = 0;
    bool operator==(const notice&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(notice, months, days)

struct agreement {
    std::string id;
    std::string name;
    std::string provider;               // lends its resources
    std::string beneficiary;            // requests them
    bool reciprocal = false;            // each party lends its own resources to the other
    std::string zone = "Europe/Paris";  // the time zone of its calendar years and validity
    std::string valid_from;             // first day, "YYYY-MM-DD", inclusive
    std::string valid_to;               // last day, inclusive
    std::map<std::string, resource_terms> resources;
    notice min_notice;
    bool approval_required = true;
    std::string tariff_grid;  // grid applied beyond the allowance
    member_category billed_as = member_category::founder_member;
    // The party that runs the agreement's single window ("guichet unique"), if it has one:
    // its admins route student associations' requests to either party's rooms.
    std::string window_operator;
    bool operator==(const agreement&) const = default;

    // Whether `org` may request the resources of `owner` under this agreement.
    bool binds(const std::string& org, const std::string& owner) const;
    // Whether it is in force on the day `t` falls on, in its zone.
    bool in_force_on(instant t) const;
    // The earliest start its notice allows for a request made at `now` (calendar months and
    // days in its zone).
    instant earliest_start(instant now) const;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(agreement, id, name, provider, beneficiary,
                                                reciprocal, zone, valid_from, valid_to, resources,
                                                min_notice, approval_required, tariff_grid,
                                                billed_as, window_operator)

// The allowance of one agreement, resource and year.
struct allowance_view {
    int year = 0;
    int limit = 0;
    int used = 0;
    int held = 0;
    int left = 0;
    bool operator==(const allowance_view&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(allowance_view, year, limit, used, held, left)

struct hours_view {
    int year = 0;
    std::int64_t quota_minutes = 0;
    std::int64_t used_minutes = 0;
    std::int64_t held_minutes = 0;    // held by other requests not yet decided
    std::int64_t this_minutes = 0;    // the appointment's own minutes
    std::int64_t beyond_minutes = 0;  // of those, beyond the quota (billed)
    bool operator==(const hours_view&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(hours_view, year, quota_minutes, used_minutes,
                                                held_minutes, this_minutes, beyond_minutes)

struct quote_line {
    std::string kind;  // "rental", "service-fee", "hours-beyond-quota"
    std::string label;
    cents amount_cents = 0;
    bool operator==(const quote_line&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(quote_line, kind, label, amount_cents)

// What a request costs under the agreement that covers it. Written with "currency": "EUR",
// and "agreement": null for the host's own booking.
struct quote {
    bool free = false;  // the rental is covered by the agreement
    cents total_cents = 0;
    std::vector<quote_line> lines;
    std::string agreement;  // empty: the host's own booking
    member_category billed_as = member_category::other;
    std::optional<allowance_view> allowance;  // as it stands once this request is made
    std::optional<hours_view> hours;
    bool operator==(const quote&) const = default;
};
void to_json(json& j, const quote& q);
void from_json(const json& j, quote& q);

// Counters of one (agreement, resource, year).
struct counter_key {
    std::string agreement;
    std::string resource;
    int year = 0;
    auto operator<=>(const counter_key&) const = default;
};

struct allowance_counter {
    int held = 0;  // free units held by pending requests
    int used = 0;  // free units used by approved reservations
    bool operator==(const allowance_counter&) const = default;
};

struct quota_counter {
    std::int64_t used_minutes = 0;  // by approved appointments
    std::int64_t held_minutes = 0;  // by requests pending or waiting
    std::set<int> alerts;           // thresholds (percent) already raised this year
    bool operator==(const quota_counter&) const = default;
};

}  // namespace creneau
