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
    // Mapped IPv4 entries trust the IPv4 peers they name.
    CHECK(proxy_list("::ffff:127.0.0.1").trusts("127.0.0.1"));
    CHECK(proxy_list("::ffff:10.0.0.0/104").trusts("10.20.30.40"));
    CHECK_FALSE(proxy_list("::ffff:10.0.0.0/104").trusts("11.0.0.1"));
}

TEST_CASE("forwarded: addresses as the limits key them", "[forwarded]") {
    CHECK(canonical_address("::ffff:127.0.0.3") == "127.0.0.3");
    CHECK(canonical_address("fe80::1%2") == "fe80::1");
    CHECK(canonical_address("2001:DB8::1") == "2001:db8::1");
    CHECK(canonical_address("192.0.2.1") == "192.0.2.1");
    CHECK(canonical_address("nope").empty());
}

TEST_CASE("forwarded: the hops of the one header the proxies set", "[forwarded]") {
    using hops = std::optional<std::vector<std::string>>;
    const auto xff = forwarded_header::x_forwarded_for;
    const auto std7239 = forwarded_header::forwarded;
    CHECK(forwarded_hops(headers({{"X-Forwarded-For", "203.0.113.5, 10.0.0.1"}}), xff) ==
          hops{{"203.0.113.5", "10.0.0.1"}});
    CHECK(forwarded_hops(
              headers({{"X-Forwarded-For", "203.0.113.5"}, {"x-forwarded-for", "10.0.0.1:8080"}}),
              xff) == hops{{"203.0.113.5", "10.0.0.1"}});
    auto both =
        headers({{"Forwarded", R"(for="[2001:db8::1]:4711";proto=https;by=10.0.0.1, For=unknown)"},
                 {"X-Forwarded-For", "198.51.100.1"}});
    // Each mode reads its own header only: the other is the client's to write.
    CHECK(forwarded_hops(both, std7239) == hops{{"2001:db8::1", "unknown"}});
    CHECK(forwarded_hops(both, xff) == hops{{"198.51.100.1"}});
    CHECK(forwarded_hops(headers({{"Forwarded", R"(proto=https;host="a,b")"}}), std7239) ==
          hops{std::vector<std::string>{}});
    CHECK(forwarded_hops(headers({}), std7239) == hops{std::vector<std::string>{}});
    CHECK(forwarded_hops(headers({{"X-Forwarded-For", " , ,"}}), xff) ==
          hops{std::vector<std::string>{}});
    // A quoted string holds an escaped quote and the separators inside it.
    CHECK(forwarded_hops(headers({{"Forwarded", R"(for=1.2.3.4;x="a\"b, c", for=203.0.113.9)"}}),
                         std7239) == hops{{"1.2.3.4", "203.0.113.9"}});
    // A quoted string left open: the header is malformed.
    CHECK_FALSE(
        forwarded_hops(headers({{"Forwarded", R"(for=1.2.3.4;x="a, for=203.0.113.9)"}}), std7239));
    // Quotes mean nothing in X-Forwarded-For.
    CHECK(forwarded_hops(headers({{"X-Forwarded-For", R"("a, 203.0.113.9)"}}), xff) ==
          hops{{"\"a", "203.0.113.9"}});
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
    CHECK(proxy_list("127.0.0.1", forwarded_header::forwarded)
              .client_of("127.0.0.1", headers({{"Forwarded", "for=\"[2001:DB8::1]\""}})) ==
          "2001:db8::1");
    // A hop that is no address ends the walk at the last trusted one.
    CHECK(p.client_of("127.0.0.1", headers({{"X-Forwarded-For", "unknown, 10.1.1.1"}})) ==
          "10.1.1.1");
    CHECK(p.client_of("127.0.0.1", headers({{"X-Forwarded-For", "<script>"}})) == "127.0.0.1");
    // Every hop trusted: the farthest.
    CHECK(p.client_of("127.0.0.1", headers({{"X-Forwarded-For", "10.3.3.3, 10.2.2.2"}})) ==
          "10.3.3.3");
    // The Forwarded header is not read unless the proxies are said to set it.
    CHECK(p.client_of("127.0.0.1", headers({{"Forwarded", "for=6.6.6.6"}})) == "127.0.0.1");
    proxy_list standard("127.0.0.1", forwarded_header::forwarded);
    CHECK(standard.client_of("127.0.0.1", headers({{"Forwarded", "for=6.6.6.6"},
                                                   {"X-Forwarded-For", "7.7.7.7"}})) == "6.6.6.6");
    // A malformed header ends the walk at the peer.
    CHECK(standard.client_of("127.0.0.1", headers({{"Forwarded", R"(for=6.6.6.6;x="open)"}})) ==
          "127.0.0.1");
    // Zone ids and mapped forms do not make new clients.
    CHECK(p.client_of("127.0.0.1", headers({{"X-Forwarded-For", "fe80::1%eth0"}})) == "fe80::1");
    CHECK(p.client_of("127.0.0.1", headers({{"X-Forwarded-For", "::ffff:203.0.113.5"}})) ==
          "203.0.113.5");
    // Without any trusted proxy, nobody's headers count.
    CHECK(proxy_list().client_of("127.0.0.1", headers({{"X-Forwarded-For", "1.2.3.4"}})) ==
          "127.0.0.1");
}
