#include "common/agreements/usage.hpp"

#include "common/agreements/quote.hpp"

namespace creneau {

void to_json(json& j, const usage_resource& r) {
    j = {{"resource", r.resource}, {"name", r.name}};
    if (r.allowance) j["allowance"] = *r.allowance;
    if (r.unlimited_free) j["free"] = "unlimited";
    if (r.hours) j["hours"] = *r.hours;
}

void to_json(json& j, const usage& u) {
    j = {{"agreement", u.agreement}, {"name", u.name},         {"year", u.year},
         {"resources", u.resources}, {"billable", u.billable}, {"total_cents", u.total_cents},
         {"currency", "EUR"}};
}

usage usage_of(const state& s, const agreement& a, int year) {
    usage out{a.id, a.name, year, {}, {}, 0};
    for (const auto& [rid, terms] : a.resources) {
        auto r = s.resources.find(rid);
        usage_resource entry{rid, r == s.resources.end() ? rid : r->second.name, std::nullopt,
                             terms.unlimited_free, std::nullopt};
        if (terms.free_per_year) entry.allowance = allowance_of(s, a, rid, year);
        if (terms.hour_quota) {
            usage_hours h;
            h.quota_hours = *terms.hour_quota;
            if (auto q = s.quotas.find(counter_key{a.id, rid, year}); q != s.quotas.end()) {
                h.used_minutes = q->second.used_minutes;
                h.held_minutes = q->second.held_minutes;
                h.alerts.assign(q->second.alerts.begin(), q->second.alerts.end());
            }
            h.used_hours = static_cast<double>(h.used_minutes) / 60.0;
            h.left_minutes = std::max<std::int64_t>(
                0, std::int64_t{*terms.hour_quota} * 60 - h.used_minutes - h.held_minutes);
            h.alert_percents = terms.alert_percents;
            entry.hours = h;
        }
        out.resources.push_back(std::move(entry));
    }
    for (const auto& [id, r] : s.reservations) {
        if (r.agreement != a.id || r.year != year || r.status != reservation_status::approved)
            continue;
        for (const auto& l : r.quote.lines) {
            if (l.amount_cents == 0) continue;
            out.billable.push_back({r.id, r.resource, r.organisation, r.start, r.end, r.title,
                                    l.kind, l.label, l.amount_cents});
            out.total_cents += l.amount_cents;
        }
    }
    return out;
}

}  // namespace creneau
