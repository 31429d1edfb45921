#pragma once
// Test support: an iCalendar feed read by two independent readers, python3-icalendar (Debian)
// and ical.js (web/node_modules, the engine of Thunderbird's calendar), each converting every
// VEVENT's start and end to UTC with the feed's own VTIMEZONE.

#include <map>
#include <string>
#include <utility>

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

}  // namespace creneau::test
