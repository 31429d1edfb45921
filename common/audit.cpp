#include "common/audit.hpp"

#include "common/facts.hpp"
#include "common/state.hpp"

#include <optional>

namespace creneau {
namespace {

struct about {
    std::string subject;
    std::string organisation;
};

std::string organisation_of_user(const state& s, const std::string& id) {
    auto u = s.users.find(id);
    return u == s.users.end() ? std::string{} : u->second.organisation;
}

template <class F>
std::optional<about> about_of(const state&, const F&) {
    return std::nullopt;  // not an administrative change
}
std::optional<about> about_of(const state& s, const operator_designated& x) {
    return about{x.organisation, s.operator_org};
}
std::optional<about> about_of(const state&, const site_defined& x) {
    return about{x.value.id, x.value.owner};
}
std::optional<about> about_of(const state& s, const resource_defined& x) {
    return about{x.value.id, s.owner_of(x.value.id)};
}
std::optional<about> about_of(const state&, const organisation_defined& x) {
    return about{x.value.id, x.value.id};
}
std::optional<about> about_of(const state& s, const tariff_grid_defined& x) {
    return about{x.value.id, x.value.owner.empty() ? s.operator_org : x.value.owner};
}
std::optional<about> about_of(const state&, const agreement_defined& x) {
    return about{x.value.id, x.value.provider};
}
std::optional<about> about_of(const state&, const user_added& x) {
    return about{x.value.id, x.value.organisation};
}
std::optional<about> about_of(const state& s, const account_link_issued& x) {
    return about{x.user, organisation_of_user(s, x.user)};
}
std::optional<about> about_of(const state& s, const password_set& x) {
    return about{x.user, organisation_of_user(s, x.user)};
}
std::optional<about> about_of(const state&, const user_changed& x) {
    return about{x.id, x.organisation};
}
// An erasure is seen by the admins of the account's organisation, or of the event's organiser.
std::optional<about> about_of(const state& s, const account_kept& x) {
    return about{x.user, organisation_of_user(s, x.user)};
}
std::optional<about> about_of(const state& s, const personal_data_erased& x) {
    if (x.subject.rfind("reservation:", 0) == 0) {
        auto r = s.reservations.find(x.subject.substr(12));
        return about{x.subject, r == s.reservations.end() ? std::string{} : r->second.organisation};
    }
    if (x.subject.rfind("user:", 0) == 0)
        return about{x.subject, organisation_of_user(s, x.subject.substr(5))};
    auto r = s.registrations.find(x.subject.substr(x.subject.find(':') + 1));
    auto e = r == s.registrations.end() ? s.events.end() : s.events.find(r->second.event);
    return about{x.subject, e == s.events.end() ? std::string{} : e->second.organiser};
}
std::optional<about> about_of(const state&, const calendar_feed_issued& x) {
    return about{x.organisation, x.organisation};
}

}  // namespace

void audit_fact(state& s, const fact& f) {
    auto a = std::visit([&](const auto& x) { return about_of(s, x); }, f.body);
    if (a)
        s.audit.push_back(
            {f.seq, f.at, f.actor, std::string(type_of(f.body)), a->subject, a->organisation});
}

}  // namespace creneau
