#pragma once
// The Job Dating timetable as the state keeps it (docs/domain.md, "Events"): who meets whom,
// when and at which table. The solver that builds it is in solver.hpp.

#include "common/core/json.hpp"

#include <string>
#include <vector>

namespace creneau {

// One interview: a student and a company (their registration ids), a slot of the day and
// one of the company's tables. The solver and the state share this one type.
struct meeting {
    std::string student;
    std::string company;
    int slot = -1;
    int table = 0;
    bool pinned = false;  // kept as it is when the timetable is built again
    auto operator<=>(const meeting&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(meeting, student, company, slot, table, pinned)

struct timetable {
    std::vector<meeting> meetings;
    std::vector<meeting> dropped;  // chosen by the flow but not placeable (arrival, leaving)
    bool published = false;
    int revision = 0;
    bool operator==(const timetable&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(timetable, meetings, dropped, published, revision)

}  // namespace creneau
