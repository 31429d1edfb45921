#pragma once
// The rules of a Job Dating timetable: set by the event's organisers, every meeting between
// a registered student and company, nobody in two places at once, no declined pair, built
// from the event's current inputs.

#include "common/facts.hpp"
#include "common/jobdating/commands.hpp"
#include "common/state.hpp"

namespace creneau {

decision decide_command(const state& s, const set_timetable& c, const context& ctx);

void apply_fact(state& s, const fact& f, const timetable_set& x);

}  // namespace creneau
