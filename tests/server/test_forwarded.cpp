// The client's address behind a reverse proxy (server/net/forwarded.hpp).

#include "server/net/forwarded.hpp"

#include <catch2/catch.hpp>

using namespace creneau::server;
namespace http = boost::beast::http;

namespace {

http::fields headers(std::initializer_list<std::pair<const char*, const char*>> list) {
    http::fields f;
    for (const auto& [name, value] : list) f.insert(name, value);
    return f;
}

}  // namespace

TEST_CASE("forwarded: proxy lists take addresses and networks, and name what is neither",
          "[forwarded]") {
    proxy_list p("127.0.0.1, 10.0.0.0/8,::1 , fd00::/8");
    CHECK(p.trusts("127.0.0.1"));
    CHECK_FALSE(p.trusts("127.0.0.2"));
    CHECK(p.trusts("10.200.3.4"));
    CHECK_FALSE(p.trusts("11.0.0.1"));
    CHECK(p.trusts("::1"));
    CHECK(p.trusts("fd12:3456::1"));
    CHECK_FALSE(p.trusts("fe80::1"));
    CHECK(p.trusts("::ffff:10.1.2.3"));  // an IPv4 client of a dual-stack socket
    CHECK_FALSE(p.trusts("not an address"));
    CHECK(proxy_list("").empty());
    CHECK_FALSE(proxy_list("").trusts("127.0.0.1"));
    CHECK(proxy_list("10.0.0.7/8").trusts("10.9.9.9"));  // host bits are ignored
    CHECK_THROWS_WITH(proxy_list("10.0.0.0/33"), Catch::Contains("'10.0.0.0/33'"));
    CHECK_THROWS_WITH(proxy_list("proxy.local"), Catch::Contains("'proxy.local'"));
    CHECK_THROWS(proxy_list("::1/129"));
}

TEST_CASE("forwarded: the hops of Forwarded, or else of X-Forwarded-For", "[forwarded]") {
    CHECK(forwarded_hops(headers({{"X-Forwarded-For", "203.0.113.5, 10.0.0.1"}})) ==
          std::vector<std::string>{"203.0.113.5", "10.0.0.1"});
    CHECK(forwarded_hops(headers(
              {{"X-Forwarded-For", "203.0.113.5"}, {"x-forwarded-for", "10.0.0.1:8080"}})) ==
          std::vector<std::string>{"203.0.113.5", "10.0.0.1"});
    CHECK(forwarded_hops(headers(
              {{"Forwarded", R"(for="[2001:db8::1]:4711";proto=https;by=10.0.0.1, For=unknown)"},
               {"X-Forwarded-For", "198.51.100.1"}})) ==
          std::vector<std::string>{"2001:db8::1", "unknown"});
    CHECK(forwarded_hops(headers({{"Forwarded", R"(proto=https;host="a,b")"}})).empty());
    CHECK(forwarded_hops(headers({})).empty());
    CHECK(forwarded_hops(headers({{"X-Forwarded-For", " , ,"}})).empty());
}

TEST_CASE("forwarded: the client is the first hop, from the nearest back, that is not a proxy",
          "[forwarded]") {
    proxy_list p("127.0.0.1, 10.0.0.0/8");
    // Not from a proxy: the headers are the client's own words, and ignored.
    CHECK(p.client_of("198.51.100.9", headers({{"X-Forwarded-For", "1.2.3.4"}})) == "198.51.100.9");
    // From a proxy without headers: the proxy itself.
    CHECK(p.client_of("127.0.0.1", headers({})) == "127.0.0.1");
    // A client's forged first hop is passed over: the nearest untrusted hop wins.
    CHECK(p.client_of("127.0.0.1", headers({{"X-Forwarded-For",
                                             "6.6.6.6, 203.0.113.5, 10.1.1.1"}})) == "203.0.113.5");
    CHECK(p.client_of("127.0.0.1", headers({{"Forwarded", "for=\"[2001:DB8::1]\""}})) ==
          "2001:db8::1");
    // A hop that is no address ends the walk at the last trusted one.
    CHECK(p.client_of("127.0.0.1", headers({{"X-Forwarded-For", "unknown, 10.1.1.1"}})) ==
          "10.1.1.1");
    CHECK(p.client_of("127.0.0.1", headers({{"X-Forwarded-For", "<script>"}})) == "127.0.0.1");
    // Every hop trusted: the farthest.
    CHECK(p.client_of("127.0.0.1", headers({{"X-Forwarded-For", "10.3.3.3, 10.2.2.2"}})) ==
          "10.3.3.3");
    // Without any trusted proxy, nobody's headers count.
    CHECK(proxy_list().client_of("127.0.0.1", headers({{"X-Forwarded-For", "1.2.3.4"}})) ==
          "127.0.0.1");
}
