#include "common/reservations/series.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <set>

namespace creneau {
namespace {

constexpr date::days max_span{3 * 366};  // a series lies within three years of its start

std::optional<date::local_days> parse_day(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    date::year_month_day ymd{date::year{std::stoi(text.substr(0, 4))},
                             date::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                             date::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
    if (!ymd.ok()) return std::nullopt;
    return date::local_days{ymd};
}

unsigned iso_weekday(date::local_days d) {
    return date::weekday{d}.iso_encoding();
}

}  // namespace

expansion expand_series(const recurrence& rule, instant first_start, instant first_end,
                        std::string_view zone) {
    expansion out;
    auto bad = [&](std::string error, std::string field) {
        expansion e;
        e.error = std::move(error);
        e.field = std::move(field);
        return e;
    };
    const bool weekly = rule.frequency == frequency::weekly;
    if (rule.interval < 1 || rule.interval > (weekly ? 52 : 12))
        return bad(weekly ? "interval is 1 to 52 weeks" : "interval is 1 to 12 months",
                   "recurrence.interval");
    if (rule.count < 0 || rule.count > max_occurrences)
        return bad("count is 1 to " + std::to_string(max_occurrences), "recurrence.count");
    if ((rule.count == 0) == rule.until.empty())
        return bad("a series ends either on a date (until) or after a count", "recurrence.until");
    const date::time_zone* tz = nullptr;
    try {
        tz = date::locate_zone(std::string(zone));
    } catch (const std::exception&) {
        return bad("unknown time zone", "resource");
    }
    const auto local_start = tz->to_local(first_start);
    const auto first_day = date::floor<date::days>(local_start);
    const auto time_of_day = local_start - first_day;
    const auto span = tz->to_local(first_end) - local_start;
    const auto last_day = first_day + max_span;
    std::optional<date::local_days> until;
    if (!rule.until.empty()) {
        until = parse_day(rule.until);
        if (!until) return bad("until is a date, YYYY-MM-DD", "recurrence.until");
        if (*until < first_day)
            return bad("until is before the first occurrence", "recurrence.until");
        if (*until > last_day)
            return bad("a series lies within three years of its first occurrence",
                       "recurrence.until");
    }

    std::vector<date::local_days> dates;
    // Adds `d` if it belongs to the series; false once the series is complete.
    auto take = [&](date::local_days d) {
        if (d < first_day) return true;
        if (until && d > *until) return false;
        if (d > last_day) return false;
        dates.push_back(d);
        return rule.count == 0 || static_cast<int>(dates.size()) < rule.count;
    };
    if (weekly) {
        std::vector<int> days = rule.weekdays;
        if (days.empty()) days.push_back(static_cast<int>(iso_weekday(first_day)));
        std::sort(days.begin(), days.end());
        if (std::adjacent_find(days.begin(), days.end()) != days.end() || days.front() < 1 ||
            days.back() > 7)
            return bad("weekdays are 1 (Monday) to 7 (Sunday), each once", "recurrence.weekdays");
        if (!std::count(days.begin(), days.end(), static_cast<int>(iso_weekday(first_day))))
            return bad("the first occurrence's weekday must be one of the weekdays",
                       "recurrence.weekdays");
        const auto monday = first_day - date::days{iso_weekday(first_day) - 1};
        bool more = true;
        for (int week = 0; more && monday + date::days{7 * week} <= last_day; week += rule.interval)
            for (int wd : days)
                if (more) more = take(monday + date::days{7 * week + wd - 1});
    } else {
        const bool by_day = rule.month_day != 0;
        if (by_day == (rule.nth != 0))
            return bad("a monthly series is on a day of the month or on the nth weekday",
                       "recurrence.month_day");
        if (by_day && (rule.month_day < 1 || rule.month_day > 31))
            return bad("month_day is 1 to 31", "recurrence.month_day");
        if (!by_day && (rule.nth < -1 || rule.nth > 4 || rule.weekday < 1 || rule.weekday > 7))
            return bad("nth is 1 to 4 or -1 (the last), weekday 1 (Monday) to 7 (Sunday)",
                       "recurrence.nth");
        const date::year_month_day first_ymd{first_day};
        const date::year_month start_month{first_ymd.year(), first_ymd.month()};
        bool more = true;
        for (int m = 0; more && m <= 40; m += rule.interval) {
            const auto ym = start_month + date::months{m};
            if (by_day) {
                date::year_month_day d{ym.year(), ym.month(),
                                       date::day{static_cast<unsigned>(rule.month_day)}};
                if (d.ok()) more = take(date::local_days{d});  // RFC 5545: months without it
                continue;                                      // are left out
            }
            const date::weekday wd{static_cast<unsigned>(rule.weekday % 7)};
            if (rule.nth > 0)
                more = take(date::local_days{date::year_month_weekday{
                    ym.year(), ym.month(), wd[static_cast<unsigned>(rule.nth)]}});
            else
                more = take(date::local_days{
                    date::year_month_weekday_last{ym.year(), ym.month(), wd[date::last]}});
        }
    }
    if (dates.empty() || dates.front() != first_day)
        return bad("the first occurrence must fall on a date the rule gives", "start");
    if (rule.count > 0 && static_cast<int>(dates.size()) < rule.count)
        return bad("a series lies within three years of its first occurrence", "recurrence.count");
    if (static_cast<int>(dates.size()) > max_occurrences)
        return bad("a series has at most " + std::to_string(max_occurrences) + " occurrences",
                   "recurrence.until");

    for (auto d : dates) {
        series_occurrence o;
        o.date = date::format("%F", d);
        auto local = date::local_seconds{d} + time_of_day;
        o.start = tz->to_sys(local, date::choose::earliest);
        o.end = tz->to_sys(local + span, date::choose::earliest);
        out.occurrences.push_back(std::move(o));
    }
    auto find = [&](const std::string& day) -> series_occurrence* {
        auto parsed = parse_day(day);
        if (!parsed) return nullptr;
        auto text = date::format("%F", *parsed);
        for (auto& o : out.occurrences)
            if (o.date == text) return &o;
        return nullptr;
    };
    std::set<std::string> seen;
    for (const auto& day : rule.skip) {
        auto* o = find(day);
        if (!o || !seen.insert(o->date).second)
            return bad(day + " is not a date of the series (or is named twice)", "recurrence.skip");
        o->skipped = true;
    }
    for (const auto& m : rule.moves) {
        auto* o = find(m.date);
        if (!o || !seen.insert(o->date).second)
            return bad(m.date + " is not a date of the series (or is named twice)",
                       "recurrence.moves");
        if (m.end <= m.start)
            return bad("a moved occurrence ends after it starts", "recurrence.moves");
        o->moved = true;
        o->start = m.start;
        o->end = m.end;
    }
    if (std::all_of(out.occurrences.begin(), out.occurrences.end(),
                    [](const auto& o) { return o.skipped; }))
        return bad("every date of the series is skipped", "recurrence.skip");
    return out;
}

instant rule_start(const series& s, const std::string& day) {
    const auto* tz = date::locate_zone(s.zone);
    const auto local = tz->to_local(s.start);
    const auto time_of_day = local - date::floor<date::days>(local);
    auto d = parse_day(day);
    if (!d) return s.start;
    return tz->to_sys(date::local_seconds{*d} + time_of_day, date::choose::earliest);
}

}  // namespace creneau
