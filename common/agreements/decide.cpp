#include "common/access.hpp"
#include "common/agreements/rules.hpp"
#include "common/reservations/rules.hpp"

namespace creneau {
namespace {

bool valid_date(const std::string& d) {
    return d.size() == 10 && parse_rfc3339(d + "T00:00:00Z").has_value();
}

// What the agreement gives for each resource: only resources of a lending party, a
// non-negative allowance, an hour quota only for an hour-quota resource.
std::optional<decision> check_terms(const state& s, const agreement& v, bool& billable) {
    billable = false;
    for (const auto& [rid, t] : v.resources) {
        auto field = "resources/" + rid;
        auto r = s.resources.find(rid);
        if (r == s.resources.end())
            return decision::refuse(error::not_found, "unknown resource '" + rid + "'", field);
        auto owner = s.owner_of(rid);
        if (owner != v.provider && !(v.reciprocal && owner == v.beneficiary))
            return decision::refuse(error::bad_request,
                                    "resource '" + rid + "' does not belong to a lending party",
                                    field);
        if (t.free_per_year && (*t.free_per_year < 0 || *t.free_per_year > 1000))
            return decision::refuse(error::bad_request, "free_per_year is between 0 and 1000",
                                    field);
        if (t.hour_quota && (*t.hour_quota <= 0 || *t.hour_quota > 100000 ||
                             r->second.kind != resource_kind::hour_quota))
            return decision::refuse(error::bad_request,
                                    "an hour quota is positive and only for an hour-quota resource",
                                    field);
        for (int p : t.alert_percents)
            if (p < 1 || p > 100)
                return decision::refuse(error::bad_request, "alert thresholds are percents 1..100",
                                        field);
        if (!t.unlimited_free) billable = true;
    }
    return std::nullopt;
}

// Two agreements between the same parties may not both cover a resource on one day.
std::optional<decision> check_overlap(const state& s, const agreement& v) {
    for (const auto& [id, other] : s.agreements) {
        if (id == v.id) continue;
        bool same_parties = (other.provider == v.provider && other.beneficiary == v.beneficiary) ||
                            ((other.reciprocal || v.reciprocal) &&
                             other.provider == v.beneficiary && other.beneficiary == v.provider);
        if (!same_parties || other.valid_to < v.valid_from || v.valid_to < other.valid_from)
            continue;
        for (const auto& [rid, t] : v.resources)
            if (other.resources.count(rid))
                return decision::refuse(error::conflict,
                                        "agreement '" + id + "' already covers '" + rid +
                                            "' from " + other.valid_from + " to " + other.valid_to,
                                        "valid_from");
    }
    return std::nullopt;
}

}  // namespace

decision decide_command(const state& s, const define_agreement& c, const context& ctx) {
    auto v = c.value;
    if (v.name.empty()) v.name = v.id;
    auto old = s.agreements.find(v.id);
    if (!may_manage_agreement(s, ctx.who, old == s.agreements.end() ? nullptr : &old->second, v))
        return decision::refuse(error::forbidden,
                                "only the administrators of a lending party change an agreement, "
                                "for their own rooms, without changing its parties");
    if (!valid_slug(v.id))
        return decision::refuse(error::bad_request, "invalid agreement id '" + v.id + "'", "id");
    if (!s.organisations.count(v.provider))
        return decision::refuse(error::not_found, "unknown organisation '" + v.provider + "'",
                                "provider");
    if (!s.organisations.count(v.beneficiary))
        return decision::refuse(error::not_found, "unknown organisation '" + v.beneficiary + "'",
                                "beneficiary");
    if (!v.window_operator.empty() && v.window_operator != v.provider &&
        v.window_operator != v.beneficiary)
        return decision::refuse(error::bad_request,
                                "the single window is run by one of the agreement's parties",
                                "window_operator");
    if (v.provider == v.beneficiary)
        return decision::refuse(error::bad_request, "provider and beneficiary must differ",
                                "beneficiary");
    if (!known_zone(v.zone))
        return decision::refuse(error::bad_request, "unknown time zone '" + v.zone + "'", "zone");
    if (!valid_date(v.valid_from))
        return decision::refuse(error::bad_request, "valid_from must be a date YYYY-MM-DD",
                                "valid_from");
    if (!valid_date(v.valid_to) || v.valid_to < v.valid_from)
        return decision::refuse(error::bad_request,
                                "valid_to must be a date on or after valid_from", "valid_to");
    if (v.min_notice.months < 0 || v.min_notice.days < 0 || v.min_notice.months > 36 ||
        v.min_notice.days > 1000)
        return decision::refuse(error::bad_request, "notice must be between 0 and 36 months",
                                "min_notice");
    if (v.resources.empty())
        return decision::refuse(error::bad_request, "an agreement covers at least one resource",
                                "resources");
    bool billable = false;
    if (auto no = check_terms(s, v, billable)) return *no;
    if (billable && !s.tariffs.count(v.tariff_grid))
        return decision::refuse(error::not_found, "unknown tariff grid '" + v.tariff_grid + "'",
                                "tariff_grid");
    if (auto no = check_overlap(s, v)) return *no;
    decision d{{agreement_defined{v}}, {}};
    // An allowance raised: its new free units and minutes go to the requests billed for lack
    // of them.
    requotes(s, ctx, d.facts);
    return d;
}

}  // namespace creneau
