// The live channel (GET /live) against the real creneau process, with a Beast WebSocket client.

#include "support/redis_server.hpp"
#include "support/site.hpp"
#include "support/ws_client.hpp"

#include "common/core/time.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

using namespace creneau::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json meeting(int day, int hour, const std::string& title = "Comité de pilotage") {
    // Weekdays from Monday 8 March 2027, whole hours in Paris time (UTC+1 until 28 March).
    int week = day / 5, weekday = day % 5;
    auto start = *creneau::parse_rfc3339("2027-03-08T00:00:00+01:00") +
                 std::chrono::days(week * 7 + weekday) + std::chrono::hours(hour);
    if (start >= *creneau::parse_rfc3339("2027-03-28T02:00:00+01:00"))
        start -= std::chrono::hours(1);
    return booking("meeting-room", creneau::format_utc(start),
                   creneau::format_utc(start + std::chrono::minutes(30)), 6, "", title);
}

std::string book(const api_client& c, int day, int hour,
                 const std::string& title = "Comité de pilotage") {
    auto r = c.post("/api/reservations", meeting(day, hour, title));
    REQUIRE(r.status == 201);
    return r.json()["id"];
}

}  // namespace

TEST_CASE("live: subscribe, book through HTTP, receive the fact", "[live]") {
    site s;
    ws_client ws(s.port(), s.artois.token);
    auto hello = ws.next(5s);
    REQUIRE(hello);
    CHECK((*hello)["type"] == "hello");
    CHECK((*hello)["seq"] == s.head());
    CHECK((*hello)["role"] == "member");
    ws.subscribe({"calendar:meeting-room"});
    auto id = book(s.artois, 0, 9);
    auto fact = ws.next_fact(5s);
    REQUIRE(fact);
    CHECK((*fact)["type"] == "reservation-requested");
    CHECK((*fact)["topic"] == "calendar:meeting-room");
    CHECK((*fact)["seq"].get<std::int64_t>() == s.head());
    CHECK((*fact)["data"]["id"] == id);
    CHECK((*fact)["data"]["status"] == "pending");
    CHECK((*fact)["data"]["title"] == "Comité de pilotage");  // its own organisation's: details
    // Written as text (docs/architecture.md, "Answers written as text"), byte for byte what the
    // message's document prints.
    CHECK(ws.last_text() == fact->dump());
    s.admin.post("/api/reservations/" + id + "/approve");
    auto approved = ws.next_fact(5s);
    REQUIRE(approved);
    CHECK(ws.last_text() == approved->dump());
    CHECK((*approved)["type"] == "reservation-approved");
    CHECK((*approved)["data"]["status"] == "approved");
    // Another resource's calendar is not sent.
    book(s.artois, 0, 10);
    s.artois.post("/api/reservations", booking("atrium", "2027-03-08T09:00:00+01:00",
                                               "2027-03-08T10:00:00+01:00", 10, "plenary"));
    auto next = ws.next_fact(5s);
    REQUIRE(next);
    CHECK((*next)["topic"] == "calendar:meeting-room");
    CHECK_FALSE(ws.next_fact(300ms));
}

TEST_CASE(
    "live: reconnecting with the last sequence number gets exactly the missed facts, then live "
    "ones",
    "[live]") {
    site s;
    std::int64_t last = 0;
    {
        ws_client ws(s.port());
        ws.next(5s);
        ws.subscribe({"calendar:*"});
        book(s.artois, 0, 9);
        auto f = ws.next_fact(5s);
        REQUIRE(f);
        last = (*f)["seq"];
    }
    // Several facts while disconnected, on two resources.
    std::vector<std::string> missed = {book(s.artois, 1, 9), book(s.artois, 1, 10),
                                       book(s.artois, 2, 9)};
    auto refused = missed[1];
    s.admin.post("/api/reservations/" + refused + "/refuse", {{"reason", "Travaux"}});
    s.artois.post("/api/reservations", booking("atrium", "2027-03-09T09:00:00+01:00",
                                               "2027-03-09T10:00:00+01:00", 10, "plenary"));

    ws_client ws(s.port());
    ws.next(5s);
    auto replayed = ws.subscribe({"calendar:*"}, last);
    REQUIRE(replayed.size() == 5);
    std::int64_t seq = last;
    for (const auto& m : replayed) {
        CHECK(m["seq"].get<std::int64_t>() > seq);  // in order, no repeat
        seq = m["seq"];
    }
    CHECK(replayed[0]["data"]["id"] == missed[0]);
    CHECK(replayed[3]["type"] == "reservation-refused");
    CHECK(replayed[4]["topic"] == "calendar:atrium");
    // Then live.
    auto id = book(s.artois, 3, 9);
    auto live = ws.next_fact(5s);
    REQUIRE(live);
    CHECK((*live)["data"]["id"] == id);
    CHECK((*live)["seq"].get<std::int64_t>() > seq);
    // Only the topics subscribed: a subscription to one resource replays that resource only.
    ws_client one(s.port());
    one.next(5s);
    auto only = one.subscribe({"calendar:atrium"}, last);
    REQUIRE(only.size() == 1);
    CHECK(only[0]["topic"] == "calendar:atrium");
}

TEST_CASE(
    "live: protocol 2 gathers what is queued into one WebSocket message, one JSON object per "
    "line, the same messages in the same order as protocol 1",
    "[live]") {
    site s;
    std::int64_t last = s.head();
    book(s.artois, 0, 9);
    auto refused = book(s.artois, 0, 10);
    s.admin.post("/api/reservations/" + refused + "/refuse", {{"reason", "Travaux"}});
    book(s.artois, 1, 9);
    book(s.admin, 1, 10);  // LLV's own: approved as it is requested, two facts in one commit

    ws_client one(s.port(), s.artois.token);
    CHECK(one.subprotocol().empty());
    CHECK((*one.next(5s))["protocol"] == 1);
    // Offered among others, with blanks: chosen.
    ws_client two(s.port(), s.artois.token, {}, {}, "chat, creneau.2 ,other");
    CHECK(two.subprotocol() == "creneau.2");
    auto hello = two.next(5s);
    REQUIRE(hello);
    CHECK((*hello)["type"] == "hello");
    CHECK((*hello)["protocol"] == 2);

    auto frames = two.frames();
    auto gathered = two.subscribe({"calendar:*"}, last);
    auto plain = one.subscribe({"calendar:*"}, last);
    REQUIRE(plain.size() == 6);
    CHECK(gathered == plain);
    // The replay and its confirmation were queued together: one message carries the seven.
    CHECK(two.frames() - frames == 1);

    // Live: the lines of one message are each a whole fact, none lost; the two facts of each
    // commit go in one message.
    frames = two.frames();
    for (int i = 0; i < 4; ++i) book(s.admin, 2, 9 + i);
    for (int i = 0; i < 8; ++i) {
        auto a = one.next_fact(5s), b = two.next_fact(5s);
        REQUIRE(a);
        REQUIRE(b);
        CHECK(*a == *b);
    }
    CHECK_FALSE(two.next_fact(300ms));
    CHECK(two.frames() - frames <= 4);
    // A client offering only other subprotocols gets protocol 1, with no subprotocol chosen.
    ws_client other(s.port(), "", {}, {}, "chat");
    CHECK(other.subprotocol().empty());
    CHECK((*other.next(5s))["protocol"] == 1);
}

TEST_CASE("live: anonymous subscribers never receive titles, organisations or persons", "[live]") {
    site s;
    ws_client anon(s.port());
    ws_client other(s.port(), s.lille.token);
    CHECK((*anon.next(5s))["role"] == "anonymous");
    other.next(5s);
    anon.subscribe({"calendar:*"});
    other.subscribe({"calendar:*"});
    auto id = book(s.artois, 0, 9, "Réunion secrète du jury");
    s.admin.post("/api/reservations/" + id + "/refuse", {{"reason", "Motif confidentiel"}});
    for (auto* c : {&anon, &other}) {
        for (int i = 0; i < 2; ++i) {
            auto f = c->next_fact(5s);
            REQUIRE(f);
            auto text = f->dump();
            INFO(text);
            CHECK(text.find("secrète") == std::string::npos);
            CHECK(text.find("univ-artois") == std::string::npos);
            CHECK(text.find("Claire") == std::string::npos);
            CHECK(text.find("confidentiel") == std::string::npos);
            CHECK(text.find("quote") == std::string::npos);
            CHECK((*f)["data"].size() == 5);  // id, resource, start, end, status
        }
    }
}

TEST_CASE(
    "live: an event restricted after a subscription no longer reaches those who may not "
    "see it",
    "[live]") {
    site s;
    json day = {{"kind", "welcome-day"},
                {"title", "Journée d'accueil"},
                {"capacity", 50},
                {"opens", "2020-01-01T00:00:00Z"},
                {"closes", "2035-01-01T00:00:00Z"}};
    REQUIRE(s.organiser.put("/api/events/accueil", day).status == 200);
    ws_client anon(s.port()), lille(s.port(), s.lille.token), artois(s.port(), s.artois.token);
    for (auto* c : {&anon, &lille, &artois}) {
        REQUIRE(c->next(5s));
        c->subscribe({"event:accueil"});
    }
    day["restricted"] = true;
    day["organisations"] = {"univ-artois"};
    REQUIRE(s.organiser.put("/api/events/accueil", day).status == 200);
    REQUIRE(s.anonymous.get("/api/events/accueil").status == 404);
    REQUIRE(s.artois
                .post("/api/events/accueil/registrations",
                      {{"name", "Claire Martin"}, {"email", "claire.martin@univ-artois.fr"}})
                .status == 201);
    auto counts = artois.next_fact(5s);
    REQUIRE(counts);
    CHECK((*counts)["type"] == "registered");
    CHECK((*counts)["data"]["registered"] == 1);
    CHECK_FALSE(anon.next_fact(300ms));
    CHECK_FALSE(lille.next_fact(300ms));
}

TEST_CASE("live: the catalogue topic shows accounts' changes to their administrators only",
          "[live]") {
    site s;
    ws_client anon(s.port()), lille(s.port(), s.lille.token), admin(s.port(), s.admin.token);
    for (auto* c : {&anon, &lille, &admin}) {
        REQUIRE(c->next(5s));
        c->subscribe({"catalogue"});
    }
    const json camille = {{"email", "camille@univ-artois.fr"},
                          {"name", "Camille Invitée"},
                          {"role", "member"},
                          {"organisation", "univ-artois"}};
    REQUIRE(s.admin.post("/api/users", camille).status == 201);
    // The operator's administrators see who was invited, and the link issued for them ...
    auto added = admin.next_fact(5s);
    REQUIRE(added);
    CHECK((*added)["type"] == "user-added");
    CHECK((*added)["data"]["organisation"] == "univ-artois");
    // ... others see nothing of it; a change of the catalogue itself reaches everyone.
    auto room = s.admin.get("/api/resources/meeting-room").json();
    room["name"] = "Salle de réunion (rénovée)";
    REQUIRE(s.admin.put("/api/resources/meeting-room", room).status == 200);
    for (auto* c : {&anon, &lille}) {
        auto first = c->next_fact(5s);
        REQUIRE(first);
        INFO(first->dump());
        CHECK((*first)["type"] == "resource-defined");
    }
}

TEST_CASE(
    "live: a client that never reads is closed, another on the same server gets everything on time",
    "[live]") {
    site s({}, {"--live-queue-bytes", "65536", "--live-queue-messages", "100000"});
    // The slow one: signed in as an administrator (the long messages), a tiny receive window, never
    // reading.
    // In both protocols: a gathered write keeps the same bounds.
    const std::string protocol = GENERATE(std::string{}, std::string{"creneau.2"});
    ws_client slow(s.port(), s.admin.token, 2048, {}, protocol);
    slow.next(5s);
    slow.subscribe({"calendar:*"});
    ws_client fast(s.port());
    fast.next(5s);
    fast.subscribe({"calendar:*"});

    const int bookings = 320;
    std::string long_title(190, 'x');
    int received = 0;
    std::chrono::milliseconds worst{0};
    for (int i = 0; i < bookings; ++i) {
        auto sent = std::chrono::steady_clock::now();
        book(s.admin, i / 8, 8 + i % 8, long_title + std::to_string(i));
        auto f = fast.next_fact(scaled(2s));
        REQUIRE(f);
        ++received;
        worst = std::max(worst, std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - sent));
    }
    CHECK(received == bookings);
    INFO("slowest delivery to the fast client: " << worst.count() << " ms");
    CHECK(worst < scaled(1s));
    auto code = slow.wait_close(scaled(15s));
    REQUIRE(code);
    CHECK(*code == 4008);
    auto metrics = s.anonymous.get("/metrics").body;
    CHECK_THAT(metrics, Catch::Contains("creneau_live_slow_closes_total 1"));
}

TEST_CASE(
    "live: two instances on one Redis, a booking through the first reaches a subscriber of the "
    "second",
    "[live][redis]") {
    site s(redis_url(shared_redis_port(), unique_prefix()));
    server_process second(s.opts);
    ws_client ws(second.port());
    ws.next(5s);
    ws.subscribe({"calendar:meeting-room"});
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(book(s.artois, i, 9));
    std::int64_t seq = 0;
    for (const auto& id : ids) {
        auto f = ws.next_fact(scaled(5s));
        REQUIRE(f);
        CHECK((*f)["data"]["id"] == id);  // in order, none missing
        CHECK((*f)["seq"].get<std::int64_t>() > seq);
        seq = (*f)["seq"];
    }
}

TEST_CASE("live: the protocol refuses what it does not know, and checks the Origin", "[live]") {
    site s;
    ws_client ws(s.port());
    ws.next(5s);
    // The topics refused are named, for the client to subscribe again without them; none of
    // the others is added meanwhile.
    ws.send({{"op", "subscribe"},
             {"topics", {"calendar:meeting-room", "calendar:ballroom", "event:bal"}}});
    auto err = ws.next(5s);
    REQUIRE(err);
    CHECK((*err)["type"] == "error");
    CHECK((*err)["detail"] == "unknown topic");
    CHECK((*err)["topics"] == nlohmann::json{"calendar:ballroom", "event:bal"});
    book(s.artois, 0, 10);
    ws.send({{"op", "ping"}});
    CHECK((*ws.next(5s))["type"] == "pong");  // and no fact of the meeting room before it
    // Refused subscriptions are well-formed: they never close the connection, where more
    // than twenty malformed messages do.
    for (int i = 0; i < 25; ++i) {
        ws.send({{"op", "subscribe"}, {"topics", {"event:bal"}}});
        REQUIRE((*ws.next(5s))["type"] == "error");
    }
    ws.send({{"op", "ping"}});
    CHECK((*ws.next(5s))["type"] == "pong");
    for (int i = 0; i < 20; ++i) {
        ws.send({{"op", "dance"}});
        REQUIRE((*ws.next(5s))["type"] == "error");
    }
    ws.send({{"op", "ping"}});
    CHECK((*ws.next(5s))["type"] == "pong");
    ws.send({{"op", "dance"}});
    CHECK(ws.wait_close(5s) == 4000);
    CHECK_THROWS(ws_client(s.port(), "", {}, "https://evil.example"));
    ws_client same(s.port(), "", {}, numbered("http://127.0.0.1:", s.port()));
    CHECK((*same.next(5s))["type"] == "hello");
    CHECK(s.anonymous.get("/live").status == 426);
}
