// Accounts: signing in and out, the caller's profile, password and sessions; the
// administration of an organisation's people (invitations, roles, disabling, password
// resets by one-time links); the first administrator of a new installation.

#include "server/api/routes.hpp"
#include "server/api/support.hpp"
#include "server/api/views.hpp"
#include "server/ops/passwords.hpp"

#include "common/access.hpp"
#include "common/accounts/rules.hpp"

#include <sodium.h>

#include <algorithm>

namespace creneau::server {
namespace {

constexpr auto session_length = std::chrono::hours(12);
constexpr auto invitation_length = std::chrono::days(14);
constexpr auto reset_length = std::chrono::days(2);

// A password people may choose: long enough to resist guessing, short enough to hash.
std::string password_field(const json& body, const char* name) {
    auto p = field_string(body, name);
    if (p.size() < 10)
        fail(http::status::bad_request, "bad-request", "a password has at least 10 characters",
             name);
    if (p.size() > 1000)
        fail(http::status::bad_request, "bad-request", "a password has at most 1000 characters",
             name);
    return p;
}

// Opens a session for `id` and answers it: the token, the user, the cookie.
net::awaitable<response> open_session_for(const api_base& api, const sign_in_services& si,
                                          const request& req, const std::string& id) {
    auto token = new_token();
    auto expires = now_seconds() + session_length;
    const command cmd = open_session{token_hash(token), id, expires};
    const actor server{};
    auto o = co_await submit(api.book, cmd, server);
    if (auto failure = failure_response(req, o)) co_return *failure;
    auto me = api.book.read([&](const state& s) { return user_view(s, s.users.at(id)); });
    auto res = json_response(req, http::status::ok,
                             {{"token", token}, {"user", me}, {"expires", format_utc(expires)}});
    res.set(http::field::set_cookie,
            "creneau_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                std::to_string(std::chrono::duration_cast<seconds>(session_length).count()) +
                (si.secure_cookies ? "; Secure" : ""));
    co_return res;
}

net::awaitable<response> sign_in(const api_base& api, const sign_in_services& si, call& c) {
    auto body = json_body(c.req);
    auto email = email_key(field_string(body, "email"));
    auto password = field_string(body, "password");
    const std::string& address = c.remote;
    const std::string pair_key = address + " " + email;

    // Repeated failures from one address, for one account or in all, make the next attempt
    // wait longer and longer; the account's owner elsewhere is never held back.
    auto wait = std::max(si.by_account.wait(pair_key, sign_in_throttle::clock::now()),
                         si.by_address.wait(address, sign_in_throttle::clock::now()));
    if (wait.count() > 0) {
        auto res = problem_response(
            c.req, http::status::too_many_requests, "too-many-attempts",
            "Too many failed sign-ins from this address: wait before trying again.");
        res.set(http::field::retry_after, std::to_string((wait.count() + 999) / 1000));
        co_return res;
    }
    auto found = api.book.read([&](const state& s) -> std::optional<user> {
        auto id = s.user_by_email.find(email);
        if (id == s.user_by_email.end()) return std::nullopt;
        return s.users.at(id->second);
    });
    // argon2id takes a tenth of a second: off the I/O threads. An unknown email or an invited
    // account without a password is checked against a fixed hash, so that every answer takes
    // as long.
    static const std::string decoy = hash_password("decoy password for unknown emails");
    const bool has_password = found && !found->password_hash.empty();
    const std::string hash = has_password ? found->password_hash : decoy;
    auto check = [&] { return verify_password(hash, password); };
    bool ok = co_await on_pool(si.crypto, check) && has_password;
    // A disabled account is told so, but only to whoever knows its password.
    if (ok && found->disabled)
        co_return problem_response(
            c.req, http::status::forbidden, "account-disabled",
            "This account is disabled: ask an administrator of its organisation.");
    if (!ok) {
        si.by_account.failed(pair_key, sign_in_throttle::clock::now());
        si.by_address.failed(address, sign_in_throttle::clock::now());
        co_return problem_response(c.req, http::status::unauthorized, "bad-credentials",
                                   "Unknown email or wrong password.");
    }
    si.by_account.succeeded(pair_key);
    co_return co_await open_session_for(api, si, c.req, found->id);
}

net::awaitable<response> sign_out(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    api.check_origin(c.req, who);
    const command cmd = close_session{who.token_hash};
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, cmd, by);
    // Signing out twice (a retry) finds no session: signed out either way.
    if (o.refused && o.refused->code == error::not_found) o.refused.reset();
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    response res{http::status::no_content, c.req.version()};
    res.set(http::field::set_cookie,
            "creneau_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    res.keep_alive(c.req.keep_alive());
    res.prepare_payload();
    co_return res;
}

// The signed-in user, with their notification preferences (docs/notifications.md).
json me_json(const state& s, const user& u) {
    auto j = user_view(s, u);
    j["preferences"] = {{"lang", u.lang}, {"muted", u.muted}, {"copies", u.copies}};
    return j;
}

net::awaitable<response> me(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    const auto& u = require_user(who);
    co_return json_response(c.req, http::status::ok,
                            api.book.read([&](const state& s) { return me_json(s, u); }));
}

// The user's own choice of language and notifications.
net::awaitable<response> set_my_preferences(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    const auto& u = require_user(who);
    api.check_origin(c.req, who);
    auto body = json_body(c.req);
    for (const auto& [k, v] : body.items())
        if (k != "lang" && k != "muted" && k != "copies")
            fail(http::status::bad_request, "bad-request", "unknown field '" + k + "'", k);
    set_preferences cmd{u.id, field_string(body, "lang"), field_strings(body, "muted"),
                        field_bool(body, "copies", false)};
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, command{cmd}, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        return me_json(s, s.users.at(cmd.user));
    }));
}

// A session is shown by the first 16 characters of its token's hash: enough to name it,
// never enough to use it.
std::string session_id(const std::string& hash) {
    return hash.substr(0, 16);
}

net::awaitable<response> my_sessions(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    const auto& u = require_user(who);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        auto out = json::array();
        for (const auto& [hash, session] : s.sessions)
            if (session.user == u.id && session.expires > now_seconds())
                out.push_back({{"id", session_id(hash)},
                               {"opened", session.opened},
                               {"expires", session.expires},
                               {"current", hash == who.token_hash}});
        return out;
    }));
}

net::awaitable<response> end_my_session(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    const auto& u = require_user(who);
    api.check_origin(c.req, who);
    auto hash = api.book.read([&](const state& s) {
        for (const auto& [h, session] : s.sessions)
            if (session.user == u.id && session_id(h) == c.param("id")) return h;
        return std::string{};
    });
    if (hash.empty()) fail(http::status::not_found, "not-found", "no such session of yours");
    const command cmd = close_session{hash};
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, http::status::ok, {{"status", "closed"}});
}

// A new password for the signed-in user, who gives the current one; their other sessions end.
net::awaitable<response> change_my_password(const api_base& api, const sign_in_services& si,
                                            call& c) {
    auto who = api.identify(c.req);
    const auto& u = require_user(who);
    api.check_origin(c.req, who);
    auto body = json_body(c.req);
    auto current = field_string(body, "current");
    auto chosen = password_field(body, "password");
    // Guessing the current password from a session is slowed down like signing in.
    const std::string& address = c.remote;
    const std::string pair_key = address + " " + email_key(u.email);
    auto wait = std::max(si.by_account.wait(pair_key, sign_in_throttle::clock::now()),
                         si.by_address.wait(address, sign_in_throttle::clock::now()));
    if (wait.count() > 0) {
        auto res = problem_response(c.req, http::status::too_many_requests, "too-many-attempts",
                                    "Too many wrong passwords: wait before trying again.");
        res.set(http::field::retry_after, std::to_string((wait.count() + 999) / 1000));
        co_return res;
    }
    auto hash = api.book.read([&](const state& s) { return s.users.at(u.id).password_hash; });
    // Named, not temporaries: GCC 12 mishandles temporaries with destructors in co_await.
    auto work = [&] {
        return verify_password(hash, current) ? std::optional<std::string>(hash_password(chosen))
                                              : std::nullopt;
    };
    auto checked = co_await on_pool(si.crypto, work);
    if (!checked) {
        si.by_account.failed(pair_key, sign_in_throttle::clock::now());
        si.by_address.failed(address, sign_in_throttle::clock::now());
        fail(http::status::bad_request, "bad-credentials", "the current password is wrong",
             "current");
    }
    si.by_account.succeeded(pair_key);
    const command cmd = set_password{u.id, *checked, "", who.token_hash};
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, cmd, by);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, http::status::ok, {{"status", "changed"}});
}

// What a one-time link is, for its page: to whom, and whether it still works.
net::awaitable<response> link_info(const api_base& api, call& c) {
    auto hash = token_hash(c.param("token"));
    auto found = api.book.read([&](const state& s) -> std::optional<json> {
        auto link = s.account_links.find(hash);
        if (link == s.account_links.end() || link->second.expires <= now_seconds())
            return std::nullopt;
        const auto& u = s.users.at(link->second.user);
        return json{{"purpose", link->second.purpose},
                    {"name", u.name},
                    {"email", u.email},
                    {"expires", link->second.expires}};
    });
    if (!found) fail(http::status::not_found, "not-found", "this link is unknown, used or expired");
    co_return json_response(c.req, http::status::ok, *found);
}

// The password chosen through a one-time link: the link is used up, and the person is
// signed in.
net::awaitable<response> use_link(const api_base& api, const sign_in_services& si, call& c) {
    auto body = json_body(c.req);
    auto token = field_id(body, "token");
    auto chosen = password_field(body, "password");
    // An unknown link costs nothing: the password is hashed only for a link that works.
    const bool known = api.book.read([&](const state& s) {
        auto link = s.account_links.find(token_hash(token));
        return link != s.account_links.end() && link->second.expires > now_seconds();
    });
    if (!known)
        fail(http::status::not_found, "not-found", "this link is unknown, used or expired",
             "token");
    auto work = [&] { return hash_password(chosen); };
    auto hash = co_await on_pool(si.crypto, work);
    const command cmd = set_password{"", hash, token_hash(token), ""};
    const actor server{};
    auto o = co_await submit(api.book, cmd, server);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    const std::string id = std::get<password_set>(o.facts.front().body).user;
    co_return co_await open_session_for(api, si, c.req, id);
}

// A new account's id: "u-" and twelve hexadecimal digits.
std::string new_user_id() {
    unsigned char bytes[6];
    randombytes_buf(bytes, sizeof bytes);
    char hex[13];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return std::string("u-") + hex;
}

net::awaitable<response> list_users(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    auto org = query_id(c.req, "organisation");
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        auto out = json::array();
        for (const auto& [id, u] : s.users)
            if ((!org || u.organisation == *org) &&
                may_manage_users(s, who.as_actor(), u.organisation))
                out.push_back(user_view(s, u));
        return out;
    }));
}

// An invitation: the account, and its link to hand over (it is shown once, never stored).
net::awaitable<response> invite(const api_base& api, const sign_in_services& si, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    api.check_origin(c.req, who);
    auto body = json_body(c.req);
    user u;
    u.id = new_user_id();
    u.email = field_string(body, "email");
    u.name = field_string(body, "name");
    auto r = parse_name<role>(field_string(body, "role"));
    if (!r)
        fail(http::status::bad_request, "bad-request", "role is admin, organiser or member",
             "role");
    u.role = *r;
    u.organisation = field_id(body, "organisation");
    auto token = new_token();
    const command cmd = invite_user{u, token_hash(token), now_seconds() + invitation_length,
                                    si.seal ? si.seal(token) : std::string{}};
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, cmd, by);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    auto j = api.book.read([&](const state& s) { return user_view(s, s.users.at(u.id)); });
    co_return json_response(c.req, http::status::created,
                            {{"user", j}, {"link", "/#/welcome/" + token}});
}

net::awaitable<response> change(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    api.check_origin(c.req, who);
    auto body = json_body(c.req);
    change_user change{c.param("id"), {}, {}, {}, {}};
    if (body.contains("name")) change.name = field_string(body, "name");
    if (body.contains("role")) {
        auto r = parse_name<role>(field_string(body, "role"));
        if (!r)
            fail(http::status::bad_request, "bad-request", "role is admin, organiser or member",
                 "role");
        change.role = *r;
    }
    if (body.contains("organisation")) change.organisation = field_id(body, "organisation");
    if (body.contains("disabled")) change.disabled = field_bool(body, "disabled", false);
    const command cmd = change;
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        return user_view(s, s.users.at(change.id));
    }));
}

// An administrator keeps an account flagged as unused: its three years start again
// (docs/privacy.md, "Retention").
net::awaitable<response> keep(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    api.check_origin(c.req, who);
    const command cmd = keep_account{c.param("id")};
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        return user_view(s, s.users.at(c.param("id")));
    }));
}

// A password-reset link (a new invitation for someone who never chose a password).
net::awaitable<response> reset(const api_base& api, const sign_in_services& si, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    api.check_origin(c.req, who);
    auto token = new_token();
    const command cmd =
        issue_password_reset{c.param("id"), token_hash(token), now_seconds() + reset_length,
                             si.seal ? si.seal(token) : std::string{}};
    const actor by = who.as_actor();
    auto o = co_await submit(api.book, cmd, by);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    const auto& link = std::get<account_link_issued>(o.facts.front().body);
    co_return json_response(
        c.req, http::status::created,
        {{"purpose", link.purpose},
         {"link", (link.purpose == link_purpose::invitation ? "/#/welcome/" : "/#/reset/") + token},
         {"expires", link.expires}});
}

// First run: whether the instance still needs its first administrator.
net::awaitable<response> setup_needed(const api_base& api, call& c) {
    bool needed = api.book.read([](const state& s) { return !has_operator_admin(s); });
    co_return json_response(c.req, http::status::ok, {{"needed", needed}});
}

// First run: the set-up token printed at start creates the operator's first administrator,
// once; afterwards it is refused.
net::awaitable<response> setup(const api_base& api, const sign_in_services& si, call& c) {
    auto body = json_body(c.req);
    auto token = field_string(body, "token");
    const bool open = !si.setup_token.empty() && token.size() == si.setup_token.size() &&
                      sodium_memcmp(token.data(), si.setup_token.data(), token.size()) == 0 &&
                      api.book.read([](const state& s) { return !has_operator_admin(s); });
    if (!open)
        fail(http::status::not_found, "not-found", "this set-up link is unknown or already used",
             "token");
    user u;
    u.id = new_user_id();
    u.email = field_string(body, "email");
    u.name = field_string(body, "name");
    u.role = role::admin;
    u.organisation = api.book.read([](const state& s) { return s.operator_org; });
    auto chosen = password_field(body, "password");
    auto work = [&] { return hash_password(chosen); };
    u.password_hash = co_await on_pool(si.crypto, work);
    const command cmd = add_user{u, true};
    const actor server{};
    auto o = co_await submit(api.book, cmd, server);
    if (o.refused && o.refused->code == error::conflict)
        fail(http::status::not_found, "not-found", "this set-up link is unknown or already used",
             "token");
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return co_await open_session_for(api, si, c.req, u.id);
}

net::awaitable<response> audit(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        auto out = json::array();
        for (auto it = s.audit.rbegin(); it != s.audit.rend() && out.size() < 1000; ++it) {
            if (!may_manage_users(s, who.as_actor(), it->organisation)) continue;
            json j = *it;
            auto u = s.users.find(it->actor);
            j["actor_name"] = u == s.users.end() ? it->actor : u->second.name;
            out.push_back(j);
        }
        return out;
    }));
}

}  // namespace

void add_account_routes(router& routes, const api_base& api, const sign_in_services& services) {
    auto with = [api](auto f) { return guarded([api, f](call& c) { return f(api, c); }); };
    auto with_services = [api, services](auto f) {
        return guarded([api, services, f](call& c) { return f(api, services, c); });
    };
    routes.add(http::verb::post, "/api/session", with_services(sign_in));
    routes.add(http::verb::delete_, "/api/session", with(sign_out));
    routes.add(http::verb::get, "/api/me", with(me));
    routes.add(http::verb::post, "/api/me/password", with_services(change_my_password));
    routes.add(http::verb::put, "/api/me/preferences", with(set_my_preferences));
    routes.add(http::verb::get, "/api/me/sessions", with(my_sessions));
    routes.add(http::verb::delete_, "/api/me/sessions/{id}", with(end_my_session));
    routes.add(http::verb::get, "/api/links/{token}", with(link_info));
    routes.add(http::verb::post, "/api/password", with_services(use_link));
    routes.add(http::verb::get, "/api/users", with(list_users));
    routes.add(http::verb::post, "/api/users", with_services(invite));
    routes.add(http::verb::put, "/api/users/{id}", with(change));
    routes.add(http::verb::post, "/api/users/{id}/reset", with_services(reset));
    routes.add(http::verb::post, "/api/users/{id}/keep", with(keep));
    routes.add(http::verb::get, "/api/setup", with(setup_needed));
    routes.add(http::verb::post, "/api/setup", with_services(setup));
    routes.add(http::verb::get, "/api/audit", with(audit));
}

}  // namespace creneau::server
