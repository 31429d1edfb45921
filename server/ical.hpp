#pragma once
// iCalendar (RFC 5545) feeds of reservations: one VEVENT per reservation with a stable UID,
// SEQUENCE from its revision, STATUS TENTATIVE, CONFIRMED or CANCELLED, and times in the
// site's zone with its VTIMEZONE.

#include "common/model.hpp"

#include <string>
#include <vector>

namespace creneau::server {

struct ical_event {
    const reservation* r;
    std::string summary;
    std::string location;
    std::string description;
};

// A whole VCALENDAR. `name` is the calendar's display name; `zone` the events' zone.
std::string ical_calendar(const std::string& name, const std::string& zone, const std::vector<ical_event>& events,
                          instant stamp);

// Escapes TEXT values (backslash, semicolon, comma, newline).
std::string ical_escape(const std::string& text);

// Folds a content line at 75 octets (without splitting a UTF-8 sequence), with CRLF.
std::string ical_fold(const std::string& line);

}  // namespace creneau::server
