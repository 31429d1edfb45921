#include "server/net/router.hpp"

#include "common/state.hpp"

#include <set>

namespace creneau::server {
namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        auto next = path.find('/', i);
        if (next == std::string_view::npos) next = path.size();
        out.emplace_back(path.substr(i, next - i));
        i = next;
    }
    return out;
}

bool is_placeholder(const std::string& s) {
    return s.size() > 2 && s.front() == '{' && s.back() == '}';
}

}  // namespace

void router::add(http::verb method, std::string pattern, handler fn) {
    const bool in_path = pattern.find("{code}") != std::string::npos;
    route r{method, pattern, split_path(pattern), std::move(fn), in_path};
    routes_.push_back(std::move(r));
}

void router::add_taking_code(http::verb method, std::string pattern, handler fn) {
    add(method, std::move(pattern), std::move(fn));
    routes_.back().takes_code = true;
}

const route* router::match(http::verb method, std::string_view path,
                           std::map<std::string, std::string>& params, bool& path_matched) const {
    auto segments = split_path(path);
    path_matched = false;
    for (const auto& r : routes_) {
        if (r.segments.size() != segments.size()) continue;
        std::map<std::string, std::string> found;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            const auto& want = r.segments[i];
            if (is_placeholder(want)) {
                // Every identifier in a path follows the one rule (common/model.hpp, valid_id):
                // anything else names nothing, so encoded slashes, line breaks, NUL or
                // invalid UTF-8 never reach a handler.
                auto decoded = url_decode(segments[i], false);
                if (!decoded || !valid_id(*decoded)) {
                    ok = false;
                    break;
                }
                found[want.substr(1, want.size() - 2)] = *decoded;
            } else if (want != segments[i]) {
                ok = false;
            }
        }
        if (!ok) continue;
        // A literal route wins over a placeholder one of the same shape when both match,
        // because routes are tried in the order they were added.
        if (r.method == method || (method == http::verb::head && r.method == http::verb::get)) {
            params = std::move(found);
            return &r;
        }
        path_matched = true;
    }
    return nullptr;
}

bool router::shape_matches(http::verb method, std::string_view path) const {
    auto segments = split_path(path);
    for (const auto& r : routes_) {
        if (r.method != method || r.segments.size() != segments.size()) continue;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i)
            ok = is_placeholder(r.segments[i]) || r.segments[i] == segments[i];
        if (ok) return true;
    }
    return false;
}

std::string router::allowed_methods(std::string_view path) const {
    std::set<std::string> methods;
    for (auto method : {http::verb::get, http::verb::head, http::verb::post, http::verb::put,
                        http::verb::patch, http::verb::delete_}) {
        std::map<std::string, std::string> params;
        bool path_matched = false;
        if (match(method, path, params, path_matched))
            methods.insert(std::string(http::to_string(method)));
    }
    std::string out;
    for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
    return out;
}

net::awaitable<response> router::dispatch(call& c, const route* r, bool path_matched,
                                          std::string& matched_pattern) const {
    if (!r) {
        matched_pattern.clear();
        if (path_matched) {
            auto res = problem_response(
                c.req, http::status::method_not_allowed, "method-not-allowed",
                "This path does not accept the method " + std::string(c.req.method_string()) + ".");
            // RFC 9110, 15.5.6: a 405 lists the methods the path accepts.
            res.set(http::field::allow, allowed_methods(target_path(c.req.target())));
            co_return res;
        }
        // A PUT that would create something under an identifier that breaks the rule is the
        // client's mistake to mend (docs/api.md, "Requests").
        if (c.req.method() == http::verb::put &&
            shape_matches(http::verb::put, target_path(c.req.target())))
            co_return problem_response(
                c.req, http::status::bad_request, "bad-request",
                "An identifier is 1 to 100 ASCII letters, digits, '-', '_' or '.', starting with a "
                "letter or a digit.",
                {{"field", "id"}});
        co_return problem_response(c.req, http::status::not_found, "not-found",
                                   "No such path: " + std::string(target_path(c.req.target())));
    }
    matched_pattern = r->pattern;
    co_return co_await r->fn(c);
}

}  // namespace creneau::server
