#pragma once
// iCalendar (RFC 5545) feeds of reservations: one VEVENT per reservation with a stable UID,
// SEQUENCE from its revision, STATUS TENTATIVE, CONFIRMED or CANCELLED, and times in the
// site's zone with its VTIMEZONE.

#include "common/reservations/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace creneau::server {

// One VEVENT: a reservation, a Job Dating meeting …
struct ical_entry {
    std::string uid;  // stable and unique (the "@creneau" domain is added)
    instant start;
    instant end;
    int sequence = 0;                       // bumped by each change
    std::string_view status = "CONFIRMED";  // TENTATIVE, CONFIRMED or CANCELLED
    std::string summary;
    std::string location;
    std::string description;
    // A recurring event (a series): its RRULE, the starts it leaves out (EXDATE); or, for an
    // occurrence that differs from its series, the start the rule gave it (RECURRENCE-ID).
    std::string rrule;
    std::vector<instant> exdates;
    std::optional<instant> recurrence_id;
};

// The RRULE of a series (RFC 5545, 3.3.10), read in the series' zone.
std::string ical_rrule(const series& s);

// The entry of a reservation: its id, period, revision and status.
ical_entry ical_of(const reservation& r, std::string summary, std::string location,
                   std::string description);

// A whole VCALENDAR. `name` is the calendar's display name; `zone` the events' zone.
std::string ical_calendar(const std::string& name, const std::string& zone,
                          const std::vector<ical_entry>& entries, instant stamp);

// Escapes TEXT values (backslash, semicolon, comma, newline).
std::string ical_escape(const std::string& text);

// Folds a content line at 75 octets (without splitting a UTF-8 sequence), with CRLF.
std::string ical_fold(const std::string& line);

}  // namespace creneau::server
