#pragma once
// Test support: a small synchronous HTTP/1.1 client over loopback (Boost.Beast).

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace creneau::test {

struct http_reply {
    unsigned status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    nlohmann::json json() const { return nlohmann::json::parse(body); }
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string{} : it->second;
    }
};

// One request on a new connection. Throws boost::system::system_error on I/O failure.
http_reply http_call(std::uint16_t port, boost::beast::http::verb method, const std::string& target,
                     const std::string& body = {},
                     const std::map<std::string, std::string>& headers = {});

// The same from another loopback address (127.0.0.2 …): another client, as the server sees it.
http_reply http_call_from(const std::string& source, std::uint16_t port,
                          boost::beast::http::verb method, const std::string& target,
                          const std::string& body = {},
                          const std::map<std::string, std::string>& headers = {});

// Sends raw bytes on a new connection and returns all that comes back until the server
// closes it or `timeout` passes.
std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

inline http_reply http_get(std::uint16_t port, const std::string& target,
                           const std::map<std::string, std::string>& headers = {}) {
    return http_call(port, boost::beast::http::verb::get, target, {}, headers);
}

}  // namespace creneau::test
