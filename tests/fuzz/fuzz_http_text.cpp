// Request targets, query strings, cookies and forwarding headers: decoding never crashes,
// what decodes never holds more bytes than it came from, and a forwarded client is an IP
// address or the peer itself.

#include "server/net/forwarded.hpp"
#include "server/net/http.hpp"

#include <boost/asio/ip/address.hpp>
#include <stdexcept>

#include <cstdint>
#include <cstdlib>

using namespace creneau::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto path = target_path(text);
    if (path.size() > text.size()) std::abort();
    for (bool plus : {false, true})
        if (auto d = url_decode(text, plus); d && d->size() > text.size()) std::abort();
    for (const char* name : {"resource", "from", "to", "format", ""})
        if (auto v = query_param(text, name); v && v->size() > text.size()) std::abort();
    if (auto c = cookie_value(text, "creneau_session"); c && c->size() > text.size()) std::abort();
    auto cell = csv_cell(std::string(text));
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos)
        std::abort();
    auto disposition = attachment(text);
    if (disposition.find_first_of("\r\n\"", 22) != disposition.size() - 1) std::abort();

    static const proxy_list proxies("127.0.0.0/8, ::1, 10.0.0.0/8");
    for (auto name : {boost::beast::http::field::forwarded, boost::beast::http::field::unknown}) {
        boost::beast::http::fields headers;
        if (name == boost::beast::http::field::unknown)
            headers.insert("X-Forwarded-For", text);
        else
            headers.insert(name, text);
        auto client = proxies.client_of("127.0.0.1", headers);
        boost::system::error_code ec;
        boost::asio::ip::make_address(client, ec);
        if (ec) std::abort();
        if (proxies.client_of("192.0.2.1", headers) != "192.0.2.1") std::abort();
    }
    try {
        proxy_list list{std::string(text)};
        list.trusts("10.1.2.3");
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
