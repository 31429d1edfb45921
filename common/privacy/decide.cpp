#include "common/access.hpp"
#include "common/accounts/rules.hpp"
#include "common/privacy/rules.hpp"

namespace creneau {

std::string user_subject(const std::string& id) {
    return "user:" + id;
}
std::string registration_subject(const std::string& id) {
    return "registration:" + id;
}
bool erased(const state& s, const std::string& subject) {
    return s.erased.count(subject) > 0;
}

namespace {

// An administrator of the operator who can sign in (an invited one cannot yet).
bool operator_admin(const state& s, const user& u) {
    return u.role == role::admin && u.organisation == s.operator_org && !u.disabled &&
           !u.password_hash.empty();
}

// An account's erasure, and that of the registrations it made: they are theirs too.
void erase_account(const state& s, const std::string& id, const std::string& reason,
                   std::vector<fact_body>& out) {
    out.push_back(personal_data_erased{user_subject(id), reason});
    for (const auto& [rid, r] : s.registrations)
        if (r.user == id && !erased(s, registration_subject(rid)))
            out.push_back(personal_data_erased{registration_subject(rid), reason});
}

decision erase_user(const state& s, const erase_personal_data& c, const context& ctx,
                    const std::string& id) {
    auto it = s.users.find(id);
    if (it == s.users.end())
        return decision::refuse(error::not_found, "no such account", "subject");
    const user& u = it->second;
    const bool self = !ctx.who.system && ctx.who.id == u.id;
    if (!ctx.who.system && !self && !may_manage_users(s, ctx.who, u.organisation))
        return decision::refuse(error::forbidden,
                                "only the account's owner and its organisation's admins erase it");
    if (erased(s, c.subject)) return decision::refuse(error::conflict, "already erased", "subject");
    if (operator_admin(s, u)) {
        int admins = 0;
        for (const auto& [other, v] : s.users) admins += operator_admin(s, v);
        if (admins <= 1)
            return decision::refuse(
                error::conflict, "the operator's last administrator cannot be erased", "subject");
    }
    decision d;
    erase_account(s, u.id, c.reason, d.facts);
    return d;
}

decision erase_registration(const state& s, const erase_personal_data& c, const context& ctx,
                            const std::string& id) {
    auto it = s.registrations.find(id);
    if (it == s.registrations.end())
        return decision::refuse(error::not_found, "no such registration", "subject");
    const registration& r = it->second;
    auto ev = s.events.find(r.event);
    const event* e = ev == s.events.end() ? nullptr : &ev->second;
    const bool by_code = !c.code.empty() && c.code == r.code;
    const bool own = ctx.who.signed_in() && !ctx.who.system && ctx.who.id == r.user;
    if (!ctx.who.system && !by_code && !own && !(e && may_manage_event(ctx.who, *e)))
        return decision::refuse(error::forbidden,
                                "only the registrant and the event's organisers erase it");
    if (erased(s, c.subject)) return decision::refuse(error::conflict, "already erased", "subject");
    return {{personal_data_erased{c.subject, c.reason}}, {}};
}

}  // namespace

instant event_end(const state& s, const event& e) {
    instant end = e.closes;
    for (const auto& id : e.reservations)
        if (auto r = s.reservations.find(id); r != s.reservations.end())
            end = std::max(end, r->second.end);
    if (e.kind == event_kind::job_dating)
        end = std::max(end, e.day_start + minutes(std::int64_t{e.slots} * e.slot_minutes));
    return end;
}

instant registrations_erased_at(const state& s, const event& e) {
    return add_calendar(event_end(s, e), "Europe/Paris", e.retention_months, 0);
}

instant requester_forgotten_at(const reservation& r) {
    return add_calendar(r.end, "Europe/Paris", requester_retention_months, 0);
}

decision decide_command(const state& s, const sweep_retention& c, const context& ctx) {
    if (!ctx.who.system)
        return decision::refuse(error::forbidden, "the retention sweep is the server's");
    decision d;
    auto full = [&] { return d.facts.size() >= c.limit; };
    // Registrations of events past their retention.
    for (const auto& [id, e] : s.events) {
        if (full()) return d;
        if (registrations_erased_at(s, e) > ctx.now) continue;
        for (const auto& [rid, r] : s.registrations)
            if (r.event == id && !erased(s, registration_subject(rid)) && !full())
                d.facts.push_back(personal_data_erased{registration_subject(rid), "retention"});
    }
    // Accounts unused for three years, flagged since the grace period, and kept by nobody.
    // The operator's last administrator is never erased.
    int operator_admins = 0;
    for (const auto& [id, u] : s.users) operator_admins += operator_admin(s, u);
    for (const auto& [id, at] : s.last_active) {
        if (full()) return d;
        auto u = s.users.find(id);
        if (u == s.users.end() || erased(s, user_subject(id)) ||
            ctx.now - at <= inactivity_limit + inactivity_grace)
            continue;
        if (operator_admin(s, u->second) && operator_admins <= 1) continue;
        operator_admins -= operator_admin(s, u->second);
        erase_account(s, id, "inactivity", d.facts);
    }
    // Requesters of reservations long over.
    for (const auto& [id, r] : s.reservations) {
        if (full()) return d;
        if (!r.requester.empty() && requester_forgotten_at(r) <= ctx.now)
            d.facts.push_back(personal_data_erased{"reservation:" + id, "retention"});
    }
    return d;
}

decision decide_command(const state& s, const keep_account& c, const context& ctx) {
    auto u = s.users.find(c.user);
    if (u == s.users.end() || !may_manage_users(s, ctx.who, u->second.organisation))
        return decision::refuse(error::not_found, "no user '" + c.user + "'", "user");
    if (erased(s, user_subject(c.user)))
        return decision::refuse(error::conflict, "this account's data was erased", "user");
    return {{account_kept{c.user}}, {}};
}

decision decide_command(const state& s, const erase_personal_data& c, const context& ctx) {
    if (c.reason != "request" &&
        !(ctx.who.system && (c.reason == "retention" || c.reason == "inactivity")))
        return decision::refuse(error::bad_request, "unknown reason '" + c.reason + "'", "reason");
    if (c.subject.rfind("user:", 0) == 0) return erase_user(s, c, ctx, c.subject.substr(5));
    if (c.subject.rfind("registration:", 0) == 0)
        return erase_registration(s, c, ctx, c.subject.substr(13));
    // A reservation's requester is forgotten by the retention sweep only.
    return decision::refuse(error::bad_request, "a subject is user:ID or registration:ID",
                            "subject");
}

}  // namespace creneau
