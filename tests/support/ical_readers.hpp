#pragma once
// Test support: an iCalendar feed read by two independent readers, python3-icalendar (Debian)
// and ical.js (web/node_modules, the engine of Thunderbird's calendar), each converting every
// VEVENT's start and end to UTC with the feed's own VTIMEZONE.

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace creneau::test {

struct ical_reading {
    bool ok = false;  // both readers read the feed without error
    std::string log;  // what they printed, for failure messages
    // UID → (start, end) as "YYYY-MM-DDTHH:MM:SSZ" (a DATE value as "YYYY-MM-DD"), per reader.
    std::map<std::string, std::pair<std::string, std::string>> python, icaljs;
};

// Reads `feed` with both readers. Every DTSTART/DTEND with a TZID must name a VTIMEZONE of
// the feed, else the reading fails.
ical_reading read_ical(const std::string& feed);

// The occurrences of a feed's events between two UTC instants ("YYYY-MM-DDTHH:MM:SSZ"), with
// their recurrences expanded by python3-recurring-ical-events (Debian): "UID START END STATUS"
// per occurrence, in UTC, sorted by start. Empty with `log` set if the feed cannot be read.
struct ical_occurrence {
    std::string uid, start, end, status;
};
std::vector<ical_occurrence> expand_ical(const std::string& feed, const std::string& from,
                                         const std::string& to, std::string& log);

}  // namespace creneau::test
