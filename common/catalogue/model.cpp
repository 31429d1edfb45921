#include "common/catalogue/model.hpp"

#include <cstdio>

namespace creneau {
namespace {

const char* const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string hhmm(int minute) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", (minute / 60) % 100, minute % 60);
    return buf;
}

int parse_hhmm(const json& v, const std::string& path) {
    const std::string* s = v.is_string() ? v.get_ptr<const std::string*>() : nullptr;
    auto digit = [&](std::size_t i) { return (*s)[i] >= '0' && (*s)[i] <= '9'; };
    if (!s || s->size() != 5 || (*s)[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
        throw json_value_error(path, "expected \"HH:MM\", got " + v.dump());
    int h = ((*s)[0] - '0') * 10 + ((*s)[1] - '0');
    int m = ((*s)[3] - '0') * 10 + ((*s)[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0)) throw json_value_error(path, "no such time " + *s);
    return h * 60 + m;
}

}  // namespace

const layout* resource::find_layout(const std::string& wanted) const {
    for (const auto& l : layouts)
        if (l.id == wanted) return &l;
    return nullptr;
}

void to_json(json& j, const weekly_hours& h) {
    j = json::object();
    for (int d = 0; d < 7; ++d) {
        if (h.days[d].empty()) continue;
        json day = json::array();
        for (const auto& i : h.days[d]) day.push_back({hhmm(i.open), hhmm(i.close)});
        j[day_names[d]] = std::move(day);
    }
}

void from_json(const json& j, weekly_hours& h) {
    if (!j.is_object()) throw json_value_error("", "expected an object of weekdays (mon … sun)");
    h = {};
    for (const auto& [day, intervals] : j.items()) {
        int d = -1;
        for (int k = 0; k < 7; ++k)
            if (day == day_names[k]) d = k;
        const std::string at = "/" + day;
        if (d < 0)
            throw json_value_error(at, "unknown weekday (mon, tue, wed, thu, fri, sat, sun)");
        if (!intervals.is_array())
            throw json_value_error(at, "expected [[\"HH:MM\", \"HH:MM\"], …]");
        for (std::size_t k = 0; k < intervals.size(); ++k) {
            const auto& i = intervals[k];
            const std::string here = at + "/" + std::to_string(k);
            if (!i.is_array() || i.size() != 2)
                throw json_value_error(here, "expected [\"HH:MM\", \"HH:MM\"]");
            h.days[d].push_back({parse_hhmm(i[0], here + "/0"), parse_hhmm(i[1], here + "/1")});
        }
    }
}

void to_json(json& j, const resource_prices& p) {
    j = json::object();
    for (const auto& [unit, by_category] : p.by_unit) {
        json c = json::object();
        for (const auto& [category, amount] : by_category)
            c[std::string(name_of(category))] = amount;
        j[std::string(name_of(unit))] = std::move(c);
    }
}

void from_json(const json& j, resource_prices& p) {
    if (!j.is_object())
        throw json_value_error("", "expected an object by unit (hour, half-day, day)");
    p = {};
    for (const auto& [unit, by_category] : j.items()) {
        auto u = parse_name<billing_unit>(unit);
        if (!u)
            throw json_value_error("/" + unit, "unknown unit (" + names_of<billing_unit>() + ")");
        if (!by_category.is_object())
            throw json_value_error("/" + unit, "expected an object by member category");
        for (const auto& [category, amount] : by_category.items()) {
            auto c = parse_name<member_category>(category);
            const std::string at = "/" + unit + "/" + category;
            if (!c)
                throw json_value_error(
                    at, "unknown member category (" + names_of<member_category>() + ")");
            if (!amount.is_number_integer())
                throw json_value_error(at, "expected cents (an integer)");
            p.by_unit[*u][*c] = amount.get<cents>();
        }
    }
}

}  // namespace creneau
