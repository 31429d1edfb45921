#pragma once
// The rules of reservations (art. 6 of the Artois–LLV agreement, docs/domain.md):
// who may request, decide and cancel (docs/authorisation.md), what a valid request is, and
// how their facts change the state and its counters.

#include "common/facts.hpp"
#include "common/reservations/commands.hpp"
#include "common/state.hpp"

namespace creneau {

decision decide_command(const state& s, const request_reservation& c, const context& ctx);
decision decide_command(const state& s, const approve_reservation& c, const context& ctx);
decision decide_command(const state& s, const refuse_reservation& c, const context& ctx);
decision decide_command(const state& s, const cancel_reservation& c, const context& ctx);
decision decide_command(const state& s, const reorder_room_waitlist& c, const context& ctx);
decision decide_command(const state& s, const expire_waiting& c, const context& ctx);
decision decide_command(const state& s, const request_series& c, const context& ctx);

// Once the facts `out` (decided on `s`) give free units or quota minutes back, or raise an
// agreement's allowance, the requests not yet decided that were billed for lack of them are
// quoted again: their `reservation-requoted` facts are appended to `out` (docs/domain.md,
// "Quotes of requests not yet decided").
void requotes(const state& s, const context& ctx, std::vector<fact_body>& out);
// A request that leaves less notice than agreement `a` asks for.
decision notice_refusal(const agreement& a);

// A request for an organisation routed by agreement `window`'s single window: decided by every
// rule of a request, for `requester` (its reservation's requester), under that agreement only.
decision request_through_window(const state& s, const request_reservation& c, const context& ctx,
                                const actor& requester, const agreement& window);

void apply_fact(state& s, const fact& f, const reservation_requested& x);
void apply_fact(state& s, const fact& f, const reservation_approved& x);
void apply_fact(state& s, const fact& f, const reservation_refused& x);
void apply_fact(state& s, const fact& f, const reservation_cancelled& x);
void apply_fact(state& s, const fact& f, const reservation_promoted& x);
void apply_fact(state& s, const fact& f, const reservation_requoted& x);
void apply_fact(state& s, const fact& f, const room_waitlist_reordered& x);
void apply_fact(state& s, const fact& f, const series_requested& x);

// The time index (state::active_by_start): an active reservation goes in, an ended one out.
void index_reservation(state& s, const reservation& r);
void unindex_reservation(state& s, const reservation& r);

}  // namespace creneau
