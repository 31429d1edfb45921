#include "common/commands.hpp"

#include <algorithm>
#include <cctype>

namespace creneau {
namespace {

struct applier {
    state& s;
    const fact& f;

    void index_add(const reservation& r) {
        const auto& res = s.resources.at(r.resource);
        s.active_by_start[r.resource][r.start - res.setup] = r.id;
    }
    void index_remove(const reservation& r) {
        const auto& res = s.resources.at(r.resource);
        auto idx = s.active_by_start.find(r.resource);
        if (idx == s.active_by_start.end()) return;
        idx->second.erase(r.start - res.setup);
        if (idx->second.empty()) s.active_by_start.erase(idx);
    }
    allowance_counter& counter(const reservation& r) {
        return s.allowances[counter_key{r.agreement, r.resource, r.year}];
    }

    void operator()(const site_defined& x) { s.sites[x.value.id] = x.value; }
    void operator()(const organisation_defined& x) { s.organisations[x.value.id] = x.value; }
    void operator()(const tariff_grid_defined& x) { s.tariffs[x.value.id] = x.value; }
    void operator()(const agreement_defined& x) { s.agreements[x.value.id] = x.value; }

    void operator()(const resource_defined& x) {
        // The index keys hold the set-up buffer: rebuild this resource's index with the new one.
        std::vector<const reservation*> active;
        if (auto idx = s.active_by_start.find(x.value.id); idx != s.active_by_start.end()) {
            for (const auto& [at, id] : idx->second) active.push_back(&s.reservations.at(id));
            s.active_by_start.erase(idx);
        }
        s.resources[x.value.id] = x.value;
        for (const auto* r : active) index_add(*r);
    }

    void operator()(const user_added& x) {
        s.users[x.value.id] = x.value;
        s.user_by_email[email_key(x.value.email)] = x.value.id;
    }

    void record(reservation& r, const char* action, const std::string& detail = {}) {
        r.history.push_back({f.seq, f.at, f.actor, action, detail});
    }

    void operator()(const reservation_requested& x) {
        reservation r = x.value;
        r.status = reservation_status::pending;
        r.history.clear();
        record(r, "requested");
        s.reservation_counter += 1;
        if (r.holds_unit) counter(r).held += 1;
        index_add(r);
        s.reservations[r.id] = std::move(r);
    }

    void operator()(const reservation_approved& x) {
        auto& r = s.reservations.at(x.id);
        r.status = reservation_status::approved;
        r.revision += 1;
        record(r, "approved");
        if (r.holds_unit) {
            auto& c = counter(r);
            c.held -= 1;
            c.used += 1;
        }
        if (x.quota_minutes > 0) {
            r.quota_minutes = x.quota_minutes;
            s.quotas[counter_key{r.agreement, r.resource, r.year}].used_minutes += x.quota_minutes;
        }
    }

    void operator()(const reservation_refused& x) {
        auto& r = s.reservations.at(x.id);
        index_remove(r);
        if (r.holds_unit) counter(r).held -= 1;
        r.status = reservation_status::refused;
        r.reason = x.reason;
        r.revision += 1;
        record(r, "refused", x.reason);
    }

    void operator()(const reservation_cancelled& x) {
        auto& r = s.reservations.at(x.id);
        index_remove(r);
        if (r.status == reservation_status::pending) {
            if (r.holds_unit) counter(r).held -= 1;
        } else if (x.releases) {
            if (r.holds_unit) counter(r).used -= 1;
            if (r.quota_minutes > 0)
                s.quotas[counter_key{r.agreement, r.resource, r.year}].used_minutes -= r.quota_minutes;
        }
        r.status = reservation_status::cancelled;
        r.reason = x.reason;
        r.revision += 1;
        record(r, "cancelled", x.reason);
    }

    void operator()(const session_opened& x) {
        // Expired sessions go when a new one opens: the fold stays a function of the facts.
        std::erase_if(s.sessions, [&](const auto& kv) { return kv.second.expires <= f.at; });
        s.sessions[x.token_hash] = session{x.user, x.expires};
    }

    void operator()(const session_closed& x) { s.sessions.erase(x.token_hash); }

    void operator()(const calendar_feed_issued& x) { s.calendar_feeds[x.organisation] = x.token_hash; }

    void operator()(const operator_designated& x) { s.operator_org = x.organisation; }

    void operator()(const request_recorded& x) {
        // Keys are kept for a day: older ones go when a new one comes, so that the fold stays
        // a function of the facts.
        std::erase_if(s.requests, [&](const auto& kv) { return kv.second.at + std::chrono::hours(24) <= f.at; });
        s.requests[x.key] = request_record{x.fingerprint, f.seq + 1, x.facts, f.at};
    }

    // ---- events ----
    // What a Job Dating timetable is built from changed (set_timetable's `based_on`).
    void touched(const std::string& event_id) { s.event_inputs[event_id] = f.seq; }
    void touched_by(const std::string& registration_id) {
        if (auto r = s.registrations.find(registration_id); r != s.registrations.end()) touched(r->second.event);
    }

    void operator()(const event_defined& x) {
        s.events[x.value.id] = x.value;
        touched(x.value.id);
    }
    void operator()(const registered& x) {
        touched(x.value.event);
        s.registrations[x.value.id] = x.value;
        s.registration_counter += 1;
        if (x.value.status == registration_status::waiting) s.waiting[x.value.event].push_back(x.value.id);
    }
    void drop_waiting(const registration& r) {
        auto& w = s.waiting[r.event];
        w.erase(std::remove(w.begin(), w.end(), r.id), w.end());
    }
    void operator()(const registration_left& x) {
        touched_by(x.id);
        auto& r = s.registrations.at(x.id);
        drop_waiting(r);
        r.status = registration_status::left;
        for (auto& [id, t] : s.teams) std::erase(t.members, x.id);
    }
    void operator()(const registration_promoted& x) {
        touched_by(x.id);
        auto& r = s.registrations.at(x.id);
        drop_waiting(r);
        r.status = registration_status::registered;
    }
    void operator()(const waitlist_reordered& x) { s.waiting[x.event] = x.order; }
    void operator()(const checked_in& x) { s.registrations.at(x.id).status = registration_status::checked_in; }
    void operator()(const participation_changed& x) {
        touched_by(x.id);
        s.registrations.at(x.id).no_show = x.no_show;
    }
    void operator()(const team_created& x) { s.teams[x.value.id] = x.value; }
    void operator()(const team_joined& x) { s.teams.at(x.team).members.push_back(x.registration); }
    void operator()(const team_left& x) { std::erase(s.teams.at(x.team).members, x.registration); }
    void operator()(const team_flagged& x) { s.teams.at(x.team).pepite = x.pepite; }
    void operator()(const timetable_set& x) {
        touched(x.event);
        s.timetables[x.event] = x.value;
    }

    void operator()(const quota_alert_raised& x) {
        s.quotas[counter_key{x.agreement, x.resource, x.year}].alerts.insert(x.threshold);
    }
};

}  // namespace

void apply(state& s, const fact& f) {
    std::visit(applier{s, f}, f.body);
    s.seq = f.seq;
}

state replay(const std::vector<fact>& facts) {
    state s;
    for (const auto& f : facts) apply(s, f);
    return s;
}

}  // namespace creneau
