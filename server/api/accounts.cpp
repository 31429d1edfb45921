// Sign-in, sign-out and the caller's own profile.

#include "server/api/routes.hpp"
#include "server/api/support.hpp"
#include "server/ops/passwords.hpp"

#include <algorithm>

namespace creneau::server {
namespace {

constexpr auto session_length = std::chrono::hours(12);

json user_json(const state& s, const user& u) {
    auto org = s.organisations.find(u.organisation);
    return {{"id", u.id},
            {"email", u.email},
            {"name", u.name},
            {"role", u.role},
            {"organisation", u.organisation},
            {"organisation_name", org == s.organisations.end() ? "" : org->second.name}};
}

std::string client_address(const std::string& remote) {
    auto colon = remote.rfind(':');
    return colon == std::string::npos ? remote : remote.substr(0, colon);
}

net::awaitable<response> sign_in(const api_base& st, const sign_in_services& si, call& c) {
    auto body = json_body(c.req);
    auto email = email_key(field_string(body, "email"));
    auto password = field_string(body, "password");
    const std::string address = client_address(c.remote);
    const std::string pair_key = address + " " + email;

    // Repeated failures from one address, for one account or in all, make the next attempt
    // wait longer and longer; the account's owner elsewhere is never held back.
    auto now = sign_in_throttle::clock::now();
    auto wait = std::max(si.by_account.wait(pair_key, now), si.by_address.wait(address, now));
    if (wait.count() > 0) {
        auto res = problem_response(
            c.req, http::status::too_many_requests, "too-many-attempts",
            "Too many failed sign-ins from this address: wait before trying again.");
        res.set(http::field::retry_after, std::to_string((wait.count() + 999) / 1000));
        co_return res;
    }

    auto found = st.book.read([&](const state& s) -> std::optional<user> {
        auto id = s.user_by_email.find(email);
        if (id == s.user_by_email.end()) return std::nullopt;
        return s.users.at(id->second);
    });
    // argon2id takes a tenth of a second: off the I/O threads. An unknown email is checked
    // against a fixed hash so that both answers take as long.
    static const std::string decoy = hash_password("decoy password for unknown emails");
    const std::string& hash = found ? found->password_hash : decoy;
    auto io = co_await net::this_coro::executor;
    co_await net::post(si.crypto.get_executor(), net::use_awaitable);
    bool ok = verify_password(hash, password) && found;
    co_await net::post(io, net::use_awaitable);

    if (!ok) {
        si.by_account.failed(pair_key, sign_in_throttle::clock::now());
        si.by_address.failed(address, sign_in_throttle::clock::now());
        co_return problem_response(c.req, http::status::unauthorized, "bad-credentials",
                                   "Unknown email or wrong password.");
    }
    si.by_account.succeeded(pair_key);

    auto token = new_token();
    auto expires =
        std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now()) + session_length;
    const command cmd = open_session{token_hash(token), found->id, expires};
    const actor server{};
    auto o = co_await submit(st.book, cmd, server);
    if (auto failure = failure_response(c.req, o)) co_return *failure;

    auto me = st.book.read([&](const state& s) { return user_json(s, *found); });
    auto res = json_response(c.req, http::status::ok,
                             {{"token", token}, {"user", me}, {"expires", format_utc(expires)}});
    res.set(http::field::set_cookie,
            "creneau_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                std::to_string(std::chrono::duration_cast<seconds>(session_length).count()) +
                (si.secure_cookies ? "; Secure" : ""));
    co_return res;
}

net::awaitable<response> sign_out(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    st.check_origin(c.req, who);
    const command cmd = close_session{who.token_hash};
    const actor by = who.as_actor();
    auto o = co_await submit(st.book, cmd, by);
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

net::awaitable<response> me(const api_base& st, call& c) {
    auto who = st.identify(c.req);
    const auto& u = require_user(who);
    co_return json_response(c.req, http::status::ok,
                            st.book.read([&](const state& s) { return user_json(s, u); }));
}

}  // namespace

void add_account_routes(router& routes, const api_base& api, const sign_in_services& sign_in_with) {
    routes.add(http::verb::post, "/api/session",
               guarded([api, sign_in_with](call& c) { return sign_in(api, sign_in_with, c); }));
    routes.add(http::verb::delete_, "/api/session",
               guarded([api](call& c) { return sign_out(api, c); }));
    routes.add(http::verb::get, "/api/me", guarded([api](call& c) { return me(api, c); }));
}

}  // namespace creneau::server
