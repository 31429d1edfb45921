#pragma once
// The catalogue (docs/domain.md, "Places and resources"): the sites of the lending
// organisations, their resources with layouts, bookable hours, closures and buffers, the
// organisations and their member categories, and the tariff grids.
// Plain values, compared with ==, written to JSON as they are declared.

#include "common/core/json.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace creneau {

// Money in integer cents of euro.
using cents = std::int64_t;

struct site {
    std::string id;
    std::string name;
    std::string zone;   // IANA time zone, e.g. Europe/Paris
    std::string owner;  // the organisation that lends the site's resources
    bool operator==(const site&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(site, id, name, zone, owner)

enum class resource_kind {
    room,           // booked by period (Atrium, Event room, meeting room)
    hour_quota,     // booked by appointment, counted in hours against a quota (MuséoLab)
    opening_hours,  // not booked: its published opening hours are shown (co-working)
};
template <>
struct enum_names<resource_kind> {
    static constexpr std::pair<resource_kind, std::string_view> table[] = {
        {resource_kind::room, "room"},
        {resource_kind::hour_quota, "hour-quota"},
        {resource_kind::opening_hours, "opening-hours"}};
};

struct layout {
    std::string id;     // "meeting", "plenary", "default"
    std::string label;  // what people call it: "Réunion", "Plénière" ("" before labels: the id)
    int capacity = 0;
    bool operator==(const layout&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(layout, id, label, capacity)

// Opening intervals of one weekday, in minutes after local midnight, [open, close).
struct day_hours {
    int open = 0;
    int close = 0;
    bool operator==(const day_hours&) const = default;
};

// Bookable hours per weekday (0 = Monday … 6 = Sunday), in the site's time zone. Written as
// {"mon": [["08:00", "20:00"]], …}, the days without hours left out.
struct weekly_hours {
    std::array<std::vector<day_hours>, 7> days;
    const std::vector<day_hours>& operator[](std::size_t d) const { return days[d]; }
    std::vector<day_hours>& operator[](std::size_t d) { return days[d]; }
    bool operator==(const weekly_hours&) const = default;
};
void to_json(json& j, const weekly_hours& h);
void from_json(const json& j, weekly_hours& h);

struct closure {
    instant start;
    instant end;
    std::string reason;
    bool operator==(const closure&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(closure, start, end, reason)

struct resource {
    std::string id;
    std::string name;
    std::string site;
    resource_kind kind = resource_kind::room;
    std::vector<layout> layouts;
    weekly_hours hours;
    std::vector<closure> closures;
    // Set-up before and clean-up after each booking; a booking's buffers may not overlap
    // another booking.
    minutes setup_minutes{0};
    minutes cleanup_minutes{0};
    // Equipment an appointment can name (MuséoLab machines, docs/domain.md).
    std::vector<std::string> equipment;
    bool operator==(const resource&) const = default;

    const layout* find_layout(const std::string& id) const;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(resource, id, name, site, kind, layouts, hours,
                                                closures, setup_minutes, cleanup_minutes, equipment)

// `student_association`: a student association, which requests rooms through an agreement's
// single window rather than under an agreement of its own (docs/domain.md, "The single window").
enum class member_category { host, founder_member, member, other, student_association };
template <>
struct enum_names<member_category> {
    static constexpr std::pair<member_category, std::string_view> table[] = {
        {member_category::host, "host"},
        {member_category::founder_member, "founder-member"},
        {member_category::member, "member"},
        {member_category::other, "other"},
        {member_category::student_association, "student-association"}};
};

struct organisation {
    std::string id;
    std::string name;
    member_category category = member_category::other;
    // A student association: the organisation that accredits it ("association agréée"). The
    // single windows of that organisation's agreements take its requests.
    std::string accredited_by;
    bool operator==(const organisation&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(organisation, id, name, category, accredited_by)

enum class billing_unit { hour, half_day, day };
template <>
struct enum_names<billing_unit> {
    static constexpr std::pair<billing_unit, std::string_view> table[] = {
        {billing_unit::hour, "hour"},
        {billing_unit::half_day, "half-day"},
        {billing_unit::day, "day"}};
};

// Prices of one resource by unit and member category, written {"day": {"founder-member": 90000}}.
struct resource_prices {
    std::map<billing_unit, std::map<member_category, cents>> by_unit;
    bool operator==(const resource_prices&) const = default;
};
void to_json(json& j, const resource_prices& p);
void from_json(const json& j, resource_prices& p);

struct service_fee {
    std::string label;
    cents amount_cents = 0;
    bool operator==(const service_fee&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(service_fee, label, amount_cents)

// A tariff grid ("grille tarifaire"): rental prices, and service fees billed with every
// booking, free or not (art. 6).
struct tariff_grid {
    std::string id;
    std::string name;
    std::string owner;  // the organisation whose admins manage it ("" before owners: the operator)
    bool example = false;  // amounts are examples, not LLV's published prices
    minutes half_day_minutes{4 * 60};
    minutes day_minutes{8 * 60};
    std::map<std::string, resource_prices> prices;                 // by resource
    std::map<std::string, std::vector<service_fee>> service_fees;  // by resource
    bool operator==(const tariff_grid&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(tariff_grid, id, name, owner, example,
                                                half_day_minutes, day_minutes, prices, service_fees)

}  // namespace creneau
