#pragma once
// The rules of an agreement's single window (docs/domain.md, "The single window"): who submits,
// who routes, and how a routed request becomes a reservation request.

#include "common/facts.hpp"
#include "common/state.hpp"
#include "common/window/commands.hpp"

namespace creneau {

decision decide_command(const state& s, const submit_window_request& c, const context& ctx);
decision decide_command(const state& s, const assign_window_request& c, const context& ctx);
decision decide_command(const state& s, const decline_window_request& c, const context& ctx);
decision decide_command(const state& s, const withdraw_window_request& c, const context& ctx);

void apply_fact(state& s, const fact& f, const window_request_submitted& x);
void apply_fact(state& s, const fact& f, const window_request_assigned& x);
void apply_fact(state& s, const fact& f, const window_request_declined& x);
void apply_fact(state& s, const fact& f, const window_request_withdrawn& x);

// Whether a request may be routed now: still in the queue, or routed to a room whose lender
// refused it (the window then routes it again).
bool routable(const state& s, const window_request& w);

}  // namespace creneau
