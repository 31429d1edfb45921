#include "common/access.hpp"

#include <algorithm>

namespace creneau {
namespace {

bool listed(const std::vector<std::string>& orgs, const std::string& org) {
    return !org.empty() && std::find(orgs.begin(), orgs.end(), org) != orgs.end();
}

}  // namespace

bool audience::admits(const actor& a) const {
    if (a.system) return true;
    if (!a.signed_in()) return false;
    if (listed(members, a.organisation)) return true;
    if ((a.user_role == role::organiser || a.user_role == role::admin) &&
        listed(organisers, a.organisation))
        return true;
    return a.user_role == role::admin && listed(admins, a.organisation);
}

audience reservation_audience(const state& s, const reservation& r) {
    return {{r.organisation}, {}, {s.owner_of(r.resource)}};
}

audience event_audience(const event& e) {
    return {{}, {e.organiser}, {}};
}

audience event_readers(const event& e) {
    return {e.organisations, {e.organiser}, {}};
}

bool is_operator(const state& s, const actor& a) {
    return a.system || (a.user_role == role::admin && !s.operator_org.empty() &&
                        a.organisation == s.operator_org);
}

bool is_admin_of(const actor& a, const std::string& organisation) {
    return a.system ||
           (a.user_role == role::admin && !organisation.empty() && a.organisation == organisation);
}

bool may_act_for(const actor& a, const std::string& organisation) {
    return a.system || (!organisation.empty() && a.organisation == organisation);
}

bool may_see(const state& s, const actor& a, const reservation& r) {
    return reservation_audience(s, r).admits(a);
}

bool may_decide(const state& s, const actor& a, const reservation& r) {
    // Art. 6: the lender approves ("LLV ne sera jamais tenu d'accepter une réservation").
    return is_admin_of(a, s.owner_of(r.resource));
}

bool may_cancel(const state& s, const actor& a, const reservation& r) {
    return may_act_for(a, r.organisation) || may_decide(s, a, r);
}

bool may_run_window(const actor& a, const agreement& g) {
    return !g.window_operator.empty() && is_admin_of(a, g.window_operator);
}

audience window_audience(const state& s, const window_request& w) {
    auto g = s.agreements.find(w.agreement);
    std::string op = g == s.agreements.end() ? std::string{} : g->second.window_operator;
    return {{w.organisation}, {}, {op}};
}

bool may_see_window_request(const state& s, const actor& a, const window_request& w) {
    return window_audience(s, w).admits(a);
}

bool may_submit_to_window(const state& s, const std::string& org, const agreement& g) {
    auto o = s.organisations.find(org);
    if (g.window_operator.empty() || o == s.organisations.end()) return false;
    const auto& by = o->second.accredited_by;
    return o->second.category == member_category::student_association && !by.empty() &&
           (by == g.provider || by == g.beneficiary);
}

bool may_manage_catalogue(const state& s, const actor& a) {
    return is_operator(s, a);
}

bool may_manage_site_resources(const state& s, const actor& a, const std::string& site_id) {
    if (is_operator(s, a)) return true;
    auto site = s.sites.find(site_id);
    return site != s.sites.end() && is_admin_of(a, site->second.owner);
}

std::string owner_of(const state& s, const tariff_grid& g) {
    return g.owner.empty() ? s.operator_org : g.owner;
}

bool may_manage_grid(const state& s, const actor& a, const tariff_grid& g) {
    return is_operator(s, a) || is_admin_of(a, owner_of(s, g));
}

bool may_manage_agreement(const state& s, const actor& a, const agreement* old,
                          const agreement& now) {
    if (is_operator(s, a)) return true;
    // A party that lends under it: the provider, or either party of a reciprocal agreement.
    auto lends = [&](const agreement& g) {
        return is_admin_of(a, g.provider) || (g.reciprocal && is_admin_of(a, g.beneficiary));
    };
    if (!lends(now) || (old && !lends(*old))) return false;
    // Who runs the single window, and whether a reciprocal agreement's requests need approval,
    // bind both parties: the operator's to set.
    if (old ? old->window_operator != now.window_operator : !now.window_operator.empty())
        return false;
    if (old && old->reciprocal && old->approval_required != now.approval_required) return false;
    // An agreement binds the rooms of its lenders: a party never makes another organisation
    // a lender. The parties and reciprocity of a stored agreement stay; a new reciprocal
    // agreement (which binds both) is the operator's to make.
    if (old) {
        if (old->provider != now.provider || old->beneficiary != now.beneficiary ||
            old->reciprocal != now.reciprocal)
            return false;
    } else if (now.reciprocal) {
        return false;
    }
    // Terms are set by the owner of each room: another organisation's stay as they were.
    auto terms_of = [](const agreement* g, const std::string& r) -> const resource_terms* {
        if (!g) return nullptr;
        auto it = g->resources.find(r);
        return it == g->resources.end() ? nullptr : &it->second;
    };
    auto unchanged = [&](const std::string& r) {
        const auto* before = terms_of(old, r);
        const auto* after = terms_of(&now, r);
        return (!before && !after) || (before && after && *before == *after);
    };
    for (const auto& [r, terms] : now.resources)
        if (!is_admin_of(a, s.owner_of(r)) && !unchanged(r)) return false;
    if (old)
        for (const auto& [r, terms] : old->resources)
            if (!is_admin_of(a, s.owner_of(r)) && !unchanged(r)) return false;
    return true;
}

bool may_see_agreement(const state& s, const actor& a, const agreement& g) {
    return is_operator(s, a) || may_act_for(a, g.provider) || may_act_for(a, g.beneficiary);
}

bool may_manage_users(const state& s, const actor& a, const std::string& organisation) {
    return is_operator(s, a) || is_admin_of(a, organisation);
}

bool may_issue_feed(const actor& a, const std::string& organisation) {
    return may_act_for(a, organisation);
}

bool may_create_event(const actor& a) {
    return a.system ||
           (a.signed_in() && (a.user_role == role::organiser || a.user_role == role::admin));
}

bool may_manage_event(const actor& a, const event& e) {
    return event_audience(e).admits(a);
}

bool may_see_event(const actor& a, const event& e) {
    return !e.restricted || event_readers(e).admits(a);
}

bool may_register(const actor& a, const event& e) {
    return may_see_event(a, e);  // whoever may see an event may register for it
}

}  // namespace creneau
