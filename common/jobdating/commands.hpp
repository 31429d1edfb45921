#pragma once
// What organisers ask of a Job Dating timetable.

#include "common/jobdating/model.hpp"

#include <optional>

namespace creneau {

// `based_on`: the event's inputs (state::event_inputs) the timetable was built from; a
// timetable built from inputs that have changed since is refused, to be built again.
struct set_timetable {
    std::string event;
    timetable value;
    std::optional<std::int64_t> based_on;
};

}  // namespace creneau
