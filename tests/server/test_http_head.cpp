// An answer's head as the server writes it (server/net/http.hpp, head_text) is the head Beast's
// serializer writes for the same message, whatever its version, status, reason and fields.
#include "server/net/http.hpp"

#include <boost/beast/http/write.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using namespace creneau::server;

namespace {

// What Beast's serializer writes for the message, body included.
std::string serialized(response res) {
    std::ostringstream out;
    out << res;
    return out.str();
}

}  // namespace

TEST_CASE("http: an answer's head is written as Beast's serializer writes it", "[http]") {
    for (unsigned version : {10u, 11u})
        for (unsigned status : {200u, 201u, 204u, 299u, 304u, 401u, 404u, 405u, 599u})
            for (bool keep : {true, false})
                for (bool reason : {false, true}) {
                    response res{static_cast<http::status>(status), version};
                    res.set(http::field::content_type, "application/problem+json");
                    res.set(http::field::cache_control, "no-store");
                    res.set(http::field::etag, "\"abc\"");
                    res.insert("X-Unknown-Field", "value with  spaces");
                    res.insert(http::field::vary, "Accept-Encoding");
                    if (reason) res.reason("Custom Reason");
                    if (status != 204 && status != 304) res.body() = R"({"status":"ok"})";
                    res.keep_alive(keep);
                    res.prepare_payload();
                    INFO("version " << version << ", status " << status << ", keep-alive " << keep
                                    << ", reason " << reason);
                    CHECK(head_text(res.base()) + res.body() == serialized(res));
                }
}

TEST_CASE("http: an answer without fields has a head of its start line alone", "[http]") {
    response res{http::status::ok, 11};
    CHECK(head_text(res.base()) == "HTTP/1.1 200 OK\r\n\r\n");
    CHECK(head_text(res.base()) == serialized(res));
}
