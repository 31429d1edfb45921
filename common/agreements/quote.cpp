#include "common/agreements/quote.hpp"

#include "common/agreements/facts.hpp"

#include <algorithm>

#include <cstdio>
#include <limits>

namespace creneau {
namespace {

std::optional<cents> price_of(const tariff_grid& grid, const std::string& resource_id,
                              billing_unit unit, member_category category) {
    auto r = grid.prices.find(resource_id);
    if (r == grid.prices.end()) return std::nullopt;
    auto u = r->second.by_unit.find(unit);
    if (u == r->second.by_unit.end()) return std::nullopt;
    auto c = u->second.find(category);
    if (c == u->second.end()) return std::nullopt;
    return c->second;
}

std::string plural(long long n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::optional<cents> hourly_price(const tariff_grid& grid, const std::string& resource_id,
                                  member_category category) {
    return price_of(grid, resource_id, billing_unit::hour, category);
}

std::optional<cents> rental_price(const tariff_grid& grid, const std::string& resource_id,
                                  member_category category, minutes duration, std::string& label) {
    auto per_day = price_of(grid, resource_id, billing_unit::day, category);
    auto per_half = price_of(grid, resource_id, billing_unit::half_day, category);
    auto per_hour = price_of(grid, resource_id, billing_unit::hour, category);
    if (!per_day && !per_half && !per_hour) return std::nullopt;

    const long long total = duration.count();
    const long long day = std::max<long long>(1, grid.day_minutes.count());
    const long long half = std::max<long long>(1, grid.half_day_minutes.count());
    std::optional<cents> best;
    long long best_d = 0, best_h = 0, best_hours = 0;
    // Whole days, then at most a few half-days, then hours: try every mix, keep the cheapest.
    for (long long d = 0; d <= total / day + 1; ++d) {
        if (d > 0 && !per_day) break;
        for (long long h = 0; h <= 2; ++h) {
            if (h > 0 && !per_half) break;
            long long rest = std::max<long long>(0, total - d * day - h * half);
            long long hours = (rest + 59) / 60;
            if (hours > 0 && !per_hour) continue;
            cents cost =
                d * per_day.value_or(0) + h * per_half.value_or(0) + hours * per_hour.value_or(0);
            if (!best || cost < *best) {
                best = cost;
                best_d = d;
                best_h = h;
                best_hours = hours;
            }
        }
    }
    if (!best) return std::nullopt;
    std::string units;
    auto add = [&](const std::string& part) { units += (units.empty() ? "" : " + ") + part; };
    if (best_d) add(plural(best_d, "journée", "journées"));
    if (best_h) add(plural(best_h, "demi-journée", "demi-journées"));
    if (best_hours) add(plural(best_hours, "heure", "heures"));
    label = units.empty() ? "0 heure" : units;
    return best;
}

allowance_view allowance_of(const state& s, const agreement& a, const std::string& resource_id,
                            int year) {
    allowance_view v;
    v.year = year;
    auto terms = a.resources.find(resource_id);
    v.limit = terms == a.resources.end() ? 0 : terms->second.free_per_year.value_or(0);
    auto c = s.allowances.find(counter_key{a.id, resource_id, year});
    if (c != s.allowances.end()) {
        v.held = c->second.held;
        v.used = c->second.used;
    }
    v.left = v.limit - v.held - v.used;
    return v;
}

std::string category_label(member_category c) {
    switch (c) {
        case member_category::host:
            return "hôte";
        case member_category::founder_member:
            return "membre fondateur";
        case member_category::member:
            return "membre";
        case member_category::other:
            return "autre";
        case member_category::student_association:
            return "association étudiante";
    }
    return "autre";
}

std::string format_euros(cents amount) {
    char buf[48];
    const char* sign = amount < 0 ? "-" : "";
    long long a = amount < 0 ? -amount : amount;
    std::snprintf(buf, sizeof buf, "%s%lld,%02lld €", sign, a / 100, a % 100);
    return buf;
}

const agreement* covering_agreement(const state& s, const std::string& org,
                                    const std::string& owner, const std::string& resource_id,
                                    instant start) {
    for (const auto& [id, a] : s.agreements) {
        if (a.binds(org, owner) && a.resources.count(resource_id) && a.in_force_on(start))
            return &a;
    }
    return nullptr;
}

bool window_covers(const agreement& a, const std::string& owner, const std::string& resource_id,
                   instant start) {
    const bool lends = owner == a.provider || (a.reciprocal && owner == a.beneficiary);
    return lends && a.resources.count(resource_id) && a.in_force_on(start);
}

namespace {

// MuséoLab (art. 5-4): within the quota, accompaniment is free; beyond it, the minutes are
// billed at the grid's hourly price. The quota is what approved appointments used and what
// requests not yet decided hold.
void quote_hours(const state& s, const resource& r, const agreement& a, const resource_terms& terms,
                 const tariff_grid* grid, minutes duration, int year, quote& q,
                 const quota_counter* before) {
    hours_view h;
    h.year = year;
    h.quota_minutes = std::int64_t{*terms.hour_quota} * 60;
    if (!before) {
        if (auto it = s.quotas.find(counter_key{a.id, r.id, year}); it != s.quotas.end())
            before = &it->second;
    }
    if (before) {
        h.used_minutes = before->used_minutes;
        h.held_minutes = before->held_minutes;
    }
    h.this_minutes = duration.count();
    // The minutes held by the requests before it count as used: the last hours of the quota
    // are never promised twice.
    h.beyond_minutes = std::clamp<std::int64_t>(
        h.used_minutes + h.held_minutes + h.this_minutes - h.quota_minutes, 0, h.this_minutes);
    q.free = h.beyond_minutes == 0;
    if (h.beyond_minutes > 0) {
        auto hourly = grid ? hourly_price(*grid, r.id, a.billed_as) : std::nullopt;
        cents amount = hourly ? (*hourly * h.beyond_minutes + 30) / 60 : 0;
        q.lines.push_back({"hours-beyond-quota",
                           r.name + " : " + std::to_string(h.beyond_minutes) +
                               " min au-delà du quota" + (hourly ? "" : " (tarif non renseigné)"),
                           amount});
    }
    q.hours = h;
}

// Rooms (art. 6): free while the year's allowance lasts, then the agreement's tariff
// (founder members for Artois); reciprocal lending is never billed.
void quote_rental(const state& s, const resource& r, const agreement& a,
                  const resource_terms& terms, const tariff_grid* grid, minutes duration, int year,
                  quote& q, bool& holds_unit) {
    std::string units;
    auto price = grid ? rental_price(*grid, r.id, a.billed_as, duration, units) : std::nullopt;
    if (terms.unlimited_free) {
        q.free = true;
        q.lines.push_back({"rental", "Location " + r.name + " : mise à disposition", 0});
        return;
    }
    allowance_view view = allowance_of(s, a, r.id, year);
    if (terms.free_per_year && view.left > 0) {
        // A free unit of the year is held by this request (docs/domain.md).
        holds_unit = true;
        view.held += 1;
        view.left -= 1;
        q.free = true;
        q.lines.push_back({"rental",
                           "Location " + r.name + " : " + (units.empty() ? "" : units + ", ") +
                               "gratuite (mise à disposition " + std::to_string(year) + ")",
                           0});
    } else {
        q.lines.push_back({"rental",
                           "Location " + r.name + " : " + (units.empty() ? "?" : units) +
                               ", tarif " + category_label(a.billed_as) +
                               (price ? "" : " (tarif non renseigné)"),
                           price.value_or(0)});
    }
    if (terms.free_per_year) q.allowance = view;
}

}  // namespace

quote make_quote(const state& s, const resource& r, const agreement* a, minutes duration, int year,
                 bool& holds_unit, const quota_counter* hours_before) {
    quote q;
    holds_unit = false;
    if (!a) {  // the host's own booking: nothing billed
        q.free = true;
        q.billed_as = member_category::host;
        return q;
    }
    q.agreement = a->id;
    q.billed_as = a->billed_as;
    const auto& terms = a->resources.at(r.id);
    const tariff_grid* grid = nullptr;
    if (auto g = s.tariffs.find(a->tariff_grid); g != s.tariffs.end()) grid = &g->second;
    if (terms.hour_quota)
        quote_hours(s, r, *a, terms, grid, duration, year, q, hours_before);
    else
        quote_rental(s, r, *a, terms, grid, duration, year, q, holds_unit);
    // Art. 6: service fees are billed with every booking, free or not.
    if (grid)
        if (auto f = grid->service_fees.find(r.id); f != grid->service_fees.end())
            for (const auto& fee : f->second)
                q.lines.push_back({"service-fee", fee.label, fee.amount_cents});
    for (const auto& l : q.lines) q.total_cents += l.amount_cents;
    return q;
}

std::int64_t quota_minutes_of(const state& s, const reservation& r) {
    if (r.agreement.empty()) return 0;
    const auto& terms = s.agreements.at(r.agreement).resources.at(r.resource);
    if (!terms.hour_quota) return 0;
    // Art. 5-4: approved appointments consume the quota to the minute.
    return std::chrono::duration_cast<minutes>(r.end - r.start).count();
}

std::vector<quota_alert_raised> quota_alerts(const state& s, const reservation& r,
                                             std::int64_t minutes_used) {
    std::vector<quota_alert_raised> out;
    if (minutes_used <= 0) return out;
    const auto& a = s.agreements.at(r.agreement);
    const auto& terms = a.resources.at(r.resource);
    counter_key key{a.id, r.resource, r.year};
    quota_counter q;
    if (auto it = s.quotas.find(key); it != s.quotas.end()) q = it->second;
    std::int64_t quota = std::int64_t{*terms.hour_quota} * 60;
    std::int64_t after = q.used_minutes + minutes_used;
    for (int t : terms.alert_percents)
        if (!q.alerts.count(t) && after * 100 >= std::int64_t{t} * quota)
            out.push_back(quota_alert_raised{a.id, r.resource, r.year, t, after, quota});
    return out;
}

}  // namespace creneau
