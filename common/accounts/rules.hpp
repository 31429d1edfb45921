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
decision decide_command(const state& s, const invite_user& c, const context& ctx);
decision decide_command(const state& s, const issue_password_reset& c, const context& ctx);
decision decide_command(const state& s, const set_password& c, const context& ctx);
decision decide_command(const state& s, const change_user& c, const context& ctx);
decision decide_command(const state& s, const set_preferences& c, const context& ctx);

void apply_fact(state& s, const fact& f, const user_added& x);
void apply_fact(state& s, const fact& f, const session_opened& x);
void apply_fact(state& s, const fact& f, const session_closed& x);
void apply_fact(state& s, const fact& f, const calendar_feed_issued& x);
void apply_fact(state& s, const fact& f, const account_link_issued& x);
void apply_fact(state& s, const fact& f, const password_set& x);
void apply_fact(state& s, const fact& f, const user_changed& x);
void apply_fact(state& s, const fact& f, const preferences_set& x);

// The kinds of notification a user may turn off (docs/notifications.md); invitations and
// resets are always sent.
inline constexpr std::string_view optional_notifications[] = {"request-new", "request-decided",
                                                              "quota-alert"};

// An account neither made nor signed into for three years is flagged to the admins of its
// organisation (docs/privacy.md): they keep it, or have it erased.
inline constexpr auto inactivity_limit = std::chrono::days(3 * 365 + 1);
bool long_inactive(const state& s, const std::string& user, instant now);

// Whether the instance has an administrator of its operator who can sign in (first run:
// none yet).
bool has_operator_admin(const state& s);

}  // namespace creneau
