#pragma once
// The Job Dating timetable (docs/domain.md, "Events": short interviews between LLV's start-ups
// and the university's students). Built in two steps:
//  1. who meets whom: a min-cost maximum flow (source → student → company → sink) with
//     capacities from each participant's maximum and free slots, costs from the students'
//     rankings, mutual wishes cheaper; declined pairs have no edge;
//  2. when: the meetings are the edges of a bipartite graph, coloured with the slots by the
//     alternating-path method (König: when nobody has more meetings than there are slots,
//     every meeting fits). Arrival and leaving times restrict the colours of each
//     participant; what still does not fit is repaired, dropping as few meetings as it can,
//     and reported.
// Pinned meetings, and meetings in slots already past, are kept as they are.
//
// Pure code: no clock, no I/O. Step 1: LEMON's maximum flow and network simplex.

#include "common/jobdating/model.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace creneau::jobdating {

struct student {
    std::string id;
    std::string name;
    std::vector<std::string> ranking;  // companies wanted, most wanted first
    int max_meetings = 6;
    int first_slot = 0;       // arrives in time for this slot
    int last_slot = 1 << 30;  // leaves after this slot
};

struct company {
    std::string id;
    std::string name;
    std::set<std::string> wants;     // students it wants to meet (a mutual wish is favoured)
    std::set<std::string> declines;  // students it will not meet
    int max_meetings = 1 << 30;
    int tables = 1;  // meetings it holds at once
    int first_slot = 0;
    int last_slot = 1 << 30;
};

struct problem {
    std::vector<student> students;
    std::vector<company> companies;
    int slots = 0;                  // interview slots of the day
    std::set<int> breaks;           // slots with no interview
    std::vector<meeting> pinned;    // kept as they are (their slot included)
    int now_slot = 0;               // slots before this one are past: their meetings are kept
    std::vector<meeting> previous;  // the published timetable, whose past meetings stay
};

struct figures {
    int meetings = 0;
    int upper_bound = 0;  // no timetable has more meetings (the flow's, or the proven bound)
    std::map<int, int> honoured_by_rank;  // rank (1 = first choice) → meetings
    int mutual = 0;
    long rank_cost = 0;  // sum of ranks of the meetings
    std::map<std::string, int> per_company;
    std::map<std::string, int> per_student;
    // How it was built (exact.hpp): by the flow alone, or by the integer programme; whether
    // the most meetings and then the lowest rank cost are proven.
    bool exact = false;
    bool proven = false;
    // Idle slots between a participant's first and last meeting: total, mean over the
    // participants with a meeting, and the worst.
    int idle_total = 0;
    double idle_mean = 0;
    int idle_worst = 0;
    double seconds = 0;  // time the whole build took
};

struct solution {
    std::vector<meeting> meetings;  // sorted by slot, company, table
    std::vector<meeting> dropped;   // chosen by the flow but not placeable (arrival, leaving)
    figures stats;
};

// The rank (1-based) of a company in a student's ranking, or 0 if not ranked.
int rank_of(const student& s, const std::string& company_id);

// Builds the timetable. Never places a participant in two meetings at once, never exceeds
// a maximum or a company's tables, never schedules a declined pair, keeps pinned and past
// meetings.
solution build(const problem& p);

// Only step 1, for tests and benchmarks: the chosen pairs (student, company).
std::vector<std::pair<std::string, std::string>> choose_pairs(const problem& p);

// Cost of one meeting in the flow (lower is better): twice the rank, one less when mutual.
long pair_cost(const student& s, const company& c);

// The slots a participant can use: within its arrival and leaving, not a break, not past.
std::vector<bool> usable_slots(int first, int last, const problem& p);

// Meetings kept as they are: pinned ones, and those of the previous timetable in past slots,
// as far as they can stand together (present participants, real slots and tables, no
// collision).
std::vector<meeting> kept_meetings(const problem& p);

// Whether a participant with no meeting in `slot` (between their first and last) waits
// there: a slot they can use, or one already past that was no break.
bool could_wait(const problem& p, const std::vector<bool>& usable, int slot);

// The meetings of `dropped` whose pair is not in `meetings` (chosen, and still not placed).
std::vector<meeting> still_dropped(const std::vector<meeting>& dropped,
                                   const std::vector<meeting>& meetings);

// A timetable in its order: by slot, company, table, student.
void sort_timetable(std::vector<meeting>& meetings);

// Idle slots of each participant with a meeting: the slots between their first and last
// meeting in which they have none and could (a usable slot, or a past one that was no break).
std::map<std::string, int> idle_slots(const problem& p, const std::vector<meeting>& meetings);

// The figures of a timetable (meetings by rank, mutual wishes, per participant, idle slots).
figures figures_of(const problem& p, const std::vector<meeting>& meetings);

}  // namespace creneau::jobdating
