#include "common/reservations/rules.hpp"

namespace creneau {
namespace {

allowance_counter& counter(state& s, const reservation& r) {
    return s.allowances[counter_key{r.agreement, r.resource, r.year}];
}

quota_counter& quota(state& s, const reservation& r) {
    return s.quotas[counter_key{r.agreement, r.resource, r.year}];
}

// A request not yet decided holds its minutes against its hour quota, as it holds a free
// unit (docs/domain.md, "The MuséoLab"): `sign` is 1 when it is made, -1 when it is decided
// or cancelled.
void hold_minutes(state& s, const reservation& r, int sign) {
    if (r.quote.hours && r.quote.hours->this_minutes > 0)
        quota(s, r).held_minutes += sign * r.quote.hours->this_minutes;
}

void record(reservation& r, const fact& f, const char* action, const std::string& detail = {},
            bool by_system = false) {
    r.history.push_back({f.seq, f.at, by_system ? std::string("system") : f.actor, action, detail});
}

void unlist_waiting(state& s, const reservation& r) {
    auto w = s.room_waiting.find(r.resource);
    if (w == s.room_waiting.end()) return;
    w->second.erase(r.rank);
    if (w->second.empty()) s.room_waiting.erase(w);
}

// A reservation leaves the room's time index or its waiting list, whichever it is on.
void unplace(state& s, const reservation& r) {
    if (r.active()) unindex_reservation(s, r);
    if (r.status == reservation_status::waiting) unlist_waiting(s, r);
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
    const bool waits = r.status == reservation_status::waiting;
    r.status = waits ? reservation_status::waiting : reservation_status::pending;
    r.history.clear();
    record(r, f, waits ? "waiting" : "requested");
    s.reservation_counter += 1;
    if (r.holds_unit) counter(s, r).held += 1;
    hold_minutes(s, r, 1);
    if (waits)
        s.room_waiting[r.resource][r.rank] = r.id;
    else
        index_reservation(s, r);
    s.reservations[r.id] = std::move(r);
}

void apply_fact(state& s, const fact& f, const reservation_approved& x) {
    auto& r = s.reservations.at(x.id);
    r.status = reservation_status::approved;
    r.revision += 1;
    record(r, f, "approved", {}, x.automatic);
    if (r.holds_unit) {
        auto& c = counter(s, r);
        c.held -= 1;
        c.used += 1;
    }
    hold_minutes(s, r, -1);
    if (x.quota_minutes > 0) {
        r.quota_minutes = x.quota_minutes;
        quota(s, r).used_minutes += x.quota_minutes;
    }
}

void apply_fact(state& s, const fact& f, const reservation_promoted& x) {
    auto& r = s.reservations.at(x.id);
    unlist_waiting(s, r);
    r.status = reservation_status::pending;
    r.revision += 1;
    record(r, f, "promoted", {}, true);
    index_reservation(s, r);
}

void apply_fact(state& s, const fact& f, const reservation_requoted& x) {
    auto& r = s.reservations.at(x.id);
    if (r.holds_unit) counter(s, r).held -= 1;
    hold_minutes(s, r, -1);
    r.quote = x.value;
    r.holds_unit = x.holds_unit;
    if (r.holds_unit) counter(s, r).held += 1;
    hold_minutes(s, r, 1);
    r.revision += 1;
    record(r, f, "requoted", {}, true);
}

void apply_fact(state& s, const fact&, const series_requested& x) {
    s.series[x.value.id] = x.value;
}

void apply_fact(state& s, const fact&, const room_waitlist_reordered& x) {
    // The list keeps its ranks, handed out again in the new order.
    auto& list = s.room_waiting[x.resource];
    std::vector<std::int64_t> ranks;
    for (const auto& [rank, id] : list) ranks.push_back(rank);
    list.clear();
    for (std::size_t i = 0; i < x.order.size() && i < ranks.size(); ++i) {
        auto& r = s.reservations.at(x.order[i]);
        r.rank = ranks[i];
        list[r.rank] = r.id;
    }
    if (list.empty()) s.room_waiting.erase(x.resource);
}

void apply_fact(state& s, const fact& f, const reservation_refused& x) {
    auto& r = s.reservations.at(x.id);
    unplace(s, r);
    if (r.holds_unit) counter(s, r).held -= 1;
    hold_minutes(s, r, -1);
    r.status = reservation_status::refused;
    r.reason = x.reason;
    r.revision += 1;
    record(r, f, "refused", x.reason);
}

void apply_fact(state& s, const fact& f, const reservation_cancelled& x) {
    auto& r = s.reservations.at(x.id);
    unplace(s, r);
    if (r.status == reservation_status::pending || r.status == reservation_status::waiting) {
        if (r.holds_unit) counter(s, r).held -= 1;
        hold_minutes(s, r, -1);
    } else if (x.releases) {
        if (r.holds_unit) counter(s, r).used -= 1;
        if (r.quota_minutes > 0) quota(s, r).used_minutes -= r.quota_minutes;
    }
    r.status = reservation_status::cancelled;
    r.reason = x.reason;
    r.revision += 1;
    record(r, f, "cancelled", x.reason);
}

}  // namespace creneau
