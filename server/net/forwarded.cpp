#include "server/net/forwarded.hpp"
#include "server/net/http.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <stdexcept>

namespace creneau::server {
namespace ip = boost::asio::ip;
namespace http = boost::beast::http;

namespace {

// Splits on `sep`; with `quoting`, outside quoted strings (RFC 9110: "…", with \ escaping
// the next character), and nullopt when a quoted string is left open.
std::optional<std::vector<std::string_view>> split(std::string_view s, char sep,
                                                   bool quoting = true) {
    std::vector<std::string_view> out;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (quoting && quoted && s[i] == '\\') {
            ++i;  // the escaped character, whatever it is
        } else if (quoting && s[i] == '"') {
            quoted = !quoted;
        } else if (s[i] == sep && !quoted) {
            out.push_back(trim_blanks(s.substr(start, i - start)));
            start = i + 1;
        }
    }
    if (quoted) return std::nullopt;
    out.push_back(trim_blanks(s.substr(start)));
    return out;
}

// "192.0.2.1", "192.0.2.1:4711", "[2001:db8::1]:4711", "\"[2001:db8::1]\"", "2001:db8::1"
std::string bare_address(std::string_view v) {
    v = trim_blanks(v);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    if (!v.empty() && v.front() == '[') {
        auto close = v.find(']');
        return std::string(close == std::string_view::npos ? v : v.substr(1, close - 1));
    }
    // One colon: IPv4 with a port. More: a bare IPv6 address.
    if (std::count(v.begin(), v.end(), ':') == 1) v = v.substr(0, v.find(':'));
    return std::string(v);
}

bool parse_address(const std::string& text, ip::address& out) {
    boost::system::error_code ec;
    out = ip::make_address(text, ec);
    if (ec) return false;
    if (out.is_v6() && out.to_v6().is_v4_mapped())
        out = ip::make_address_v4(ip::v4_mapped, out.to_v6());
    if (out.is_v6()) {
        auto v6 = out.to_v6();
        v6.scope_id(0);
        out = v6;
    }
    return true;
}

}  // namespace

proxy_list::proxy_list(const std::string& text, forwarded_header header) : header_(header) {
    const auto items = split(text, ',', false);  // without quoting: never nullopt
    for (auto item : *items) {
        if (item.empty()) continue;
        std::string s(item);
        boost::system::error_code ec;
        if (s.find('/') == std::string::npos) {
            ip::address a;
            if (!parse_address(s, a)) ec = boost::asio::error::invalid_argument;
            if (!ec && a.is_v4()) v4_.push_back(ip::make_network_v4(a.to_v4(), 32));
            if (!ec && a.is_v6()) v6_.push_back(ip::make_network_v6(a.to_v6(), 128));
        } else if (s.find(':') == std::string::npos) {
            auto n = ip::make_network_v4(s, ec);
            if (!ec) v4_.push_back(n.canonical());
        } else {
            auto n = ip::make_network_v6(s, ec);
            // IPv4 networks written as mapped IPv6 (::ffff:10.0.0.0/104) are IPv4 networks:
            // peers are compared as IPv4.
            if (!ec && n.network().is_v4_mapped() && n.prefix_length() >= 96)
                v4_.push_back(
                    ip::make_network_v4(ip::make_address_v4(ip::v4_mapped, n.network()),
                                        static_cast<unsigned short>(n.prefix_length() - 96))
                        .canonical());
            else if (!ec)
                v6_.push_back(n.canonical());
        }
        if (ec)
            throw std::invalid_argument("'" + s +
                                        "' is neither an IP address nor a network (ADDR/BITS)");
    }
}

bool proxy_list::trusts(const ip::address& a) const {
    if (a.is_v4()) {
        auto v4 = a.to_v4();
        return std::any_of(v4_.begin(), v4_.end(), [&](const ip::network_v4& n) {
            return (v4.to_uint() & n.netmask().to_uint()) == n.network().to_uint();
        });
    }
    auto v6 = a.to_v6();
    if (v6.is_v4_mapped()) return trusts(ip::address(ip::make_address_v4(ip::v4_mapped, v6)));
    return std::any_of(v6_.begin(), v6_.end(), [&](const ip::network_v6& n) {
        auto bytes = v6.to_bytes();
        auto net = n.network().to_bytes();
        unsigned bits = n.prefix_length();
        for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
            unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
            if ((bytes[i] & mask) != (net[i] & mask)) return false;
        }
        return true;
    });
}

bool proxy_list::trusts(const std::string& address) const {
    ip::address a;
    return !empty() && parse_address(address, a) && trusts(a);
}

std::optional<std::vector<std::string>> forwarded_hops(const http::fields& headers,
                                                       forwarded_header which) {
    std::vector<std::string> hops;
    for (const auto& h : headers) {
        if (which == forwarded_header::forwarded) {
            if (h.name() != http::field::forwarded) continue;
            auto elements = split(h.value(), ',');
            if (!elements) return std::nullopt;
            for (auto element : *elements) {
                auto pairs = split(element, ';');
                if (!pairs) return std::nullopt;
                for (auto pair : *pairs) {
                    auto eq = pair.find('=');
                    if (eq == std::string_view::npos) continue;
                    if (boost::beast::iequals(trim_blanks(pair.substr(0, eq)), "for"))
                        hops.push_back(bare_address(pair.substr(eq + 1)));
                }
            }
        } else {
            if (!boost::beast::iequals(h.name_string(), "X-Forwarded-For")) continue;
            const auto items = split(h.value(), ',', false);  // without quoting: never nullopt
            for (auto item : *items)
                if (!item.empty()) hops.push_back(bare_address(item));
        }
    }
    return hops;
}

std::string canonical_address(const std::string& text) {
    ip::address a;
    return parse_address(text, a) ? a.to_string() : std::string{};
}

std::string proxy_list::client_of(const std::string& peer, const http::fields& headers) const {
    if (!trusts(peer)) return peer;
    auto hops = forwarded_hops(headers, header_);
    std::string client = peer;
    if (!hops) return client;
    for (auto it = hops->rbegin(); it != hops->rend(); ++it) {
        ip::address a;
        // A hop that is not an address ends the walk: the last proxy we trust is the client
        // as far as we can tell.
        if (!parse_address(*it, a)) break;
        client = a.to_string();
        if (!trusts(a)) break;
    }
    return client;
}

}  // namespace creneau::server
