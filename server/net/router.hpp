#pragma once
// The table of routes: method + path pattern ("/api/reservations/{id}/approve") → handler.
//
// Thread safety: routes are added before the server starts; afterwards the table is only
// read, from any thread.

#include "server/net/http.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace creneau::server {

// What a handler is given.
struct call {
    const request& req;
    // Values of the pattern's {placeholders}, by name.
    std::map<std::string, std::string> params;
    // The client's address, without the port: the peer's, or the one a trusted proxy
    // forwarded (net/forwarded.hpp).
    std::string remote;
    std::string param(const std::string& name) const {
        auto it = params.find(name);
        return it == params.end() ? std::string{} : it->second;
    }
};

using handler = std::function<net::awaitable<response>(call&)>;

struct route {
    http::verb method;
    std::string pattern;  // segments, "{name}" for a placeholder
    std::vector<std::string> segments;
    handler fn;
    // Whether anyone may present a registration code to it, in its path ({code}) or its
    // body: unknown codes are then counted and slowed down per client (docs/privacy.md).
    bool takes_code = false;
};

class router {
  public:
    void add(http::verb method, std::string pattern, handler fn);
    // A route that takes a registration code in its body, guarded as those with one in
    // their path are.
    void add_taking_code(http::verb method, std::string pattern, handler fn);

    // Whether a route of `method` has this path's shape, its placeholders taken as they are
    // (an identifier that breaks the rule among them).
    bool shape_matches(http::verb method, std::string_view path) const;

    // The route for a request, with its placeholders filled; nullptr if none.
    // `path_matched` tells whether some route has this path with another method (405).
    const route* match(http::verb method, std::string_view path,
                       std::map<std::string, std::string>& params, bool& path_matched) const;

    // Runs the handler of a request matched by `match` (`r` and `path_matched` as it gave them,
    // `c.params` filled by it), or answers 404 / 405 as a problem. The pattern of the route
    // taken ("" if none) is stored in `matched_pattern`. A request is matched once on its way
    // (server/net/http_session.cpp).
    net::awaitable<response> dispatch(call& c, const route* r, bool path_matched,
                                      std::string& matched_pattern) const;
    // The methods a path accepts, for a 405's Allow header ("GET, HEAD, POST").
    std::string allowed_methods(std::string_view path) const;

    const std::vector<route>& routes() const { return routes_; }

  private:
    std::vector<route> routes_;
};

}  // namespace creneau::server
