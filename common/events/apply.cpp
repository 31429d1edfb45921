#include "common/events/queries.hpp"
#include "common/events/rules.hpp"

#include <algorithm>

namespace creneau {
namespace {

void touched_by(state& s, const fact& f, const std::string& registration_id) {
    if (auto r = s.registrations.find(registration_id); r != s.registrations.end())
        touch_event_inputs(s, f, r->second.event);
}

void drop_waiting(state& s, const registration& r) {
    auto& w = s.waiting[r.event];
    w.erase(std::remove(w.begin(), w.end(), r.id), w.end());
}

}  // namespace

void touch_event_inputs(state& s, const fact& f, const std::string& event_id) {
    s.event_inputs[event_id] = f.seq;
}

void apply_fact(state& s, const fact& f, const event_defined& x) {
    s.events[x.value.id] = x.value;
    touch_event_inputs(s, f, x.value.id);
}

void apply_fact(state& s, const fact& f, const registered& x) {
    touch_event_inputs(s, f, x.value.event);
    s.registrations[x.value.id] = x.value;
    s.registration_counter += 1;
    if (x.value.status == registration_status::waiting)
        s.waiting[x.value.event].push_back(x.value.id);
}

void apply_fact(state& s, const fact& f, const wishes_changed& x) {
    touched_by(s, f, x.id);
    set_wishes(s.registrations.at(x.id), x.value);
}

void apply_fact(state& s, const fact& f, const registration_left& x) {
    touched_by(s, f, x.id);
    auto& r = s.registrations.at(x.id);
    drop_waiting(s, r);
    r.status = registration_status::left;
    for (auto& [id, t] : s.teams) std::erase(t.members, x.id);
}

void apply_fact(state& s, const fact&, const registration_resent& x) {
    ++s.resent[x.id];
}

void apply_fact(state& s, const fact& f, const registration_promoted& x) {
    touched_by(s, f, x.id);
    auto& r = s.registrations.at(x.id);
    drop_waiting(s, r);
    r.status = registration_status::registered;
}

void apply_fact(state& s, const fact&, const waitlist_reordered& x) {
    s.waiting[x.event] = x.order;
}

// One marked a no-show who then arrives is no longer one (docs/domain.md, "Events").
void apply_fact(state& s, const fact&, const checked_in& x) {
    auto& r = s.registrations.at(x.id);
    r.status = registration_status::checked_in;
    r.no_show = false;
}

void apply_fact(state& s, const fact& f, const participation_changed& x) {
    touched_by(s, f, x.id);
    s.registrations.at(x.id).no_show = x.no_show;
}

void apply_fact(state& s, const fact&, const team_created& x) {
    s.teams[x.value.id] = x.value;
}
void apply_fact(state& s, const fact&, const team_joined& x) {
    s.teams.at(x.team).members.push_back(x.registration);
}
void apply_fact(state& s, const fact&, const team_left& x) {
    std::erase(s.teams.at(x.team).members, x.registration);
}
void apply_fact(state& s, const fact&, const team_flagged& x) {
    s.teams.at(x.team).pepite = x.pepite;
}

}  // namespace creneau
