#pragma once
// The rules of events (art. 3; docs/domain.md, "Events"): registrations up to the capacity,
// then a waiting list whose first person is promoted when a place frees up; check-in by
// code; Culturathon teams. Who may do what is docs/authorisation.md.

#include "common/events/commands.hpp"
#include "common/facts.hpp"
#include "common/state.hpp"

namespace creneau {

decision decide_command(const state& s, const define_event& c, const context& ctx);
decision decide_command(const state& s, const register_for_event& c, const context& ctx);
decision decide_command(const state& s, const update_wishes& c, const context& ctx);
decision decide_command(const state& s, const leave_event& c, const context& ctx);
// A registration's mail is sent again at most this many times per address and event, at its
// registrant's request.
inline constexpr int max_resends = 3;
decision decide_command(const state& s, const resend_registration& c, const context& ctx);
decision decide_command(const state& s, const reorder_waitlist& c, const context& ctx);
decision decide_command(const state& s, const check_in& c, const context& ctx);
decision decide_command(const state& s, const mark_no_show& c, const context& ctx);
decision decide_command(const state& s, const create_team& c, const context& ctx);
decision decide_command(const state& s, const join_team& c, const context& ctx);
decision decide_command(const state& s, const leave_team& c, const context& ctx);
decision decide_command(const state& s, const flag_team& c, const context& ctx);

void apply_fact(state& s, const fact& f, const event_defined& x);
void apply_fact(state& s, const fact& f, const registered& x);
void apply_fact(state& s, const fact& f, const wishes_changed& x);
void apply_fact(state& s, const fact& f, const registration_left& x);
void apply_fact(state& s, const fact& f, const registration_resent& x);
void apply_fact(state& s, const fact& f, const registration_promoted& x);
void apply_fact(state& s, const fact& f, const waitlist_reordered& x);
void apply_fact(state& s, const fact& f, const checked_in& x);
void apply_fact(state& s, const fact& f, const participation_changed& x);
void apply_fact(state& s, const fact& f, const team_created& x);
void apply_fact(state& s, const fact& f, const team_joined& x);
void apply_fact(state& s, const fact& f, const team_left& x);
void apply_fact(state& s, const fact& f, const team_flagged& x);

// What a Job Dating timetable is built from changed (set_timetable's `based_on`).
void touch_event_inputs(state& s, const fact& f, const std::string& event_id);

}  // namespace creneau
