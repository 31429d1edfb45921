#include "common/catalogue/hours.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>

namespace creneau {
namespace {

instant to_instant(const date::time_zone* tz, date::local_days day, int minute_of_day) {
    auto local = date::local_seconds{day} + minutes{minute_of_day};
    // A local time skipped by a summer-time change maps to the change itself; a repeated
    // one to its first occurrence.
    return tz->to_sys(local, date::choose::earliest);
}

}  // namespace

std::vector<period> open_periods(const resource& r, std::string_view zone, instant from,
                                 instant to) {
    std::vector<period> out;
    if (to <= from) return out;
    const auto* tz = date::locate_zone(std::string(zone));
    auto first = date::floor<date::days>(tz->to_local(from)) - date::days{1};
    auto last = date::floor<date::days>(tz->to_local(to)) + date::days{1};
    for (auto day = first; day <= last; day += date::days{1}) {
        unsigned wd = date::weekday{day}.iso_encoding() - 1;  // Monday = 0
        for (const auto& h : r.hours[wd]) {
            period p{to_instant(tz, day, h.open), to_instant(tz, day, h.close)};
            p.start = std::max(p.start, from);
            p.end = std::min(p.end, to);
            if (p.start >= p.end) continue;
            if (!out.empty() && out.back().end >= p.start)
                out.back().end = std::max(out.back().end, p.end);
            else
                out.push_back(p);
        }
    }
    // Less the closures.
    for (const auto& c : r.closures) {
        std::vector<period> cut;
        for (const auto& p : out) {
            if (c.end <= p.start || c.start >= p.end) {
                cut.push_back(p);
                continue;
            }
            if (p.start < c.start) cut.push_back({p.start, c.start});
            if (c.end < p.end) cut.push_back({c.end, p.end});
        }
        out = std::move(cut);
    }
    return out;
}

bool within_open_hours(const resource& r, std::string_view zone, instant start, instant end) {
    auto open = open_periods(r, zone, start, end);
    return open.size() == 1 && open.front().start == start && open.front().end == end;
}

}  // namespace creneau
