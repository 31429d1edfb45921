#include "common/model.hpp"

#include <algorithm>
#include <cctype>

namespace creneau {

const layout* resource::find_layout(const std::string& wanted) const {
    for (const auto& l : layouts)
        if (l.id == wanted) return &l;
    return nullptr;
}

bool agreement::binds(const std::string& org, const std::string& owner) const {
    if (provider == owner && beneficiary == org) return true;
    return reciprocal && beneficiary == owner && provider == org;
}

const reservation* state::find_reservation(const std::string& id) const {
    auto it = reservations.find(id);
    return it == reservations.end() ? nullptr : &it->second;
}

std::string state::owner_of(const std::string& resource_id) const {
    auto r = resources.find(resource_id);
    if (r == resources.end()) return {};
    auto s = sites.find(r->second.site);
    return s == sites.end() ? std::string{} : s->second.owner;
}

std::string state::zone_of(const std::string& resource_id) const {
    auto r = resources.find(resource_id);
    if (r == resources.end()) return "UTC";
    auto s = sites.find(r->second.site);
    return s == sites.end() ? std::string{"UTC"} : s->second.zone;
}

std::string email_key(std::string_view email) {
    std::string out(email);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 100 || !std::isalnum(static_cast<unsigned char>(id.front()))) return false;
    return std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return c < 0x80 && (std::isalnum(c) || c == '-' || c == '_' || c == '.');
    });
}

bool valid_slug(std::string_view id) {
    return valid_id(id) &&
           std::none_of(id.begin(), id.end(), [](unsigned char c) { return std::isupper(c); });
}

bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

namespace {

template <class E, std::size_t N>
std::optional<E> parse_name(std::string_view s, const std::pair<E, std::string_view> (&table)[N]) {
    for (const auto& [v, n] : table)
        if (n == s) return v;
    return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_in(E e, const std::pair<E, std::string_view> (&table)[N]) {
    for (const auto& [v, n] : table)
        if (v == e) return n;
    return table[0].second;
}

const std::pair<resource_kind, std::string_view> kinds[] = {
    {resource_kind::room, "room"},
    {resource_kind::hour_quota, "hour-quota"},
    {resource_kind::opening_hours, "opening-hours"},
};
const std::pair<member_category, std::string_view> categories[] = {
    {member_category::host, "host"},
    {member_category::founder_member, "founder-member"},
    {member_category::member, "member"},
    {member_category::other, "other"},
};
const std::pair<billing_unit, std::string_view> units[] = {
    {billing_unit::hour, "hour"},
    {billing_unit::half_day, "half-day"},
    {billing_unit::day, "day"},
};
const std::pair<role, std::string_view> roles[] = {
    {role::admin, "admin"},
    {role::member, "member"},
    {role::organiser, "organiser"},
};
const std::pair<reservation_status, std::string_view> statuses[] = {
    {reservation_status::pending, "pending"},
    {reservation_status::approved, "approved"},
    {reservation_status::refused, "refused"},
    {reservation_status::cancelled, "cancelled"},
};

const std::pair<event_kind, std::string_view> event_kinds[] = {
    {event_kind::welcome_day, "welcome-day"},
    {event_kind::job_dating, "job-dating"},
    {event_kind::culturathon, "culturathon"},
    {event_kind::talk, "talk"},
};
const std::pair<registration_status, std::string_view> registration_statuses[] = {
    {registration_status::registered, "registered"},
    {registration_status::waiting, "waiting"},
    {registration_status::left, "left"},
    {registration_status::checked_in, "checked-in"},
};

}  // namespace

std::string_view name_of(event_kind k) { return name_in(k, event_kinds); }
std::string_view name_of(registration_status s) { return name_in(s, registration_statuses); }
std::optional<event_kind> parse_event_kind(std::string_view s) { return parse_name(s, event_kinds); }
std::optional<registration_status> parse_registration_status(std::string_view s) {
    return parse_name(s, registration_statuses);
}

std::string_view name_of(resource_kind k) { return name_in(k, kinds); }
std::string_view name_of(member_category c) { return name_in(c, categories); }
std::string_view name_of(billing_unit u) { return name_in(u, units); }
std::string_view name_of(role r) { return name_in(r, roles); }
std::string_view name_of(reservation_status s) { return name_in(s, statuses); }
std::optional<resource_kind> parse_resource_kind(std::string_view s) { return parse_name(s, kinds); }
std::optional<member_category> parse_member_category(std::string_view s) { return parse_name(s, categories); }
std::optional<billing_unit> parse_billing_unit(std::string_view s) { return parse_name(s, units); }
std::optional<role> parse_role(std::string_view s) { return parse_name(s, roles); }
std::optional<reservation_status> parse_reservation_status(std::string_view s) {
    return parse_name(s, statuses);
}

}  // namespace creneau
