// A room's waiting list through the real creneau (docs/domain.md, "Room waiting lists"): a
// request for a taken period waits when asked to, its lender sees and reorders the list, and a
// cancellation hands the period to the first waiting request that fits, live and by mail; the
// public never hears of waiting requests; the server's sweep expires what waited too long.

#include "support/site.hpp"
#include "support/ws_client.hpp"

#include "common/core/time.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace creneau::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json waiting_booking(const std::string& start, const std::string& end, const std::string& title) {
    auto b = booking("meeting-room", start, end, 6, "", title);
    b["wait"] = true;
    return b;
}

std::vector<std::string> ids_of(const json& list) {
    std::vector<std::string> out;
    for (const auto& r : list["waiting"]) out.push_back(r["id"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("rooms' waiting lists: wait, see, reorder, and be promoted when the period frees up",
          "[waiting]") {
    site s;
    auto block = s.admin.post("/api/reservations",
                              booking("meeting-room", "2027-03-09T09:00:00+01:00",
                                      "2027-03-09T12:00:00+01:00", 6, "", "Conseil LLV"));
    REQUIRE(block.status == 201);
    const auto block_id = block.json()["id"].get<std::string>();

    // The public calendar and Claire's organisation watch the room.
    ws_client anyone(s.port());
    anyone.subscribe({"calendar:meeting-room"});
    ws_client claires(s.port(), s.artois.token);
    claires.subscribe({"calendar:meeting-room"});

    // Without `wait`, a taken period is refused as before; with it, the request waits.
    auto refused =
        s.artois.post("/api/reservations", booking("meeting-room", "2027-03-09T10:00:00+01:00",
                                                   "2027-03-09T11:00:00+01:00", 6, "", "Comité"));
    CHECK(refused.status == 409);
    CHECK(refused.json()["code"] == "slot-taken");
    auto first = s.artois.post("/api/reservations",
                               waiting_booking("2027-03-09T10:00:00+01:00",
                                               "2027-03-09T11:00:00+01:00", "Comité de pilotage"));
    REQUIRE(first.status == 201);
    CHECK(first.json()["status"] == "waiting");
    CHECK(first.json()["place"] == 1);
    CHECK(first.json()["quote"]["free"] == true);
    const auto first_id = first.json()["id"].get<std::string>();
    auto again = s.artois.post(
        "/api/reservations",
        waiting_booking("2027-03-09T10:30:00+01:00", "2027-03-09T11:30:00+01:00", "Comité bis"));
    CHECK(again.status == 409);
    CHECK(again.json()["code"] == "conflict");
    auto second = s.admin.post(
        "/api/reservations",
        waiting_booking("2027-03-09T09:30:00+01:00", "2027-03-09T10:30:00+01:00", "Atelier LLV"));
    REQUIRE(second.status == 201);
    CHECK(second.json()["place"] == 2);
    const auto second_id = second.json()["id"].get<std::string>();

    // Claire's organisation hears of its own request (the public hears of neither: below).
    auto heard = claires.next_fact(5s);
    REQUIRE(heard);
    CHECK((*heard)["type"] == "reservation-requested");
    CHECK((*heard)["data"]["status"] == "waiting");
    auto busy = s.anonymous.get(
        "/api/"
        "availability?resource=meeting-room&from=2027-03-09T00:00:00Z&to=2027-03-10T00:00:00Z");
    REQUIRE(busy.status == 200);
    CHECK(busy.json()["busy"].size() == 1);
    CHECK(s.anonymous.get("/api/calendars/meeting-room.ics").body.find("Comité") ==
          std::string::npos);

    // The lender sees the whole list; others see their own requests on it, or nothing.
    auto list = s.admin.get("/api/resources/meeting-room/waitlist");
    REQUIRE(list.status == 200);
    CHECK(ids_of(list.json()) == std::vector<std::string>{first_id, second_id});
    CHECK(ids_of(s.artois.get("/api/resources/meeting-room/waitlist").json()) ==
          std::vector<std::string>{first_id});
    CHECK(ids_of(s.lille.get("/api/resources/meeting-room/waitlist").json()).empty());
    CHECK(s.anonymous.get("/api/resources/meeting-room/waitlist").status == 401);
    CHECK(s.admin.get("/api/resources/nowhere/waitlist").status == 404);
    auto waiting = s.admin.get("/api/reservations?status=waiting");
    REQUIRE(waiting.status == 200);
    CHECK(waiting.json().size() == 2);

    // Only the lender reorders, with the list as it is.
    CHECK(s.artois.post("/api/resources/meeting-room/waitlist", {{"order", {second_id, first_id}}})
              .status == 403);
    // An order that is not a list is a bad request, never taken for an empty one.
    for (const json& bad : {json{{"order", nullptr}}, json::object(), json{{"order", "r1"}}}) {
        auto r = s.admin.post("/api/resources/meeting-room/waitlist", bad);
        CHECK(r.status == 400);
        CHECK(r.json()["field"] == "order");
    }
    auto stale =
        s.admin.post("/api/resources/meeting-room/waitlist", {{"order", json::array({second_id})}});
    CHECK(stale.status == 409);
    CHECK(stale.json()["field"] == "order");
    auto reordered =
        s.admin.post("/api/resources/meeting-room/waitlist", {{"order", {second_id, first_id}}});
    REQUIRE(reordered.status == 200);
    CHECK(ids_of(reordered.json()) == std::vector<std::string>{second_id, first_id});
    CHECK(s.artois.get("/api/reservations/" + first_id).json()["place"] == 2);

    // The council is cancelled: LLV's own request, now first, fits and is approved at once
    // (its requester approves LLV's bookings); Claire's overlaps it and keeps waiting.
    REQUIRE(s.admin.post("/api/reservations/" + block_id + "/cancel", json::object()).status ==
            200);
    CHECK(s.admin.get("/api/reservations/" + second_id).json()["status"] == "approved");
    CHECK(s.artois.get("/api/reservations/" + first_id).json()["place"] == 1);
    // The first the public hears since it subscribed: nothing of the waiting requests nor of
    // the list's order, the cancellation first.
    auto first_public = anyone.next_fact(5s);
    REQUIRE(first_public);
    CHECK((*first_public)["type"] == "reservation-cancelled");
    CHECK((*first_public)["data"]["id"] == block_id);
    // Then LLV cancels its workshop: Claire's request becomes pending, and she hears it live.
    REQUIRE(s.admin.post("/api/reservations/" + second_id + "/cancel", json::object()).status ==
            200);
    auto mine = s.artois.get("/api/reservations/" + first_id);
    CHECK(mine.json()["status"] == "pending");
    CHECK_FALSE(mine.json().contains("place"));
    CHECK(mine.json()["quote"]["free"] == true);
    auto history = s.artois.get("/api/reservations/" + first_id + "/history").json()["history"];
    REQUIRE(history.size() == 2);
    CHECK(history[0]["action"] == "waiting");
    CHECK(history[1]["action"] == "promoted");
    CHECK(history[1]["actor"] == "system");  // not the person who cancelled
    bool promoted = false;
    for (int i = 0; i < 10 && !promoted; ++i) {
        auto m = claires.next_fact(5s);
        REQUIRE(m);
        promoted = (*m)["type"] == "reservation-promoted" && (*m)["data"]["id"] == first_id;
    }
    CHECK(promoted);
    // The public calendar shows it now, as any pending booking.
    bool shown = false;
    for (int i = 0; i < 10 && !shown; ++i) {
        auto m = anyone.next_fact(5s);
        REQUIRE(m);
        shown = (*m)["type"] == "reservation-promoted";
        if (shown) CHECK_FALSE((*m)["data"].contains("title"));
    }
    CHECK(shown);
    // Without a mail server, the mail telling Claire waits in the outbox.
    const auto outbox = s.admin.get("/api/outbox").body;
    CHECK(outbox.find("Place libérée") != std::string::npos);
    // LLV's administrators are told of the request they now have to decide, even the one whose
    // cancellation freed the period.
    CHECK(outbox.find("Nouvelle demande : Salle de réunion, Comité de pilotage") !=
          std::string::npos);
    CHECK(s.admin.get("/api/resources/meeting-room/waitlist").json()["waiting"].empty());
}

TEST_CASE(
    "rooms' waiting lists: the server cancels a request still waiting when its period "
    "begins",
    "[waiting]") {
    site s({}, {"--waiting-sweep-seconds", "1"});
    // A period that begins in a few seconds, taken by LLV; Claire waits for it.
    auto in = [](int seconds) {
        return creneau::format_utc(
            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
            std::chrono::seconds(seconds));
    };
    const auto start = in(3), end = in(600);
    // Open day and night for this test, whatever the hour it runs at.
    auto room = s.admin.get("/api/resources/meeting-room").json();
    for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
        room["hours"][day] = json::array({json::array({"00:00", "24:00"})});
    room["closures"] = json::array();
    auto opened = s.admin.put("/api/resources/meeting-room", room);
    REQUIRE(opened.status == 200);
    auto block = s.admin.post("/api/reservations", booking("meeting-room", start, end, 6));
    REQUIRE(block.status == 201);
    auto waits = s.artois.post("/api/reservations",
                               waiting_booking(start, end, "Réunion de dernière minute"));
    REQUIRE(waits.status == 201);
    const auto id = waits.json()["id"].get<std::string>();
    std::string status = "waiting";
    for (int i = 0; i < 100 && status == "waiting"; ++i) {
        std::this_thread::sleep_for(100ms);
        status = s.artois.get("/api/reservations/" + id).json()["status"];
    }
    CHECK(status == "cancelled");
    auto history = s.artois.get("/api/reservations/" + id + "/history").json()["history"];
    REQUIRE(history.size() == 2);
    CHECK(history[1]["actor"] == "system");
    CHECK(history[1]["detail"].get<std::string>().find("expired") == 0);
}
