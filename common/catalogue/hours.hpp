#pragma once
// Bookable hours: the weekly opening intervals of a resource, in its site's time zone,
// less its closures.

#include "common/catalogue/model.hpp"

#include <string_view>
#include <vector>

namespace creneau {

// The open periods of a resource within [from, to), in time order, adjacent intervals
// merged (so a period may run past midnight when the hours say 00:00–24:00).
std::vector<period> open_periods(const resource& r, std::string_view zone, instant from,
                                 instant to);

// Whether [start, end) lies within one open period.
bool within_open_hours(const resource& r, std::string_view zone, instant start, instant end);

}  // namespace creneau
