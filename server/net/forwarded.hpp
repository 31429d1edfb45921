#pragma once
// The client's address behind a reverse proxy. A connection's peer is the client, unless the
// peer is one of the configured trusted proxies (--trusted-proxies): then the client is read
// from the `Forwarded` (RFC 7239) or, without it, `X-Forwarded-For` header, walking the hops
// from the nearest back and stopping at the first address that is not itself a trusted
// proxy. Headers from anyone else are ignored: a client cannot choose its own address.
// The per-address limits and the logs use this address (docs/operations.md).

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <boost/beast/http/fields.hpp>

#include <string>
#include <vector>

namespace creneau::server {

class proxy_list {
  public:
    proxy_list() = default;
    // A comma-separated list of addresses and networks ("127.0.0.1, 10.0.0.0/8, ::1").
    // Throws std::invalid_argument naming the entry that is neither.
    explicit proxy_list(const std::string& text);

    bool empty() const { return v4_.empty() && v6_.empty(); }
    bool trusts(const boost::asio::ip::address& a) const;
    bool trusts(const std::string& address) const;

    // The client's address (without port) for a request received from `peer`.
    std::string client_of(const std::string& peer, const boost::beast::http::fields& headers) const;

  private:
    std::vector<boost::asio::ip::network_v4> v4_;
    std::vector<boost::asio::ip::network_v6> v6_;
};

// The addresses a request's forwarding headers list, farthest first: the `for=` values of
// `Forwarded` if any, else the items of `X-Forwarded-For`; ports, brackets and quotes
// removed. An item that is not an IP address ("unknown", an obfuscated name) stays as it is.
std::vector<std::string> forwarded_hops(const boost::beast::http::fields& headers);

}  // namespace creneau::server
