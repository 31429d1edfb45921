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

// The keys named by the body ({"keys": [...]}); none: every mail concerned.
std::vector<std::string> keys_of(call& c) {
    auto body = json_body(c.req, true);
    for (const auto& [k, v] : body.items())
        if (k != "keys")
            fail(http::status::bad_request, "bad-request", "unknown field '" + k + "'", k);
    return field_strings(body, "keys");
}

// Runs `f` on the pool and comes back; 503 if the outbox's store cannot be reached.
template <class F>
net::awaitable<std::size_t> off_thread(const outbox_api& o, F f) {
    auto io = co_await net::this_coro::executor;
    co_await net::post(o.pool.get_executor(), net::use_awaitable);
    std::optional<std::size_t> n;
    std::string error;
    try {
        n = f();
    } catch (const std::exception& e) {
        error = e.what();
    }
    co_await net::post(io, net::use_awaitable);
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
    keys_of(c);
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
    auto keys = keys_of(c);
    auto& m = o.mail;
    auto work = [&m, keys] { return m.discard(keys); };
    auto n = co_await off_thread(o, work);
    co_return json_response(c.req, http::status::ok, {{"discarded", n}});
}

net::awaitable<response> retry(const outbox_api& o, call& c) {
    need_operator_admin(o, c, true);
    auto keys = keys_of(c);
    auto& m = o.mail;
    auto work = [&m, keys] { return m.retry(keys); };
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
