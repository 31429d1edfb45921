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

decision decide_command(const state& s, const erase_personal_data& c, const context& ctx);
void apply_fact(state& s, const fact& f, const personal_data_erased& x);

}  // namespace creneau
