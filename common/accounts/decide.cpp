#include "common/access.hpp"
#include "common/accounts/rules.hpp"

namespace creneau {

namespace {

// A new account's fields: an id, a valid e-mail, a name, a known organisation, then an
// e-mail nobody has (checked last, so that a refusal tells nothing of other accounts unless
// the request was otherwise valid).
std::optional<decision> check_new_user(const state& s, const user& v) {
    if (!valid_id(v.id)) return decision::refuse(error::bad_request, "a user needs an id", "id");
    if (s.users.count(v.id)) return decision::refuse(error::exists, "user id already in use", "id");
    if (!valid_email(v.email))
        return decision::refuse(error::bad_request, "invalid email address", "email");
    if (!valid_name(v.name))
        return decision::refuse(error::bad_request,
                                "a user needs a name of at most 200 characters, without control "
                                "or invisible characters",
                                "name");
    if (!s.organisations.count(v.organisation))
        return decision::refuse(error::not_found, "unknown organisation '" + v.organisation + "'",
                                "organisation");
    if (s.user_by_email.count(email_key(v.email)))
        return decision::refuse(error::exists, "a user with this email exists", "email");
    return std::nullopt;
}

const user* find_user(const state& s, const std::string& id) {
    auto it = s.users.find(id);
    return it == s.users.end() ? nullptr : &it->second;
}

bool operator_admin(const state& s, role r, const std::string& org, bool disabled) {
    return r == role::admin && org == s.operator_org && !disabled;
}

// How many admins of the operator would remain if `after` applied.
int operator_admins_after(const state& s, const user_changed& after) {
    int n = 0;
    for (const auto& [id, u] : s.users)
        n += id == after.id ? operator_admin(s, after.role, after.organisation, after.disabled)
                            : operator_admin(s, u.role, u.organisation, u.disabled);
    return n;
}

}  // namespace

bool has_operator_admin(const state& s) {
    for (const auto& [id, u] : s.users)
        if (operator_admin(s, u.role, u.organisation, u.disabled) && !u.password_hash.empty())
            return true;
    return false;
}

decision decide_command(const state& s, const invite_user& c, const context& ctx) {
    if (!may_manage_users(s, ctx.who, c.value.organisation))
        return decision::refuse(error::forbidden,
                                "only the administrators of its organisation invite its people",
                                "organisation");
    if (auto no = check_new_user(s, c.value)) return *no;
    if (c.token_hash.empty() || c.expires <= ctx.now)
        return decision::refuse(error::bad_request,
                                "an invitation needs a token and a future expiry");
    auto u = c.value;
    u.password_hash.clear();
    u.disabled = false;
    return {{user_added{u}, account_link_issued{u.id, c.token_hash, link_purpose::invitation,
                                                c.expires, c.sealed_token}},
            {}};
}

decision decide_command(const state& s, const issue_password_reset& c, const context& ctx) {
    const user* u = find_user(s, c.user);
    if (!u || !may_manage_users(s, ctx.who, u->organisation))
        return decision::refuse(error::not_found, "no user '" + c.user + "'", "user");
    if (u->disabled)
        return decision::refuse(error::conflict, "this account is disabled: enable it first",
                                "user");
    if (c.token_hash.empty() || c.expires <= ctx.now)
        return decision::refuse(error::bad_request, "a link needs a token and a future expiry");
    // An invited person who has not chosen a password yet gets a new invitation.
    auto purpose = u->password_hash.empty() ? link_purpose::invitation : link_purpose::reset;
    return {{account_link_issued{u->id, c.token_hash, purpose, c.expires, c.sealed_token}}, {}};
}

decision decide_command(const state& s, const set_password& c, const context& ctx) {
    if (c.password_hash.empty())
        return decision::refuse(error::bad_request, "a password is needed", "password");
    if (!c.token_hash.empty()) {
        // Through a one-time link: whoever holds it (the server decides it), until it expires.
        auto link = s.account_links.find(c.token_hash);
        const user* u = link == s.account_links.end() ? nullptr : find_user(s, link->second.user);
        if (!ctx.who.system || !u || u->disabled || link->second.expires <= ctx.now)
            return decision::refuse(error::not_found, "this link is unknown, used or expired",
                                    "token");
        return {{password_set{u->id, c.password_hash, c.token_hash, ""}}, {}};
    }
    const user* u = find_user(s, c.user);
    if (!u || (!ctx.who.system && ctx.who.id != u->id))
        return decision::refuse(error::forbidden, "a password is changed by its own user", "user");
    return {{password_set{u->id, c.password_hash, "", c.kept_session}}, {}};
}

decision decide_command(const state& s, const change_user& asked, const context& ctx) {
    const user* u = find_user(s, asked.id);
    if (!u || !may_manage_users(s, ctx.who, u->organisation))
        return decision::refuse(error::not_found, "no user '" + asked.id + "'", "id");
    if (s.erased.count("user:" + u->id))
        return decision::refuse(error::conflict, "this account's data was erased", "id");
    struct {
        std::string id, name;
        creneau::role role;
        std::string organisation;
        bool disabled;
    } const c{asked.id, asked.name.value_or(u->name), asked.role.value_or(u->role),
              asked.organisation.value_or(u->organisation), asked.disabled.value_or(u->disabled)};
    if (!s.organisations.count(c.organisation))
        return decision::refuse(error::not_found, "unknown organisation '" + c.organisation + "'",
                                "organisation");
    if (!may_manage_users(s, ctx.who, c.organisation))
        return decision::refuse(error::forbidden,
                                "only the operator moves people between organisations",
                                "organisation");
    if (!valid_name(c.name))
        return decision::refuse(error::bad_request,
                                "a user needs a name of at most 200 characters, without control "
                                "or invisible characters",
                                "name");
    if (!ctx.who.system && ctx.who.id == c.id &&
        (c.disabled || c.role != u->role || c.organisation != u->organisation))
        return decision::refuse(error::conflict,
                                "you cannot disable yourself or change your own role", "role");
    user_changed after{c.id, c.name, c.role, c.organisation, c.disabled};
    if (operator_admin(s, u->role, u->organisation, u->disabled) &&
        operator_admins_after(s, after) == 0)
        return decision::refuse(error::conflict, "the operator must keep one administrator",
                                "role");
    return {{after}, {}};
}

decision decide_command(const state& s, const set_preferences& c, const context& ctx) {
    const user* u = find_user(s, c.user);
    if (!u || (!ctx.who.system && ctx.who.id != u->id))
        return decision::refuse(error::forbidden, "preferences are chosen by their own user",
                                "user");
    if (c.lang != "fr" && c.lang != "en")
        return decision::refuse(error::bad_request, "the language is fr or en", "lang");
    std::vector<std::string> muted;
    for (const auto& kind : c.muted) {
        if (std::find(std::begin(optional_notifications), std::end(optional_notifications), kind) ==
            std::end(optional_notifications))
            return decision::refuse(error::bad_request,
                                    "unknown or mandatory notification '" + kind + "'", "muted");
        if (std::find(muted.begin(), muted.end(), kind) == muted.end()) muted.push_back(kind);
    }
    std::sort(muted.begin(), muted.end());
    return {{preferences_set{u->id, c.lang, muted, c.copies}}, {}};
}

decision decide_command(const state& s, const add_user& c, const context& ctx) {
    const auto& v = c.value;
    if (!may_manage_users(s, ctx.who, v.organisation))
        return decision::refuse(
            error::forbidden, "only the administrators of its owner organisation add its accounts");
    if (auto no = check_new_user(s, v)) return *no;
    if (v.password_hash.empty())
        return decision::refuse(error::bad_request, "a user needs a password", "password");
    if (c.first_administrator && has_operator_admin(s))
        return decision::refuse(error::conflict, "this installation already has its administrator",
                                "token");
    return {{user_added{v}}, {}};
}

decision decide_command(const state& s, const open_session& c, const context& ctx) {
    if (!ctx.who.system)
        return decision::refuse(error::forbidden, "sessions are opened by the server");
    if (!s.users.count(c.user)) return decision::refuse(error::not_found, "no such user", "user");
    if (c.token_hash.empty() || c.expires <= ctx.now)
        return decision::refuse(error::bad_request, "a session needs a token and a future expiry");
    return {{session_opened{c.token_hash, c.user, c.expires}}, {}};
}

decision decide_command(const state& s, const close_session& c, const context& ctx) {
    auto it = s.sessions.find(c.token_hash);
    if (it == s.sessions.end()) return decision::refuse(error::not_found, "no such session");
    if (!ctx.who.system && it->second.user != ctx.who.id)
        return decision::refuse(error::forbidden, "a session is closed by its own user");
    return {{session_closed{c.token_hash}}, {}};
}

decision decide_command(const state& s, const issue_calendar_feed& c, const context& ctx) {
    if (!s.organisations.count(c.organisation))
        return decision::refuse(error::not_found, "no organisation '" + c.organisation + "'",
                                "organisation");
    if (!may_issue_feed(ctx.who, c.organisation))
        return decision::refuse(error::forbidden,
                                "only the organisation's members get its private feed");
    if (c.token_hash.empty()) return decision::refuse(error::bad_request, "a feed needs a token");
    return {{calendar_feed_issued{c.organisation, c.token_hash}}, {}};
}

}  // namespace creneau
