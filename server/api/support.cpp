#include "server/api/support.hpp"

#include <sodium.h>

#include <algorithm>

namespace creneau::server {

void fail(http::status status, std::string code, std::string detail, std::string field) {
    throw api_error{status, std::move(code), std::move(detail), std::move(field)};
}

std::string token_hash(std::string_view token) {
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

std::string new_token() {
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return hex;
}

std::string audience_key(const caller& who) {
    if (!who.who) return "everyone";
    // The whole actor: a page rendered for a role or an organisation the user has just lost
    // is never served to a request identified with the new ones.
    const actor a = who.as_actor();
    std::string key;
    key.reserve(16 + a.id.size() + a.organisation.size());
    key.append("user:")
        .append(a.id)
        .append(" ")
        .append(name_of(a.user_role))
        .append(" ")
        .append(a.organisation)
        .append(a.system ? " system" : "");
    return key;
}

caller api_base::identify(const request& req) const {
    caller c;
    std::string token;
    auto auth = req[http::field::authorization];
    if (auth.size() > 7 && auth.substr(0, 7) == "Bearer ") {
        token = std::string(auth.substr(7));
    } else if (auto v = cookie_value(req[http::field::cookie], "creneau_session")) {
        token = *v;
        c.by_cookie = true;
    }
    if (token.empty() || token.size() > 256) return caller{};
    c.token_hash = token_hash(token);
    auto now = std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
    c.who = book.read([&](const state& s) -> std::optional<user> {
        auto it = s.sessions.find(c.token_hash);
        if (it == s.sessions.end() || it->second.expires <= now) return std::nullopt;
        auto u = s.users.find(it->second.user);
        if (u == s.users.end() || u->second.disabled) return std::nullopt;
        return u->second;
    });
    if (!c.who) return caller{};
    return c;
}

const user& require_user(const caller& c) {
    if (!c.who)
        fail(http::status::unauthorized, "unauthenticated", "Sign in first (POST /api/session).");
    return *c.who;
}

void require(bool allowed, std::string_view what) {
    if (!allowed) fail(http::status::forbidden, "forbidden", std::string(what));
}

bool api_base::same_origin(const request& req) const {
    auto origin = req[http::field::origin];
    auto host = req[http::field::host];
    bool same =
        !origin.empty() && !host.empty() &&
        (origin == "http://" + std::string(host) || origin == "https://" + std::string(host));
    for (const auto& allowed : allowed_origins) same = same || origin == allowed;
    return same;
}

void api_base::check_origin(const request& req, const caller& c) const {
    if (!c.by_cookie) return;
    if (!same_origin(req))
        fail(http::status::forbidden, "bad-origin",
             "A write signed in by cookie must come from this site (Origin header).");
}

json parse_untrusted(std::string_view text) {
    if (!json_depth_within(text)) return json(json::value_t::discarded);
    return json::parse(text, nullptr, false);
}

instant now_seconds() {
    return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
}

json json_body(const request& req, bool empty_ok) {
    if (empty_ok && req.body().empty()) return json::object();
    auto ct = req[http::field::content_type];
    if (!ct.empty() && ct.find("json") == std::string_view::npos)
        fail(http::status::unsupported_media_type, "unsupported-media-type",
             "Send JSON (application/json).");
    if (!json_depth_within(req.body()))
        fail(http::status::bad_request, "bad-request",
             "The body nests deeper than " + std::to_string(max_json_depth) + " levels.");
    json j = json::parse(req.body(), nullptr, false);
    if (j.is_discarded())
        fail(http::status::bad_request, "bad-request", "The body is not valid JSON (UTF-8).");
    if (!j.is_object())
        fail(http::status::bad_request, "bad-request", "The body must be a JSON object.");
    return j;
}

std::string field_string(const json& j, const char* name, bool required) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) {
        if (required)
            fail(http::status::bad_request, "bad-request",
                 std::string("'") + name + "' is required", name);
        return {};
    }
    if (!it->is_string())
        fail(http::status::bad_request, "bad-request",
             std::string("'") + name + "' must be a string", name);
    auto v = it->get<std::string>();
    if (v.size() > 10000)
        fail(http::status::bad_request, "bad-request", std::string("'") + name + "' is too long",
             name);
    return v;
}

std::string field_id(const json& j, const char* name, bool required) {
    auto v = field_string(j, name, required);
    if ((required || !v.empty()) && !valid_id(v))
        fail(http::status::bad_request, "bad-request",
             std::string("'") + name +
                 "' is an identifier: 1 to 100 letters, digits, '-', '_' or '.'",
             name);
    return v;
}

bool field_bool(const json& j, const char* name, bool fallback) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_boolean())
        fail(http::status::bad_request, "bad-request",
             std::string("'") + name + "' must be true or false", name);
    return it->get<bool>();
}

int field_int(const json& j, const char* name, bool required, int fallback) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) {
        if (required)
            fail(http::status::bad_request, "bad-request",
                 std::string("'") + name + "' is required", name);
        return fallback;
    }
    if (!it->is_number_integer() ||
        (it->is_number_unsigned() && it->get<std::uint64_t>() > 1'000'000) ||
        it->get<long long>() < -1'000'000 || it->get<long long>() > 1'000'000)
        fail(http::status::bad_request, "bad-request",
             std::string("'") + name + "' must be an integer", name);
    return it->get<int>();
}

instant field_instant(const json& j, const char* name) {
    auto text = field_string(j, name);
    auto t = parse_rfc3339(text);
    if (!t || !plausible_instant(*t))
        fail(http::status::bad_request, "bad-request",
             std::string("'") + name +
                 "' must be an RFC 3339 instant with an offset, e.g. 2026-04-14T09:00:00+02:00",
             name);
    return *t;
}

std::vector<std::string> field_strings(const json& j, const char* name) {
    std::vector<std::string> out;
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array() || it->size() > 100)
        fail(http::status::bad_request, "bad-request",
             std::string("'") + name + "' must be an array of strings", name);
    for (const auto& v : *it) {
        if (!v.is_string())
            fail(http::status::bad_request, "bad-request",
                 std::string("'") + name + "' must be an array of strings", name);
        out.push_back(v.get<std::string>());
    }
    return out;
}

std::vector<std::string> field_id_list(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_array())
        fail(http::status::bad_request, "bad-request",
             std::string("'") + name + "' is required, a list of identifiers", name);
    return field_ids(j, name);
}

std::vector<std::string> field_ids(const json& j, const char* name) {
    auto out = field_strings(j, name);
    for (const auto& v : out)
        if (!valid_id(v))
            fail(http::status::bad_request, "bad-request",
                 std::string("'") + name + "' must be an array of identifiers", name);
    return out;
}

std::optional<std::string> query_id(const request& req, const char* name) {
    auto v = query_param(req.target(), name);
    if (v && !valid_id(*v))
        fail(http::status::bad_request, "bad-request",
             std::string("query parameter '") + name + "' is an identifier", name);
    return v;
}

std::optional<instant> query_instant(const request& req, const char* name, bool required) {
    auto v = query_param(req.target(), name);
    if (!v) {
        if (required)
            fail(http::status::bad_request, "bad-request",
                 std::string("query parameter '") + name + "' is required", name);
        return std::nullopt;
    }
    auto t = parse_rfc3339(*v);
    if (!t)
        fail(http::status::bad_request, "bad-request",
             std::string("query parameter '") + name + "' must be an RFC 3339 instant", name);
    return t;
}

http::status status_of(error e) {
    switch (e) {
        case error::bad_request:
            return http::status::bad_request;
        case error::not_found:
            return http::status::not_found;
        case error::forbidden:
            return http::status::forbidden;
        case error::slot_taken:
        case error::series_refused:
        case error::not_pending:
        case error::already_ended:
        case error::conflict:
        case error::exists:
            return http::status::conflict;
        default:
            return http::status::unprocessable_entity;
    }
}

response refusal_response(const request& req, const refusal& r) {
    json extra = json::object();
    if (!r.field.empty()) extra["field"] = r.field;
    return problem_response(req, status_of(r.code), code_of(r.code), r.detail, extra);
}

std::optional<idempotency> idempotency_of(const request& req, const actor& who) {
    // docs/api.md, "Idempotency".
    auto [first, last] = req.equal_range("Idempotency-Key");
    if (first == last) return std::nullopt;
    const bool anonymous = !who.signed_in();
    const auto key = first->value();
    const std::size_t shortest = anonymous ? 16 : 1;
    if (std::next(first) != last || key.size() < shortest || key.size() > 200 ||
        !std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; }))
        fail(http::status::bad_request, "bad-request",
             anonymous ? "Idempotency-Key is one header of 16 to 200 printable ASCII characters "
                         "without spaces, unguessable (a UUID, say) without a session."
                       : "Idempotency-Key is one header of 1 to 200 printable ASCII characters "
                         "without spaces.",
             "Idempotency-Key");
    std::string what =
        std::string(req.method_string()) + " " + std::string(req.target()) + "\n" + req.body();
    // Without a session the key is all that ties a retry to its first request, whose answer
    // may hold a secret: it is a credential, kept as a hash like a session token. With one, it
    // is the caller's as they are now: once their role or organisation changes, a retry is
    // decided again on their new rights, never answered with what they may no longer see.
    if (anonymous) return idempotency{"anonymous:" + token_hash(key), token_hash(what)};
    std::string scope = who.id;
    scope.append(":").append(name_of(who.user_role)).append(":").append(who.organisation);
    scope.append(":").append(key);
    return idempotency{std::move(scope), token_hash(what)};
}

net::awaitable<outcome> submit(ledger& book, const command& c, const actor& who,
                               const request* keyed) {
    std::optional<idempotency> key;
    if (keyed && keyed->method() == http::verb::post) key = idempotency_of(*keyed, who);
    return submit(book, c, who, key);
}

net::awaitable<outcome> submit(ledger& book, const command& c, const actor& who,
                               const std::optional<idempotency>& key) {
    // async_initiate keeps its own copies of the command and the actor until the ledger
    // answers; the answer is posted back to the coroutine's executor.
    return net::async_initiate<decltype(net::use_awaitable), void(outcome)>(
        [&book](auto handler, command cmd, actor by, std::optional<idempotency> k) {
            auto ex = net::get_associated_executor(handler);
            auto h = std::make_shared<decltype(handler)>(std::move(handler));
            auto work = std::make_shared<net::executor_work_guard<decltype(ex)>>(ex);
            book.submit(
                std::move(cmd), std::move(by),
                [h, work](outcome o) {
                    net::post(work->get_executor(), [h, work, o = std::move(o)]() mutable {
                        (*h)(std::move(o));
                        work->reset();
                    });
                },
                std::move(k));
        },
        net::use_awaitable, c, who, key);
}

std::optional<response> failure_response(const request& req, const outcome& o) {
    if (o.refused) return refusal_response(req, *o.refused);
    if (o.unknown) {
        auto res = problem_response(
            req, http::status::service_unavailable, "outcome-unknown",
            "The journal did not confirm the change in time: it may or may not have been "
            "made. Retry with the same Idempotency-Key to learn which.");
        res.set(http::field::retry_after, "2");
        return res;
    }
    if (o.journal_unavailable) {
        auto res = problem_response(
            req, http::status::service_unavailable, "journal-unavailable",
            "The journal cannot be reached: nothing was changed. Try again shortly.");
        res.set(http::field::retry_after, "2");
        return res;
    }
    return std::nullopt;
}

handler guarded(handler h) {
    return [h = std::move(h)](call& c) -> net::awaitable<response> {
        std::optional<api_error> err;
        try {
            co_return co_await h(c);
        } catch (const api_error& e) {
            err = e;
        } catch (const json::exception& e) {
            // A shape the handler did not check: still the client's JSON, never a 500.
            err = api_error{http::status::bad_request,
                            "bad-request",
                            std::string("Unexpected JSON: ") + e.what(),
                            {}};
        }
        json extra = json::object();
        if (!err->field.empty()) extra["field"] = err->field;
        co_return problem_response(c.req, err->status, err->code, err->detail, extra);
    };
}

}  // namespace creneau::server
