#pragma once
// What happens to a Job Dating timetable.

#include "common/jobdating/model.hpp"

namespace creneau {

// Written as the timetable's fields with "event" beside them.
struct timetable_set {
    static constexpr std::string_view type = "timetable-set";
    std::string event;
    timetable value;
    bool operator==(const timetable_set&) const = default;
};
void to_json(json& j, const timetable_set& f);
void from_json(const json& j, timetable_set& f);

}  // namespace creneau
