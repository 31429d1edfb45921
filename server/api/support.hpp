#pragma once
// Helpers shared by the handlers of /api: who is calling, reading JSON bodies with errors
// that name the field, turning refusals into problems, and waiting for the ledger.

#include "server/api/read_cache.hpp"
#include "server/journal/ledger.hpp"
#include "server/net/http.hpp"
#include "server/net/router.hpp"

#include "common/core/json.hpp"
#include "common/core/json_text.hpp"

#include <exception>
#include <optional>
#include <type_traits>

namespace creneau::server {

// The caller, from a bearer token or the session cookie.
struct caller {
    std::optional<user> who;  // nullopt: anonymous
    bool by_cookie = false;   // cookie-authenticated (writes must then pass the Origin check)
    std::string token_hash;

    bool signed_in() const { return who.has_value(); }
    actor as_actor() const { return who ? actor_of(*who) : actor::anonymous(); }
};

// What every handler may use: the ledger (the state and its journal), and the origins,
// besides the site's own, that a write signed in by cookie may come from.
struct api_base {
    ledger& book;
    std::vector<std::string> allowed_origins;
    // Hot reads' rendered pages (read_cache.hpp), shared by every copy of this.
    std::shared_ptr<read_cache> reads = std::make_shared<read_cache>();
    // The longest retention an organiser may give an event's registrations, in months.
    int retention_limit_months = 36;

    // The caller, from a bearer token or the session cookie.
    caller identify(const request& req) const;
    // Whether the request's Origin is this site's own (or one allowed).
    bool same_origin(const request& req) const;
    // Cookie-authenticated writes must come from our own origin (CSRF); 403 otherwise.
    void check_origin(const request& req, const caller& c) const;
};

// Thrown by the helpers below and turned into a problem answer by the router's wrapper.
struct api_error {
    http::status status;
    std::string code;
    std::string detail;
    std::string field;
};

[[noreturn]] void fail(http::status status, std::string code, std::string detail,
                       std::string field = {});

// The hex BLAKE2b hash of a secret token: sessions and feeds are stored by hash only.
std::string token_hash(std::string_view token);
// A fresh secret token (32 random bytes, hex).
std::string new_token();

// 401 unless signed in.
const user& require_user(const caller& c);
// 403 naming what is refused unless `allowed` (a rule of common/access.hpp).
void require(bool allowed, std::string_view what);

// Parses untrusted JSON: discarded (is_discarded()) if it is not JSON or nests too deep.
json parse_untrusted(std::string_view text);

// The request body as a JSON object (400 naming the problem otherwise); an empty body is
// an empty object when `empty_ok`.
// Now, to the second (facts and answers carry whole seconds).
instant now_seconds();

json json_body(const request& req, bool empty_ok = false);

// Typed fields of a JSON object; 400 bad-request naming the field when missing or mistyped.
std::string field_string(const json& j, const char* name, bool required = true);
// An identifier (common/model.hpp, valid_id).
std::string field_id(const json& j, const char* name, bool required = true);
int field_int(const json& j, const char* name, bool required = true, int fallback = 0);
bool field_bool(const json& j, const char* name, bool fallback);
instant field_instant(const json& j, const char* name);
std::vector<std::string> field_strings(const json& j, const char* name);
std::vector<std::string> field_ids(const json& j, const char* name);
// A list of identifiers that must be there (an empty list is a list; null or missing is not).
std::vector<std::string> field_id_list(const json& j, const char* name);
// A query parameter that is an instant.
std::optional<instant> query_instant(const request& req, const char* name, bool required);
// A query parameter that is an identifier.
std::optional<std::string> query_id(const request& req, const char* name);
// Reads a value of the domain from client JSON, strictly (common/core/json.hpp); 400
// naming the field otherwise.
template <class T>
T read_json(const json& j);

// The status of a domain refusal: 409 for conflicts of state, 422 for broken rules, …
http::status status_of(error e);
response refusal_response(const request& req, const refusal& r);

// A hot read (read_cache.hpp): the page kept under `key` if the journal has not moved since
// it was rendered, else `render(const state&) -> std::optional<json>` run under the ledger's
// read lock, its bytes kept. A 200 answer with its ETag, or 304 when the request's
// If-None-Match holds it; nullopt when `render` found nothing (the caller's 404). `key` must
// name everything the body depends on besides the state: the route, the query, and the
// audience (audience_key).
template <class F>
std::optional<response> cached_read(const api_base& api, const request& req, const std::string& key,
                                    F&& render) {
    auto page = api.reads->find(key, api.book.head());
    if (!page) {
        auto fresh = api.book.read([&](const state& s) -> std::shared_ptr<read_cache::page> {
            std::optional<json> body = render(s);
            if (!body) return nullptr;
            auto p = std::make_shared<read_cache::page>();
            p->head = s.seq;
            p->body = json_text(*body);
            return p;
        });
        if (!fresh) return std::nullopt;
        fresh->etag = etag_of(fresh->body);
        api.reads->keep(key, fresh);
        page = std::move(fresh);
    }
    return page_response(req, page->body, page->etag);
}

// Who a cached page is for: everyone signed out, or one user as identified (their id, role
// and organisation: what they may see follows from these and the state at the page's head).
std::string audience_key(const caller& who);

// Runs `f()` on `pool`, off the I/O threads (password hashes, the outbox's store, the Job
// Dating's solver), and resumes on the caller's executor with what it returned, or throws
// there what it threw. The hop binds the pool to the completion: a plain
// `post(pool.get_executor(), use_awaitable)` completes on the coroutine's own executor, so
// `f` would run on the I/O thread after all.
template <class F>
net::awaitable<std::invoke_result_t<F&>> on_pool(net::thread_pool& pool, F f) {
    auto io = co_await net::this_coro::executor;
    co_await net::post(net::bind_executor(pool, net::use_awaitable));
    std::optional<std::invoke_result_t<F&>> result;
    std::exception_ptr failed;
    try {
        result.emplace(f());
    } catch (...) {
        failed = std::current_exception();
    }
    co_await net::post(io, net::use_awaitable);
    if (failed) std::rethrow_exception(failed);
    co_return std::move(*result);
}

// Submits to the ledger and resumes on the caller's executor with the outcome. With `keyed`
// (a POST), its Idempotency-Key header, if any, makes a retry return the first outcome
// (docs/api.md, "Idempotency").
// Callers pass named objects: GCC 12 mishandles temporaries with destructors inside a
// co_await expression (they may be destroyed twice), so none are made there.
net::awaitable<outcome> submit(ledger& book, const command& c, const actor& who,
                               const request* keyed = nullptr);
// The same with the key already read from the request.
net::awaitable<outcome> submit(ledger& book, const command& c, const actor& who,
                               const std::optional<idempotency>& key);

// The Idempotency-Key of a request, scoped by its caller (400 if malformed).
std::optional<idempotency> idempotency_of(const request& req, const actor& who);

// Whether the domain refused with this code on this field (a drawn code in use, say).
inline bool refused_for(const outcome& o, error code, std::string_view field) {
    return o.refused && o.refused->code == code && o.refused->field == field;
}

// An outcome as an answer: the refusal or journal failure as a problem, else nullopt.
std::optional<response> failure_response(const request& req, const outcome& o);

// Wraps a handler: api_error and bad JSON become problem answers.
handler guarded(handler h);

// The body of a PUT, its id taken from the path (the body's own, if any, must agree).
template <class T>
T read_entity(json& body, const std::string& id) {
    if (auto it = body.find("id"); it != body.end() && *it != id)
        fail(http::status::bad_request, "bad-request", "the body's id differs from the path's",
             "id");
    body["id"] = id;
    return read_json<T>(body);
}

template <class T>
T read_json(const json& j) {
    try {
        return decode<T>(j);
    } catch (const std::invalid_argument& e) {
        // e.what() is "/field/path: problem".
        std::string what = e.what();
        auto colon = what.find(": ");
        std::string field = colon == std::string::npos || what.size() < 2 || what[0] != '/'
                                ? std::string{}
                                : what.substr(1, colon - 1);
        fail(http::status::bad_request, "bad-request", what, field);
    }
}

}  // namespace creneau::server
