#pragma once
// Series of reservations (docs/domain.md, "Series"): one request that recurs by a rule, each
// occurrence a reservation of its own, checked by every rule on its own. The rule is read in
// the resource's time zone, so an occurrence keeps its wall-clock time across a summer-time
// change.

#include "common/core/json.hpp"
#include "common/core/time.hpp"

#include <string>
#include <vector>

namespace creneau {

enum class frequency { weekly, monthly };
template <>
struct enum_names<frequency> {
    static constexpr std::pair<frequency, std::string_view> table[] = {
        {frequency::weekly, "weekly"}, {frequency::monthly, "monthly"}};
};

// An occurrence moved to another period; `date` is the local date the rule gives it.
struct moved_occurrence {
    std::string date;  // YYYY-MM-DD
    instant start;
    instant end;
    bool operator==(const moved_occurrence&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(moved_occurrence, date, start, end)

// How a series recurs, iCalendar's RRULE in short. Weekly: on `weekdays` (ISO, 1 = Monday;
// empty: the first occurrence's), every `interval` weeks. Monthly, every `interval` months:
// on day `month_day` of the month, or on the `nth` (1 to 4, or -1 for the last) `weekday`
// of the month. It ends on `until` (a local date, included) or after `count` dates, skipped
// ones counted, as RFC 5545 counts them.
struct recurrence {
    creneau::frequency frequency = creneau::frequency::weekly;
    int interval = 1;
    std::vector<int> weekdays;
    int month_day = 0;
    int nth = 0;
    int weekday = 0;
    std::string until;  // YYYY-MM-DD, or empty
    int count = 0;
    std::vector<std::string> skip;  // local dates the rule gives that are left out
    std::vector<moved_occurrence> moves;
    bool operator==(const recurrence&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(recurrence, frequency, interval, weekdays,
                                                month_day, nth, weekday, until, count, skip, moves)

inline constexpr int max_occurrences = 104;

// One date of a series and what became of it when the series was requested: its reservation,
// or the refusal that kept it from being one (`code`, `detail`), or skipped.
struct series_occurrence {
    std::string date;  // the local date the rule gives
    instant start;
    instant end;
    bool skipped = false;
    bool moved = false;
    std::string reservation;  // its reservation's id, if it was made
    std::string code;         // else why not (a refusal code)
    std::string detail;
    bool operator==(const series_occurrence&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(series_occurrence, date, start, end, skipped, moved,
                                                reservation, code, detail)

struct series {
    std::string id;
    std::string resource;
    std::string organisation;
    std::string requester;
    std::string title;
    std::string zone;  // the resource's, in which the rule is read
    instant start;     // the first occurrence's period as the rule gives it (iCalendar's DTSTART)
    instant end;
    recurrence rule;
    bool all_or_nothing = true;
    instant created;
    std::vector<series_occurrence> occurrences;
    bool operator==(const series&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(series, id, resource, organisation, requester,
                                                title, zone, start, end, rule, all_or_nothing,
                                                created, occurrences)

// The dates of a series whose first occurrence is [first_start, first_end), in `zone`: every
// date the rule gives (skipped ones marked, moved ones with their new period), or a sentence
// saying what is wrong with the rule and the name of the field at fault.
struct expansion {
    std::vector<series_occurrence> occurrences;
    std::string error;
    std::string field;
};
expansion expand_series(const recurrence& rule, instant first_start, instant first_end,
                        std::string_view zone);

// The start the rule gives a date of series `s` (a moved occurrence's original start).
instant rule_start(const series& s, const std::string& date);

}  // namespace creneau
