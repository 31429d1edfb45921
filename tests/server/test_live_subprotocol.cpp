// Which Sec-WebSocket-Protocol values ask for protocol 2 of the live channel
// (docs/live-protocol.md, "Protocol 2").
#include "server/live/websocket_session.hpp"

#include <catch2/catch.hpp>

using creneau::server::offers_live_subprotocol;

TEST_CASE("live: protocol 2 is chosen when the list offers creneau.2, as a whole token", "[live]") {
    CHECK(offers_live_subprotocol("creneau.2"));
    CHECK(offers_live_subprotocol("chat, creneau.2"));
    CHECK(offers_live_subprotocol("creneau.2,chat"));
    CHECK(offers_live_subprotocol(" \tcreneau.2\t , other"));
    CHECK(offers_live_subprotocol(",,,creneau.2,,,"));
    CHECK(offers_live_subprotocol(std::string(15000, ',') + "creneau.2"));

    CHECK_FALSE(offers_live_subprotocol(""));
    CHECK_FALSE(offers_live_subprotocol(",,,,"));
    CHECK_FALSE(offers_live_subprotocol("   "));
    CHECK_FALSE(offers_live_subprotocol("chat"));
    CHECK_FALSE(offers_live_subprotocol("CRENEAU.2"));
    CHECK_FALSE(offers_live_subprotocol("creneau.20"));
    CHECK_FALSE(offers_live_subprotocol("creneau.2x, xcreneau.2"));
    CHECK_FALSE(offers_live_subprotocol("creneau 2"));
    CHECK_FALSE(
        offers_live_subprotocol("\xc3\xa9"
                                "creneau.2"));
    CHECK_FALSE(offers_live_subprotocol(std::string("creneau.2\0", 10)));
}
