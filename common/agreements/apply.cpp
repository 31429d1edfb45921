#include "common/agreements/rules.hpp"

namespace creneau {

void apply_fact(state& s, const fact&, const agreement_defined& x) {
    s.agreements[x.value.id] = x.value;
}

void apply_fact(state& s, const fact&, const quota_alert_raised& x) {
    s.quotas[counter_key{x.agreement, x.resource, x.year}].alerts.insert(x.threshold);
}

}  // namespace creneau
