#pragma once
// The Job Dating timetable, proven best when it can be (docs/domain.md, "The Job Dating
// timetable"). The flow and colouring of solver.hpp are exact when everybody is there all
// day and nothing is pinned or past; otherwise who meets whom and when are solved together
// as an integer programme (GLPK), in three steps, each warm-started from the best timetable
// known so far and within one time budget:
//  1. the most meetings;
//  2. among those, the lowest rank cost (pair_cost: ranks, mutual wishes favoured);
//  3. among those, the fewest idle slots (a participant waiting between two meetings).
// Step 3 also runs on the fast path, with the flow's meetings and rank cost as the bounds.
// The answer says whether steps 1 and 2 were proven, or the best bound on meetings.
//
// No I/O (GLPK's terminal output is off). Unlike the flow, it reads the steady clock: the
// budget is a time. It uses the calling thread's GLPK environment and frees it at the end.

#include "common/jobdating/solver.hpp"

#include <chrono>

namespace creneau::jobdating {

struct exact_options {
    std::chrono::milliseconds budget{3000};  // the whole budget of the three steps
};

// Whether the flow and colouring are already exact for this problem: nobody arrives late
// or leaves early, nothing is pinned, no meeting is in the past.
bool flow_is_exact(const problem& p);

// The best timetable of `p` (build() first, then the integer programme). Never fewer
// meetings than build(), never a higher rank cost for as many meetings, never more idle
// slots for the same meetings and rank cost.
solution build_best(const problem& p, const exact_options& options = {});

}  // namespace creneau::jobdating
