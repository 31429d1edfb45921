#pragma once
// The Job Dating problem as the state holds it, and the times of the day's slots.

#include "common/jobdating/solver.hpp"
#include "common/state.hpp"

namespace creneau {

// The Job Dating problem of an event: its present participants (no no-shows, nobody
// waiting or gone), their wishes, the day's slots and breaks, the previous timetable;
// `pins` are kept as they are, `removed` pairs never meet again, and slots before
// `now_slot` are past.
jobdating::problem jobdating_problem(const state& s, const event& e,
                                     const std::vector<meeting>& pins,
                                     const std::set<std::pair<std::string, std::string>>& removed,
                                     int now_slot);

// Whether a registration takes part in the day: registered or checked in, not marked a
// no-show. A published meeting with someone who no longer does is withdrawn: it stays in the
// timetable, so marked, until the organisers re-plan (docs/domain.md, "The Job Dating
// timetable").
bool takes_part(const registration& r);
bool takes_part(const state& s, const std::string& registration);

// The slot of the Job Dating day under way at `now` (0 before the day, `slots` after it).
int slot_at(const event& e, instant now);
// When a slot of the day starts.
instant slot_start(const event& e, int slot);

}  // namespace creneau
