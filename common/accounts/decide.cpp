#include "common/access.hpp"
#include "common/accounts/rules.hpp"

namespace creneau {

decision decide_command(const state& s, const add_user& c, const context& ctx) {
    const auto& v = c.value;
    if (!may_manage_users(s, ctx.who, v.organisation))
        return decision::refuse(
            error::forbidden, "only the administrators of its owner organisation add its accounts");
    if (!valid_id(v.id)) return decision::refuse(error::bad_request, "a user needs an id", "id");
    if (s.users.count(v.id)) return decision::refuse(error::exists, "user id already in use", "id");
    auto at = v.email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= v.email.size() || v.email.size() > 254)
        return decision::refuse(error::bad_request, "invalid email '" + v.email + "'", "email");
    if (s.user_by_email.count(email_key(v.email)))
        return decision::refuse(error::exists, "a user with this email exists", "email");
    if (blank(v.name)) return decision::refuse(error::bad_request, "a user needs a name", "name");
    if (!s.organisations.count(v.organisation))
        return decision::refuse(error::not_found, "unknown organisation '" + v.organisation + "'",
                                "org");
    if (v.password_hash.empty())
        return decision::refuse(error::bad_request, "a user needs a password", "password");
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
