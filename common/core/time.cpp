#include "common/core/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>
#include <stdexcept>

namespace creneau {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

const date::time_zone* zone_or_throw(std::string_view zone) {
    try {
        return date::locate_zone(std::string(zone));
    } catch (const std::runtime_error&) {
        throw std::runtime_error("unknown time zone '" + std::string(zone) + "'");
    }
}

}  // namespace

std::optional<instant> parse_rfc3339(std::string_view s) {
    int y, mo, d, h, mi, se;
    if (!digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, mo) ||
        s[7] != '-' || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
        !digits(s, 17, 2, se))
        return std::nullopt;
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
    }
    if (pos >= s.size()) return std::nullopt;
    int offset_minutes = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int oh, om;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    if (y < 1 || h > 23 || mi > 59 || se > 59) return std::nullopt;
    auto ymd = date::year{y} / mo / d;
    if (!ymd.ok()) return std::nullopt;
    auto days = date::sys_days{ymd};
    instant t = std::chrono::time_point_cast<seconds>(days) + std::chrono::hours{h} + minutes{mi} +
                seconds{se} - minutes{offset_minutes};
    // An offset may carry "9999-12-31T23:59:59-23:59" past the years RFC 3339 can write.
    static const instant first{date::sys_days{date::year{1} / 1 / 1}.time_since_epoch()};
    static const instant last{date::sys_days{date::year{10000} / 1 / 1}.time_since_epoch() -
                              seconds{1}};
    if (t < first || t > last) return std::nullopt;
    return t;
}

std::string format_utc(instant t) {
    // By hand rather than date::format or snprintf: this runs for every instant of every
    // answer and of every fact stored, and both formatters cost more than the rest of it.
    auto day = date::floor<date::days>(t);
    date::year_month_day ymd{day};
    const int year = static_cast<int>(ymd.year());
    auto secs = static_cast<unsigned>((t - day).count());  // 0 .. 86399
    if (year < 0 || year > 9999) {  // no RFC 3339 text says these; written as printf would
        char buf[64];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02uZ", year,
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      secs / 3600, secs / 60 % 60, secs % 60);
        return buf;
    }
    std::string out = "0000-00-00T00:00:00Z";
    auto two = [&](std::size_t at, unsigned v) {
        out[at] = static_cast<char>('0' + v / 10);
        out[at + 1] = static_cast<char>('0' + v % 10);
    };
    two(0, static_cast<unsigned>(year) / 100);
    two(2, static_cast<unsigned>(year) % 100);
    two(5, static_cast<unsigned>(ymd.month()));
    two(8, static_cast<unsigned>(ymd.day()));
    two(11, secs / 3600);
    two(14, secs / 60 % 60);
    two(17, secs % 60);
    return out;
}

std::string format_in_zone(instant t, std::string_view zone) {
    auto zt = date::make_zoned(zone_or_throw(zone), t);
    auto info = zt.get_info();
    auto local = zt.get_local_time();
    auto off = std::chrono::duration_cast<minutes>(info.offset).count();
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, static_cast<int>(off / 60),
                  static_cast<int>(off % 60));
    return date::format("%Y-%m-%dT%H:%M:%S", local) + buf;
}

int year_in_zone(instant t, std::string_view zone) {
    auto local = date::make_zoned(zone_or_throw(zone), t).get_local_time();
    auto ymd = date::year_month_day{date::floor<date::days>(local)};
    return static_cast<int>(ymd.year());
}

bool plausible_instant(instant t) {
    using namespace std::chrono;
    return t >= sys_days{year{2000} / January / 1} && t < sys_days{year{2170} / January / 1};
}

bool known_zone(std::string_view zone) {
    try {
        date::locate_zone(std::string(zone));
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

instant add_calendar(instant t, std::string_view zone, int months, int days) {
    const auto* tz = zone_or_throw(zone);
    auto local = tz->to_local(t);
    auto day = date::floor<date::days>(local);
    auto time_of_day = local - day;
    date::year_month_day ymd{day};
    auto ym = date::year_month{ymd.year(), ymd.month()} + date::months{months};
    auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}};
    auto d = std::min(ymd.day(), last.day());
    auto target =
        date::local_days{date::year_month_day{ym.year(), ym.month(), d}} + date::days{days};
    return tz->to_sys(target + time_of_day, date::choose::earliest);
}

std::string local_date(instant t, std::string_view zone) {
    const auto* tz = zone_or_throw(zone);
    return date::format("%F", date::floor<date::days>(tz->to_local(t)));
}

}  // namespace creneau
