#include "common/access.hpp"
#include "common/catalogue/rules.hpp"

#include <set>

namespace creneau {

namespace {
// Prices and fees stay far from overflow: a quote adds a year of days of them.
constexpr std::int64_t max_amount_cents = 1'000'000'000;
}  // namespace
namespace {

decision forbidden(const std::string& what) {
    return decision::refuse(error::forbidden, "only the administrators of its owner " + what);
}

// The layouts of a bookable resource: at least one, distinct ids, a capacity each.
std::optional<decision> check_layouts(const resource& v) {
    if (v.kind != resource_kind::opening_hours && v.layouts.empty())
        return decision::refuse(error::bad_request, "a bookable resource needs at least one layout",
                                "layouts");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < v.layouts.size(); ++i) {
        const auto& l = v.layouts[i];
        auto field = "layouts/" + std::to_string(i);
        if (!valid_slug(l.id))
            return decision::refuse(error::bad_request, "invalid layout id", field + "/id");
        if (l.label.size() > 100)
            return decision::refuse(error::bad_request,
                                    "a layout's label is at most 100 characters", field + "/label");
        if (!ids.insert(l.id).second)
            return decision::refuse(error::bad_request, "layout '" + l.id + "' twice",
                                    field + "/id");
        if (l.capacity < 1 || l.capacity > 100000)
            return decision::refuse(error::bad_request,
                                    "capacity of layout '" + l.id +
                                        "' must be between 1 and 100000 (got " +
                                        std::to_string(l.capacity) + ")",
                                    field + "/capacity");
    }
    return std::nullopt;
}

// Hours, closures and buffers that make sense.
std::optional<decision> check_times(const resource& v) {
    for (std::size_t d = 0; d < 7; ++d)
        for (const auto& h : v.hours[d])
            if (h.open < 0 || h.close > 24 * 60 || h.open >= h.close)
                return decision::refuse(error::bad_request,
                                        "opening hours must satisfy 00:00 <= open < close <= 24:00",
                                        "hours");
    for (std::size_t i = 0; i < v.closures.size(); ++i)
        if (v.closures[i].end <= v.closures[i].start)
            return decision::refuse(error::bad_request, "a closure must end after it starts",
                                    "closures/" + std::to_string(i));
    auto day = minutes{24 * 60};
    if (v.setup_minutes < minutes{0} || v.cleanup_minutes < minutes{0} || v.setup_minutes > day ||
        v.cleanup_minutes > day)
        return decision::refuse(error::bad_request, "buffers must be between 0 and 24 hours",
                                "setup_minutes");
    return std::nullopt;
}

}  // namespace

decision decide_command(const state& s, const designate_operator& c, const context& ctx) {
    if (!may_manage_catalogue(s, ctx.who)) return forbidden("name the operator");
    if (!s.organisations.count(c.organisation))
        return decision::refuse(error::not_found, "unknown organisation '" + c.organisation + "'",
                                "organisation");
    return {{operator_designated{c.organisation}}, {}};
}

decision decide_command(const state& s, const define_site& c, const context& ctx) {
    if (!may_manage_catalogue(s, ctx.who)) return forbidden("(the operator) change the sites");
    const auto& v = c.value;
    if (!valid_slug(v.id))
        return decision::refuse(error::bad_request, "invalid site id '" + v.id + "'", "id");
    if (blank(v.name)) return decision::refuse(error::bad_request, "a site needs a name", "name");
    if (!known_zone(v.zone))
        return decision::refuse(error::bad_request, "unknown time zone '" + v.zone + "'", "zone");
    if (!s.organisations.count(v.owner))
        return decision::refuse(error::not_found, "unknown organisation '" + v.owner + "'",
                                "owner");
    return {{site_defined{v}}, {}};
}

decision decide_command(const state& s, const define_organisation& c, const context& ctx) {
    if (!may_manage_catalogue(s, ctx.who))
        return forbidden("(the operator) change the organisations");
    const auto& v = c.value;
    if (!valid_slug(v.id))
        return decision::refuse(error::bad_request, "invalid organisation id '" + v.id + "'", "id");
    if (blank(v.name))
        return decision::refuse(error::bad_request, "an organisation needs a name", "name");
    if (v.category == member_category::student_association && v.accredited_by.empty())
        return decision::refuse(error::bad_request,
                                "a student association is accredited by an organisation",
                                "accredited_by");
    if (!v.accredited_by.empty()) {
        if (v.category != member_category::student_association)
            return decision::refuse(error::bad_request,
                                    "only a student association is accredited by an organisation",
                                    "accredited_by");
        if (v.accredited_by == v.id || !s.organisations.count(v.accredited_by))
            return decision::refuse(error::not_found,
                                    "unknown organisation '" + v.accredited_by + "'",
                                    "accredited_by");
    }
    return {{organisation_defined{v}}, {}};
}

decision decide_command(const state& s, const define_resource& c, const context& ctx) {
    const auto& v = c.value;
    auto old = s.resources.find(v.id);
    if (!may_manage_site_resources(s, ctx.who, v.site) ||
        (old != s.resources.end() && !may_manage_site_resources(s, ctx.who, old->second.site)))
        return forbidden("change its resources");
    if (!valid_slug(v.id))
        return decision::refuse(error::bad_request, "invalid resource id '" + v.id + "'", "id");
    if (blank(v.name))
        return decision::refuse(error::bad_request, "a resource needs a name", "name");
    if (!s.sites.count(v.site))
        return decision::refuse(error::not_found, "unknown site '" + v.site + "'", "site");
    if (auto no = check_layouts(v)) return *no;
    if (auto no = check_times(v)) return *no;
    return {{resource_defined{v}}, {}};
}

decision decide_command(const state& s, const define_tariff_grid& c, const context& ctx) {
    auto v = c.value;
    auto old = s.tariffs.find(v.id);
    // A grid keeps its owner unless the operator gives it another; a grid's name defaults to its
    // id.
    if (v.owner.empty())
        v.owner = old != s.tariffs.end() ? owner_of(s, old->second) : ctx.who.organisation;
    if (v.name.empty()) v.name = v.id;
    if (!may_manage_grid(s, ctx.who, v) ||
        (old != s.tariffs.end() && !may_manage_grid(s, ctx.who, old->second)))
        return forbidden("change its tariff grids");
    if (!v.owner.empty() && !s.organisations.count(v.owner))
        return decision::refuse(error::not_found, "unknown organisation '" + v.owner + "'",
                                "owner");
    if (!valid_slug(v.id))
        return decision::refuse(error::bad_request, "invalid tariff grid id '" + v.id + "'", "id");
    if (v.half_day_minutes <= minutes{0} || v.day_minutes <= minutes{0})
        return decision::refuse(error::bad_request, "half-day and day must be positive",
                                "day_minutes");
    for (const auto& [rid, prices] : v.prices) {
        if (!s.resources.count(rid))
            return decision::refuse(error::not_found, "unknown resource '" + rid + "'",
                                    "prices/" + rid);
        for (const auto& [unit, by_category] : prices.by_unit)
            for (const auto& [category, amount] : by_category)
                if (amount < 0 || amount > max_amount_cents)
                    return decision::refuse(error::bad_request,
                                            "a price is between 0 and 10,000,000 euros",
                                            "prices/" + rid);
    }
    for (const auto& [rid, fees] : v.service_fees) {
        if (!s.resources.count(rid))
            return decision::refuse(error::not_found, "unknown resource '" + rid + "'",
                                    "service_fees/" + rid);
        for (const auto& f : fees)
            if (f.amount_cents < 0 || f.amount_cents > max_amount_cents || blank(f.label))
                return decision::refuse(
                    error::bad_request,
                    "a service fee needs a label and an amount between 0 and 10,000,000 euros",
                    "service_fees/" + rid);
    }
    return {{tariff_grid_defined{v}}, {}};
}

}  // namespace creneau
