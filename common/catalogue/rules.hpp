#pragma once
// The catalogue's rules: who may change what (docs/authorisation.md), and what a valid site,
// organisation, resource or tariff grid is; how its facts change the state.

#include "common/catalogue/commands.hpp"
#include "common/facts.hpp"
#include "common/state.hpp"

namespace creneau {

decision decide_command(const state& s, const designate_operator& c, const context& ctx);
decision decide_command(const state& s, const define_site& c, const context& ctx);
decision decide_command(const state& s, const define_organisation& c, const context& ctx);
decision decide_command(const state& s, const define_resource& c, const context& ctx);
decision decide_command(const state& s, const define_tariff_grid& c, const context& ctx);

void apply_fact(state& s, const fact& f, const operator_designated& x);
void apply_fact(state& s, const fact& f, const site_defined& x);
void apply_fact(state& s, const fact& f, const organisation_defined& x);
void apply_fact(state& s, const fact& f, const resource_defined& x);
void apply_fact(state& s, const fact& f, const tariff_grid_defined& x);

}  // namespace creneau
