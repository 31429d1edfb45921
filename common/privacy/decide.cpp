#include "common/access.hpp"
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

bool operator_admin(const state& s, const user& u) {
    return u.role == role::admin && u.organisation == s.operator_org && !u.disabled;
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
    d.facts.push_back(personal_data_erased{c.subject, c.reason});
    // What the account registered for is theirs too.
    for (const auto& [rid, r] : s.registrations)
        if (r.user == u.id && !erased(s, registration_subject(rid)))
            d.facts.push_back(personal_data_erased{registration_subject(rid), c.reason});
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
    const bool own = !ctx.who.system && !r.user.empty() && ctx.who.id == r.user;
    if (!ctx.who.system && !by_code && !own && !(e && may_manage_event(ctx.who, *e)))
        return decision::refuse(error::forbidden,
                                "only the registrant and the event's organisers erase it");
    if (erased(s, c.subject)) return decision::refuse(error::conflict, "already erased", "subject");
    return {{personal_data_erased{c.subject, c.reason}}, {}};
}

}  // namespace

decision decide_command(const state& s, const erase_personal_data& c, const context& ctx) {
    if (c.reason != "request" &&
        !(ctx.who.system && (c.reason == "retention" || c.reason == "inactivity")))
        return decision::refuse(error::bad_request, "unknown reason '" + c.reason + "'", "reason");
    if (c.subject.rfind("user:", 0) == 0) return erase_user(s, c, ctx, c.subject.substr(5));
    if (c.subject.rfind("registration:", 0) == 0)
        return erase_registration(s, c, ctx, c.subject.substr(13));
    return decision::refuse(error::bad_request, "a subject is user:ID or registration:ID",
                            "subject");
}

}  // namespace creneau
