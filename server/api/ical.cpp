#include "server/api/ical.hpp"

#include <date/date.h>
#include <date/tz.h>

namespace creneau::server {
namespace {

std::string local_stamp(instant t, const std::string& zone) {
    auto local = date::make_zoned(zone, t).get_local_time();
    return date::format("%Y%m%dT%H%M%S", local);
}

std::string utc_stamp(instant t) {
    return date::format("%Y%m%dT%H%M%SZ", t);
}

std::string offset_text(std::chrono::seconds off) {
    auto m = std::chrono::duration_cast<std::chrono::minutes>(off).count();
    char sign = m < 0 ? '-' : '+';
    if (m < 0) m = -m;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%c%02d%02d", sign, static_cast<int>(m / 60),
                  static_cast<int>(m % 60));
    return buf;
}

// One observance: from `onset` (an instant) the zone is at `to`'s offset, coming from
// `from`. RFC 5545 writes the onset in the local time of the offset in force before it
// (TZOFFSETFROM): Europe/Paris's spring change at 02:00, its autumn change at 03:00.
std::string observance(date::sys_seconds onset, std::chrono::seconds from,
                       const date::sys_info& to) {
    bool dst = to.save != std::chrono::minutes{0};
    std::string out = dst ? "BEGIN:DAYLIGHT\r\n" : "BEGIN:STANDARD\r\n";
    out += "DTSTART:" + date::format("%Y%m%dT%H%M%S", onset + from) + "\r\n";
    out += "TZOFFSETFROM:" + offset_text(from) + "\r\n";
    out += "TZOFFSETTO:" + offset_text(to.offset) + "\r\n";
    out += "TZNAME:" + to.abbrev + "\r\n";
    out += dst ? "END:DAYLIGHT\r\n" : "END:STANDARD\r\n";
    return out;
}

// The zone's rules as STANDARD/DAYLIGHT observances covering every instant of the years
// the events span: the observance already in force on 1 January of the first year (from
// its own onset, before the window), then each change until the end of the last year.
// Read from the system's time zone database, so any site zone is described exactly.
std::string vtimezone(const std::string& zone, int first_year, int last_year) {
    const auto* tz = date::locate_zone(zone);
    std::string out = "BEGIN:VTIMEZONE\r\nTZID:" + zone + "\r\n";
    auto t = date::sys_seconds{date::sys_days{date::year{first_year} / 1 / 1}};
    auto end = date::sys_seconds{date::sys_days{date::year{last_year + 1} / 1 / 1}};
    auto info = tz->get_info(t);
    // A zone that has not changed since 1970 (UTC, say) is described from then on.
    const auto epoch = date::sys_seconds{date::sys_days{date::year{1970} / 1 / 1}};
    if (info.begin <= epoch)
        out += observance(epoch, info.offset, info);
    else
        out +=
            observance(info.begin, tz->get_info(info.begin - std::chrono::seconds{1}).offset, info);
    while (info.end < end && info.end > t) {
        auto next = tz->get_info(info.end);
        out += observance(info.end, info.offset, next);
        t = info.end;
        info = next;
    }
    out += "END:VTIMEZONE\r\n";
    return out;
}

std::string_view status_of(reservation_status s) {
    switch (s) {
        case reservation_status::pending:
            return "TENTATIVE";
        case reservation_status::approved:
            return "CONFIRMED";
        default:
            return "CANCELLED";
    }
}

}  // namespace

std::string ical_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case ';':
                out += "\\;";
                break;
            case ',':
                out += "\\,";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string ical_fold(const std::string& line) {
    std::string out;
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size();) {
        // The length of this UTF-8 sequence.
        unsigned char c = static_cast<unsigned char>(line[i]);
        std::size_t n = c < 0x80         ? 1
                        : (c >> 5) == 6  ? 2
                        : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4
                                         : 1;
        if (col + n > 75) {
            out += "\r\n ";
            col = 1;
        }
        out.append(line, i, n);
        col += n;
        i += n;
    }
    return out + "\r\n";
}

std::string ical_rrule(const series& s) {
    static constexpr const char* days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    const auto& r = s.rule;
    std::string out = r.frequency == frequency::weekly ? "FREQ=WEEKLY" : "FREQ=MONTHLY";
    if (r.interval > 1) out += ";INTERVAL=" + std::to_string(r.interval);
    if (r.frequency == frequency::weekly) {
        if (!r.weekdays.empty()) {
            out += ";BYDAY=";
            for (std::size_t i = 0; i < r.weekdays.size(); ++i) {
                if (i) out += ',';
                out += days[(r.weekdays[i] + 6) % 7];
            }
        }
        out += ";WKST=MO";
    } else if (r.month_day != 0) {
        out += ";BYMONTHDAY=" + std::to_string(r.month_day);
    } else {
        out += ";BYDAY=";
        out += std::to_string(r.nth);
        out += days[(r.weekday + 6) % 7];
    }
    if (r.count > 0) {
        out += ";COUNT=" + std::to_string(r.count);
    } else {
        // UNTIL is in UTC when DTSTART has a zone: the last second of the day, there.
        auto last = rule_start(s, r.until);
        const auto* tz = date::locate_zone(s.zone);
        auto day = date::floor<date::days>(tz->to_local(last));
        out += ";UNTIL=" + utc_stamp(tz->to_sys(day + date::days{1} - std::chrono::seconds{1},
                                                date::choose::latest));
    }
    return out;
}

ical_entry ical_of(const reservation& r, std::string summary, std::string location,
                   std::string description) {
    return {r.id,
            r.start,
            r.end,
            r.revision,
            status_of(r.status),
            std::move(summary),
            std::move(location),
            std::move(description)};
}

std::string ical_calendar(const std::string& name, const std::string& zone,
                          const std::vector<ical_entry>& entries, instant stamp) {
    int first = 0, last = 0;
    for (const auto& e : entries) {
        int y1 = static_cast<int>(date::year_month_day{date::floor<date::days>(e.start)}.year());
        int y2 = static_cast<int>(date::year_month_day{date::floor<date::days>(e.end)}.year());
        if (!first || y1 < first) first = y1;
        if (!last || y2 > last) last = y2;
    }
    if (!first)
        first = last =
            static_cast<int>(date::year_month_day{date::floor<date::days>(stamp)}.year());

    std::string out;
    out +=
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Creneau//Reservations//"
        "FR\r\nCALSCALE:GREGORIAN\r\n";
    out += "METHOD:PUBLISH\r\n";
    out += ical_fold("X-WR-CALNAME:" + ical_escape(name));
    out += "X-WR-TIMEZONE:" + zone + "\r\n";
    out += vtimezone(zone, first, last);
    for (const auto& e : entries) {
        out += "BEGIN:VEVENT\r\n";
        out += ical_fold("UID:" + ical_escape(e.uid) + "@creneau");
        out += "DTSTAMP:" + utc_stamp(stamp) + "\r\n";
        if (e.recurrence_id)
            out +=
                "RECURRENCE-ID;TZID=" + zone + ":" + local_stamp(*e.recurrence_id, zone) + "\r\n";
        out += "DTSTART;TZID=" + zone + ":" + local_stamp(e.start, zone) + "\r\n";
        out += "DTEND;TZID=" + zone + ":" + local_stamp(e.end, zone) + "\r\n";
        if (!e.rrule.empty()) out += ical_fold("RRULE:" + e.rrule);
        if (!e.exdates.empty()) {
            std::string line = "EXDATE;TZID=" + zone + ":";
            for (std::size_t i = 0; i < e.exdates.size(); ++i) {
                if (i) line += ',';
                line += local_stamp(e.exdates[i], zone);
            }
            out += ical_fold(line);
        }
        out += "SEQUENCE:" + std::to_string(e.sequence) + "\r\n";
        out += "STATUS:" + std::string(e.status) + "\r\n";
        out += ical_fold("SUMMARY:" + ical_escape(e.summary));
        if (!e.location.empty()) out += ical_fold("LOCATION:" + ical_escape(e.location));
        if (!e.description.empty()) out += ical_fold("DESCRIPTION:" + ical_escape(e.description));
        out += "TRANSP:OPAQUE\r\nEND:VEVENT\r\n";
    }
    out += "END:VCALENDAR\r\n";
    return out;
}

}  // namespace creneau::server
