#pragma once
// Events (DOMAIN.md, "Events"; art. 3): welcome day, Job Dating, Culturathon, talks.
// Registrations up to the capacity, then a waiting list whose first person is promoted
// when a place frees up; check-in by registration code; Culturathon teams; the Job
// Dating timetable. The facts, commands and rules of events, decided and applied like
// the reservations'.

#include "common/jobdating.hpp"
#include "common/model.hpp"

#include <nlohmann/json.hpp>

namespace creneau {

// ---- facts ------------------------------------------------------------------------------

struct event_defined { event value; bool operator==(const event_defined&) const = default; };
struct registered { registration value; bool operator==(const registered&) const = default; };
struct registration_left { std::string id; bool operator==(const registration_left&) const = default; };
// A place freed up: the first person waiting has it now (and is told).
struct registration_promoted { std::string id; bool operator==(const registration_promoted&) const = default; };
struct waitlist_reordered {
    std::string event;
    std::vector<std::string> order;
    bool operator==(const waitlist_reordered&) const = default;
};
struct checked_in { std::string id; bool operator==(const checked_in&) const = default; };
struct participation_changed {
    std::string id;
    bool no_show = false;
    bool operator==(const participation_changed&) const = default;
};
struct team_created { team value; bool operator==(const team_created&) const = default; };
struct team_joined {
    std::string team;
    std::string registration;
    bool operator==(const team_joined&) const = default;
};
struct team_left {
    std::string team;
    std::string registration;
    bool operator==(const team_left&) const = default;
};
struct team_flagged {
    std::string team;
    bool pepite = false;
    bool operator==(const team_flagged&) const = default;
};
struct timetable_set {
    std::string event;
    jd_timetable value;
    bool operator==(const timetable_set&) const = default;
};

// ---- commands ---------------------------------------------------------------------------

struct define_event { event value; };
// `value.id` and `value.code` are chosen by the server; `value.status` by the rules.
struct register_for_event { registration value; };
struct leave_event { std::string event; std::string code; };
struct reorder_waitlist { std::string event; std::vector<std::string> order; };
struct check_in { std::string event; std::string code; };
struct mark_no_show { std::string event; std::string registration; bool no_show = true; };
struct create_team { std::string event; std::string registration_code; std::string name; std::string team_id; std::string team_code; };
struct join_team { std::string event; std::string registration_code; std::string team_code; };
struct leave_team { std::string event; std::string registration_code; };
struct flag_team { std::string team; bool pepite = true; };
// `based_on`: the event's inputs (state::event_inputs) the timetable was built from; a
// timetable built from inputs that have changed since is refused, to be built again.
struct set_timetable { std::string event; jd_timetable value; std::optional<std::int64_t> based_on; };

// ---- JSON -------------------------------------------------------------------------------

nlohmann::json to_json(const event& e);
nlohmann::json to_json(const registration& r);
nlohmann::json to_json(const team& t);
nlohmann::json to_json(const jd_timetable& t);
event event_from_json(const nlohmann::json& j);
registration registration_from_json(const nlohmann::json& j);
team team_from_json(const nlohmann::json& j);
jd_timetable timetable_from_json(const nlohmann::json& j);

// The counts of an event: registered (checked-in included), waiting, checked in.
struct event_counts {
    int registered = 0;
    int waiting = 0;
    int checked_in = 0;
};
event_counts counts_of(const state& s, const std::string& event_id);

// The Job Dating problem of an event as the state holds it: its present participants (no
// no-shows, nobody waiting or gone), their wishes, the day's slots and breaks, the
// previous timetable; `pins` are kept as they are, `removed` pairs never meet again, and
// slots before `now_slot` are past.
jobdating::problem jobdating_problem(const state& s, const event& e, const std::vector<jobdating::meeting>& pins,
                                     const std::set<std::pair<std::string, std::string>>& removed, int now_slot);

// The slot of the Job Dating day under way at `now` (0 before the day, `slots` after it).
int slot_at(const event& e, instant now);
// When a slot of the day starts.
instant slot_start(const event& e, int slot);
// {"registered", "waiting", "checked_in"}.
nlohmann::json to_json(const event_counts& c);

}  // namespace creneau
