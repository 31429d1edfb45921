// The live channel's client messages, read (docs/live-protocol.md, "Client messages").
#include "server/live/live_protocol.hpp"

#include <catch2/catch.hpp>

using creneau::server::live_request;
using creneau::server::parse_live_request;

namespace {

std::string refusal(std::string_view text) {
    auto r = parse_live_request(text);
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : "";
}

}  // namespace

TEST_CASE("live: 'since' is a sequence number, never a wrapped or negative one", "[live]") {
    auto ok = parse_live_request(
        R"({"op":"subscribe","topics":["calendar:*"],"since":9223372036854775807})");
    REQUIRE(std::holds_alternative<live_request>(ok));
    CHECK(std::get<live_request>(ok).since == INT64_MAX);
    auto zero = parse_live_request(R"({"op":"subscribe","topics":["calendar:*"],"since":0})");
    REQUIRE(std::holds_alternative<live_request>(zero));
    CHECK(std::get<live_request>(zero).since == 0);
    for (const char* since : {"18446744073709551615", "9223372036854775808", "-1",
                              "-9223372036854775808", "1.5", "\"12\"", "true"}) {
        INFO(since);
        CHECK(refusal(std::string(R"({"op":"subscribe","topics":["calendar:*"],"since":)") + since +
                      "}") == "'since' is a sequence number");
    }
}
