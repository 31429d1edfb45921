// The outbox, for the operator's administrators (docs/notifications.md): what waits, what is
// held without a mail server, what failed; release the held backlog, discard, retry.

#include "server/mail/outbox.hpp"
#include "server/api/routes.hpp"

#include "common/access.hpp"

namespace creneau::server {
namespace {

struct outbox_api {
    const api_base& api;
    outbox& mail;
    net::thread_pool& pool;  // the store's calls block: off the I/O threads
};

// 401 unless signed in, 403 unless an administrator of the operator.
caller need_operator_admin(const outbox_api& o, call& c, bool writes) {
    auto who = o.api.identify(c.req);
    const auto& u = require_user(who);
    bool allowed = o.api.book.read(
        [&](const state& s) { return u.role == role::admin && is_operator(s, who.as_actor()); });
    require(allowed, "the outbox is the operator's administrators'");
    if (writes) o.api.check_origin(c.req, who);
    return who;
}

// The mails a body names: {"keys": [...]}, or {"all": true} for every mail concerned; one of
// the two, so that an empty body never acts on the whole outbox.
struct chosen {
    std::vector<std::string> keys;
    bool all = false;
};
chosen chosen_by(call& c) {
    auto body = json_body(c.req, true);
    for (const auto& [k, v] : body.items())
        if (k != "keys" && k != "all")
            fail(http::status::bad_request, "bad-request", "unknown field '" + k + "'", k);
    chosen out{field_strings(body, "keys"), field_bool(body, "all", false)};
    if (out.all == !out.keys.empty())
        fail(http::status::bad_request, "bad-request", "give either 'keys' or \"all\": true",
             "keys");
    return out;
}

// Runs `f` on the pool and comes back; 503 if the outbox's store cannot be reached.
template <class F>
net::awaitable<std::size_t> off_thread(const outbox_api& o, F f) {
    const auto attempt = [&f]() -> std::pair<std::optional<std::size_t>, std::string> {
        try {
            return {f(), {}};
        } catch (const std::exception& e) {
            return {std::nullopt, e.what()};
        }
    };
    auto [n, error] = co_await on_pool(o.pool, attempt);
    if (!n)
        fail(http::status::service_unavailable, "outbox-unavailable",
             "the outbox's store cannot be reached: " + error);
    co_return *n;
}

net::awaitable<response> show(const outbox_api& o, call& c) {
    need_operator_admin(o, c, false);
    co_return json_response(c.req, http::status::ok, o.mail.view(500));
}

net::awaitable<response> release(const outbox_api& o, call& c) {
    need_operator_admin(o, c, true);
    if (!json_body(c.req, true).empty())
        fail(http::status::bad_request, "bad-request",
             "release takes no field: it sends every held mail");
    if (!o.mail.sending())
        fail(http::status::conflict, "no-mail-server",
             "no mail server is configured (--smtp): the mails stay held");
    auto& m = o.mail;
    auto work = [&m] { return m.release(); };  // named: GCC 12 mishandles temporaries in co_await
    auto n = co_await off_thread(o, work);
    co_return json_response(c.req, http::status::ok, {{"released", n}});
}

net::awaitable<response> discard(const outbox_api& o, call& c) {
    need_operator_admin(o, c, true);
    auto which = chosen_by(c);
    auto& m = o.mail;
    auto work = [&m, which] { return m.discard(which.keys, which.all); };
    auto n = co_await off_thread(o, work);
    co_return json_response(c.req, http::status::ok, {{"discarded", n}});
}

net::awaitable<response> retry(const outbox_api& o, call& c) {
    need_operator_admin(o, c, true);
    auto which = chosen_by(c);
    auto& m = o.mail;
    auto work = [&m, which] {
        return m.retry(which.all ? std::vector<std::string>{} : which.keys);
    };
    auto n = co_await off_thread(o, work);
    co_return json_response(c.req, http::status::ok, {{"retried", n}});
}

}  // namespace

void add_outbox_routes(router& routes, const api_base& api, outbox& mail, net::thread_pool& pool) {
    auto o = std::make_shared<outbox_api>(outbox_api{api, mail, pool});
    auto with = [o](auto f) { return guarded([o, f](call& c) { return f(*o, c); }); };
    routes.add(http::verb::get, "/api/outbox", with(show));
    routes.add(http::verb::post, "/api/outbox/release", with(release));
    routes.add(http::verb::post, "/api/outbox/discard", with(discard));
    routes.add(http::verb::post, "/api/outbox/retry", with(retry));
}

}  // namespace creneau::server
