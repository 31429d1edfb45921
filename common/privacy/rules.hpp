#pragma once
// The rules of erasure (docs/privacy.md, "Erasure").

#include "common/facts.hpp"
#include "common/privacy/commands.hpp"
#include "common/state.hpp"

namespace creneau {

// What an erased name reads as, everywhere: the state, the API, exports, the live channel.
// An erased e-mail is empty, erased answers are none.
inline constexpr std::string_view erased_name = "—";

// The subjects of erasure, and their keys in the journal (server/journal/vault.hpp).
std::string user_subject(const std::string& id);
std::string registration_subject(const std::string& id);
bool erased(const state& s, const std::string& subject);

// Retention (docs/privacy.md, "Retention"). An event ends when the last of its registration
// window, its rooms' bookings and its Job Dating day does; its registrations are erased
// `retention_months` after. An account flagged as unused (accounts/rules.hpp) is erased after
// a grace period unless an administrator keeps it. A reservation loses its requester two
// years after it ends; its organisation, room, period and quote stay for billing.
instant event_end(const state& s, const event& e);
instant registrations_erased_at(const state& s, const event& e);
inline constexpr auto inactivity_grace = std::chrono::days(60);
inline constexpr int requester_retention_months = 24;
instant requester_forgotten_at(const reservation& r);

decision decide_command(const state& s, const erase_personal_data& c, const context& ctx);
decision decide_command(const state& s, const sweep_retention& c, const context& ctx);
decision decide_command(const state& s, const keep_account& c, const context& ctx);
void apply_fact(state& s, const fact& f, const personal_data_erased& x);
void apply_fact(state& s, const fact& f, const account_kept& x);

}  // namespace creneau
