#include "common/catalogue/rules.hpp"
#include "common/reservations/rules.hpp"

namespace creneau {

void apply_fact(state& s, const fact&, const operator_designated& x) {
    s.operator_org = x.organisation;
}
void apply_fact(state& s, const fact&, const site_defined& x) {
    s.sites[x.value.id] = x.value;
}
void apply_fact(state& s, const fact&, const organisation_defined& x) {
    s.organisations[x.value.id] = x.value;
}
void apply_fact(state& s, const fact&, const tariff_grid_defined& x) {
    s.tariffs[x.value.id] = x.value;
}

void apply_fact(state& s, const fact&, const resource_defined& x) {
    // The time index's keys hold the set-up buffer: this resource's index is rebuilt with the new
    // one.
    std::vector<const reservation*> active;
    if (auto idx = s.active_by_start.find(x.value.id); idx != s.active_by_start.end()) {
        for (const auto& [at, id] : idx->second) active.push_back(&s.reservations.at(id));
        s.active_by_start.erase(idx);
    }
    s.resources[x.value.id] = x.value;
    for (const auto* r : active) index_reservation(s, *r);
}

}  // namespace creneau
