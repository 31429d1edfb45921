#pragma once
// The domain's two entry points (docs/architecture.md): `decide` checks a command against
// the state and answers the facts it causes or a refusal; `apply` folds one fact into the
// state. Both only dispatch to the part of the domain the command or fact belongs to, each
// of which declares its rules in its own rules.hpp.

#include "common/commands.hpp"
#include "common/facts.hpp"
#include "common/state.hpp"

namespace creneau {

// Checks a command against the state; never changes it.
decision decide(const state& s, const command& c, const context& ctx);

// Folds one fact into the state. Facts are trusted: they were decided before.
void apply(state& s, const fact& f);

// The state rebuilt from facts.
state replay(const std::vector<fact>& facts);

}  // namespace creneau
