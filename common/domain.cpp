#include "common/domain.hpp"

#include "common/accounts/rules.hpp"
#include "common/agreements/rules.hpp"
#include "common/catalogue/rules.hpp"
#include "common/events/rules.hpp"
#include "common/jobdating/rules.hpp"
#include "common/privacy/rules.hpp"
#include "common/reservations/rules.hpp"
#include "common/window/rules.hpp"

namespace creneau {

decision decide(const state& s, const command& c, const context& ctx) {
    return std::visit([&](const auto& cmd) { return decide_command(s, cmd, ctx); }, c);
}

void apply(state& s, const fact& f) {
    std::visit([&](const auto& x) { apply_fact(s, f, x); }, f.body);
    audit_fact(s, f);
    s.seq = f.seq;
}

state replay(const std::vector<fact>& facts) {
    state s;
    for (const auto& f : facts) apply(s, f);
    return s;
}

// Keys are kept for a day: older ones go when a new one comes, so that the fold stays a
// function of the facts (and a lookup ignores one older than a day that is still there).
void apply_fact(state& s, const fact& f, const request_recorded& x) {
    std::erase_if(s.requests, [&](const auto& kv) { return !kv.second.kept_at(f.at); });
    s.requests[x.key] = request_record{x.fingerprint, f.seq + 1, x.facts, f.at};
}

}  // namespace creneau
