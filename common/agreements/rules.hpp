#pragma once
// The agreements' rules: who may define one (its provider, docs/authorisation.md), what a
// valid one is, and how its facts change the state.

#include "common/agreements/commands.hpp"
#include "common/facts.hpp"
#include "common/state.hpp"

namespace creneau {

decision decide_command(const state& s, const define_agreement& c, const context& ctx);

void apply_fact(state& s, const fact& f, const agreement_defined& x);
void apply_fact(state& s, const fact& f, const quota_alert_raised& x);

}  // namespace creneau
