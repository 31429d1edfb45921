#include "common/reservations/rules.hpp"

namespace creneau {
namespace {

allowance_counter& counter(state& s, const reservation& r) {
    return s.allowances[counter_key{r.agreement, r.resource, r.year}];
}

void record(reservation& r, const fact& f, const char* action, const std::string& detail = {}) {
    r.history.push_back({f.seq, f.at, f.actor, action, detail});
}

}  // namespace

void index_reservation(state& s, const reservation& r) {
    const auto& res = s.resources.at(r.resource);
    s.active_by_start[r.resource][r.start - res.setup_minutes] = r.id;
}

void unindex_reservation(state& s, const reservation& r) {
    const auto& res = s.resources.at(r.resource);
    auto idx = s.active_by_start.find(r.resource);
    if (idx == s.active_by_start.end()) return;
    idx->second.erase(r.start - res.setup_minutes);
    if (idx->second.empty()) s.active_by_start.erase(idx);
}

void apply_fact(state& s, const fact& f, const reservation_requested& x) {
    reservation r = x.value;
    r.status = reservation_status::pending;
    r.history.clear();
    record(r, f, "requested");
    s.reservation_counter += 1;
    if (r.holds_unit) counter(s, r).held += 1;
    index_reservation(s, r);
    s.reservations[r.id] = std::move(r);
}

void apply_fact(state& s, const fact& f, const reservation_approved& x) {
    auto& r = s.reservations.at(x.id);
    r.status = reservation_status::approved;
    r.revision += 1;
    record(r, f, "approved");
    if (r.holds_unit) {
        auto& c = counter(s, r);
        c.held -= 1;
        c.used += 1;
    }
    if (x.quota_minutes > 0) {
        r.quota_minutes = x.quota_minutes;
        s.quotas[counter_key{r.agreement, r.resource, r.year}].used_minutes += x.quota_minutes;
    }
}

void apply_fact(state& s, const fact& f, const reservation_refused& x) {
    auto& r = s.reservations.at(x.id);
    unindex_reservation(s, r);
    if (r.holds_unit) counter(s, r).held -= 1;
    r.status = reservation_status::refused;
    r.reason = x.reason;
    r.revision += 1;
    record(r, f, "refused", x.reason);
}

void apply_fact(state& s, const fact& f, const reservation_cancelled& x) {
    auto& r = s.reservations.at(x.id);
    unindex_reservation(s, r);
    if (r.status == reservation_status::pending) {
        if (r.holds_unit) counter(s, r).held -= 1;
    } else if (x.releases) {
        if (r.holds_unit) counter(s, r).used -= 1;
        if (r.quota_minutes > 0)
            s.quotas[counter_key{r.agreement, r.resource, r.year}].used_minutes -= r.quota_minutes;
    }
    r.status = reservation_status::cancelled;
    r.reason = x.reason;
    r.revision += 1;
    record(r, f, "cancelled", x.reason);
}

}  // namespace creneau
