#pragma once
// Instants on the wire are RFC 3339 with an offset; inside they are UTC seconds.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace creneau {

using instant = std::chrono::sys_seconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Parses "2026-03-01T09:00:00+01:00", "2026-03-01T08:00:00Z" (fractions of a second are
// accepted and dropped). Returns nullopt for anything else, including impossible dates.
std::optional<instant> parse_rfc3339(std::string_view text);

// "2026-03-01T08:00:00Z".
std::string format_utc(instant t);

// The instant written in a time zone with its offset: "2026-03-01T09:00:00+01:00".
// Throws std::runtime_error for an unknown zone name.
std::string format_in_zone(instant t, std::string_view zone);

// The calendar year of an instant in a time zone.
int year_in_zone(instant t, std::string_view zone);

// Whether a time zone name is known to the system's database.
bool known_zone(std::string_view zone);

// Instants people mean, for anything they schedule: from 2000-01-01 (inclusive) to
// 2170-01-01 (exclusive), UTC. Outside it, years have other than four digits and RFC 3339
// and iCalendar cannot write them.
bool plausible_instant(instant t);

// The instant `months` calendar months and `days` days after `t`, counted in `zone` (a day
// that does not exist in the target month becomes that month's last day).
instant add_calendar(instant t, std::string_view zone, int months, int days);

// The local date of an instant in a zone, "YYYY-MM-DD".
std::string local_date(instant t, std::string_view zone);

// A period of time, [start, end).
struct period {
    instant start;
    instant end;
    bool operator==(const period&) const = default;
};

}  // namespace creneau
