#pragma once
// The client's address behind a reverse proxy. A connection's peer is the client, unless the
// peer is one of the configured trusted proxies (--trusted-proxies): then the client is read
// from the one forwarding header the proxies set (--forwarded-header: `X-Forwarded-For` by
// default, or `Forwarded`, RFC 7239), walking the hops from the nearest back and stopping at
// the first address that is not itself a trusted proxy. The other header is never read: a
// proxy passes on what the client sent in it, so the client could choose its address.
// Headers from anyone else are ignored. A malformed header ends the walk at the peer. The
// per-address limits and the logs use this address (docs/operations.md).

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <boost/beast/http/fields.hpp>

#include <optional>
#include <string>
#include <vector>

namespace creneau::server {

enum class forwarded_header { x_forwarded_for, forwarded };

class proxy_list {
  public:
    proxy_list() = default;
    // A comma-separated list of addresses and networks ("127.0.0.1, 10.0.0.0/8, ::1"), and
    // the header those proxies set. Throws std::invalid_argument naming the entry that is
    // neither an address nor a network.
    explicit proxy_list(const std::string& text,
                        forwarded_header header = forwarded_header::x_forwarded_for);

    bool empty() const { return v4_.empty() && v6_.empty(); }
    bool trusts(const boost::asio::ip::address& a) const;
    bool trusts(const std::string& address) const;

    // The client's address (without port) for a request received from `peer`.
    std::string client_of(const std::string& peer, const boost::beast::http::fields& headers) const;

  private:
    std::vector<boost::asio::ip::network_v4> v4_;
    std::vector<boost::asio::ip::network_v6> v6_;
    forwarded_header header_ = forwarded_header::x_forwarded_for;
};

// The addresses one forwarding header lists, farthest first, over all its lines: the `for=`
// values of `Forwarded`, or the items of `X-Forwarded-For`; ports, brackets and quotes
// removed. An item that is not an IP address ("unknown", an obfuscated name) stays as it is.
// nullopt when the header is malformed (a quoted string left open).
std::optional<std::vector<std::string>> forwarded_hops(const boost::beast::http::fields& headers,
                                                       forwarded_header which);

// An address as the limits key it: IPv4 clients of a dual-stack socket as IPv4, without an
// IPv6 zone; "" if `text` is not an address.
std::string canonical_address(const std::string& text);

}  // namespace creneau::server
