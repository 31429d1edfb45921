#pragma once
// The rules of accounts, sessions and feeds (docs/authorisation.md).

#include "common/accounts/commands.hpp"
#include "common/facts.hpp"
#include "common/state.hpp"

namespace creneau {

decision decide_command(const state& s, const add_user& c, const context& ctx);
decision decide_command(const state& s, const open_session& c, const context& ctx);
decision decide_command(const state& s, const close_session& c, const context& ctx);
decision decide_command(const state& s, const issue_calendar_feed& c, const context& ctx);

void apply_fact(state& s, const fact& f, const user_added& x);
void apply_fact(state& s, const fact& f, const session_opened& x);
void apply_fact(state& s, const fact& f, const session_closed& x);
void apply_fact(state& s, const fact& f, const calendar_feed_issued& x);

}  // namespace creneau
