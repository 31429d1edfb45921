#include "common/quote.hpp"

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
    const long long day = std::max<long long>(1, grid.day.count());
    const long long half = std::max<long long>(1, grid.half_day.count());
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
            cents cost = d * per_day.value_or(0) + h * per_half.value_or(0) +
                         hours * per_hour.value_or(0);
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
        case member_category::host: return "hôte";
        case member_category::founder_member: return "membre fondateur";
        case member_category::member: return "membre";
        case member_category::other: return "autre";
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

}  // namespace creneau
