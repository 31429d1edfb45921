// The single window through the real creneau (docs/domain.md, "The single window"): a student
// association asks the Lille agreement's window for a room, the window's operator sees which
// rooms fit and routes the request, the room's lender decides it as any request; the association
// follows every step, live and by mail, and all of it survives a restart.

#include "support/site.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>

using namespace creneau::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// The renewal of the Lille agreement, in force from 2027, with its window run by the University.
json lille_2027() {
    return {{"name", "Convention Ville de Lille – Université de Lille 2027-2030"},
            {"provider", "ville-lille"},
            {"beneficiary", "univ-lille"},
            {"reciprocal", true},
            {"valid_from", "2027-01-01"},
            {"valid_to", "2030-12-31"},
            {"resources",
             {{"lille-amphi", {{"free", "unlimited"}}},
              {"lille-salon-hotel-de-ville", {{"free", "unlimited"}}}}},
            {"min_notice", {{"months", 2}}},
            {"billed_as", "other"},
            {"window_operator", "univ-lille"}};
}

// A signed-in account made by the operator through an invitation.
api_client account(site& s, const std::string& email, const std::string& role,
                   const std::string& org) {
    return invited_account(s.admin, email, "Compte " + email, role, org);
}

json concert(const std::string& start = "2027-10-08T18:00:00+02:00",
             const std::string& end = "2027-10-08T23:00:00+02:00") {
    return {{"agreement", "lille-2027"},
            {"title", "Concert de rentrée"},
            {"description", "Scène et bar"},
            {"start", start},
            {"end", end},
            {"attendees", 120},
            {"kind", "reception"}};
}

}  // namespace

TEST_CASE(
    "single window: an association asks, the window routes, the lender decides, and the "
    "association follows it live",
    "[window]") {
    site s;
    REQUIRE(s.admin.put("/api/agreements/lille-2027", lille_2027()).status == 200);
    REQUIRE(s.admin
                .put("/api/organisations/asso-musique",
                     {{"name", "Association des étudiants en musique"},
                      {"category", "student-association"},
                      {"accredited_by", "univ-lille"}})
                .status == 200);
    auto asso = account(s, "bureau@asso-musique.fr", "member", "asso-musique");
    auto window = account(s, "guichet@univ-lille.fr", "admin", "univ-lille");
    auto city = account(s, "salles@lille.fr", "admin", "ville-lille");

    // Each sees the window as what they are to it (the shipped 2022-2026 agreement's window
    // too, until it ends).
    auto find = [](const json& windows, const std::string& agreement) {
        for (const auto& w : windows)
            if (w["agreement"] == agreement) return w;
        return json();
    };
    auto mine = find(asso.get("/api/windows").json(), "lille-2027");
    REQUIRE(mine.is_object());
    CHECK(mine["submits"] == true);
    CHECK(mine["runs"] == false);
    CHECK(mine["queued"].is_null());
    CHECK(mine["min_notice"]["months"] == 2);
    auto runs = find(window.get("/api/windows").json(), "lille-2027");
    REQUIRE(runs.is_object());
    CHECK(runs["runs"] == true);
    CHECK(runs["queued"] == 0);
    CHECK(s.artois.get("/api/windows").json().empty());

    ws_client assos(s.port(), asso.token);
    assos.subscribe({"window:lille-2027", "calendar:*"});
    ws_client anyone(s.port());
    anyone.subscribe({"window:lille-2027", "calendar:lille-salon-hotel-de-ville"});

    // Bad requests are refused before anything is written.
    auto bad = concert();
    bad["kind"] = "stadium";
    CHECK(asso.post("/api/window-requests", bad).json()["field"] == "kind");
    auto soon = asso.post("/api/window-requests",
                          concert("2027-01-08T18:00:00+01:00", "2027-01-08T20:00:00+01:00"));
    CHECK(soon.status == 422);
    CHECK(soon.json()["code"] == "notice-too-short");
    CHECK(s.lille.post("/api/window-requests", concert()).status == 403);

    auto made = asso.post("/api/window-requests", concert());
    REQUIRE(made.status == 201);
    const auto id = made.json()["id"].get<std::string>();
    CHECK(made.headers["location"] == "/api/window-requests/" + id);
    CHECK(made.json()["status"] == "submitted");
    CHECK(made.json()["routable"] == true);
    auto heard = assos.next_fact(5s);
    REQUIRE(heard);
    CHECK((*heard)["type"] == "window-request-submitted");
    CHECK((*heard)["data"]["status"] == "submitted");

    // Who sees it: the association and the window's operator; nobody else, not even Lille's
    // other members or the City.
    CHECK(window.get("/api/window-requests/" + id).status == 200);
    CHECK(s.lille.get("/api/window-requests/" + id).status == 404);
    CHECK(city.get("/api/window-requests/" + id).status == 404);
    CHECK(s.admin.get("/api/window-requests/" + id).status == 404);
    CHECK(window.get("/api/window-requests?status=submitted").json().size() == 1);
    CHECK(window.get("/api/window-requests?status=nope").status == 400);

    // The rooms it may go to: the City's salon fits; the amphitheatre closes at 21:00.
    CHECK(asso.get("/api/window-requests/" + id + "/rooms").status == 403);
    auto rooms = window.get("/api/window-requests/" + id + "/rooms").json();
    REQUIRE(rooms.size() == 2);
    std::map<std::string, json> by_room;
    for (const auto& r : rooms) by_room[r["resource"].get<std::string>()] = r;
    CHECK(by_room["lille-salon-hotel-de-ville"]["fits"] == true);
    CHECK(by_room["lille-salon-hotel-de-ville"]["quote"]["free"] == true);
    CHECK(by_room["lille-salon-hotel-de-ville"]["lender"] == "ville-lille");
    CHECK(by_room["lille-amphi"]["fits"] == false);
    CHECK(by_room["lille-amphi"]["code"] == "closed");
    // Looking changes nothing.
    CHECK(window.get("/api/window-requests/" + id).json()["status"] == "submitted");

    // Only the operator routes; a room that does not fit is refused with its rule.
    CHECK(
        asso.post("/api/window-requests/" + id + "/assign", {{"resource", "lille-amphi"}}).status ==
        403);
    auto closed =
        window.post("/api/window-requests/" + id + "/assign", {{"resource", "lille-amphi"}});
    CHECK(closed.status == 422);
    CHECK(closed.json()["code"] == "closed");
    auto routed = window.post("/api/window-requests/" + id + "/assign",
                              {{"resource", "lille-salon-hotel-de-ville"}});
    REQUIRE(routed.status == 200);
    CHECK(routed.json()["status"] == "assigned");
    CHECK(routed.json()["booking"]["status"] == "pending");
    CHECK(routed.json()["booking"]["lender_name"] == "Ville de Lille");
    const auto rid = routed.json()["reservation"].get<std::string>();

    // It is now the association's reservation request, for the City's approval.
    auto reservation = asso.get("/api/reservations/" + rid);
    REQUIRE(reservation.status == 200);
    CHECK(reservation.json()["organisation"] == "asso-musique");
    CHECK(reservation.json()["status"] == "pending");
    CHECK(reservation.json()["agreement"] == "lille-2027");
    CHECK(reservation.json()["requester_name"] == "Compte bureau@asso-musique.fr");
    bool requested = false, assigned = false;
    for (int i = 0; i < 4 && !(requested && assigned); ++i) {
        auto m = assos.next_fact(5s);
        REQUIRE(m);
        requested |= (*m)["type"] == "reservation-requested";
        assigned |= (*m)["type"] == "window-request-assigned";
    }
    CHECK(requested);
    CHECK(assigned);
    CHECK(city.get("/api/reservations?status=pending").body.find(rid) != std::string::npos);
    REQUIRE(city.post("/api/reservations/" + rid + "/approve", json::object()).status == 200);
    auto approved = assos.next_fact(5s);
    REQUIRE(approved);
    CHECK((*approved)["type"] == "reservation-approved");
    CHECK(asso.get("/api/window-requests/" + id).json()["booking"]["status"] == "approved");

    // The public saw the salon busy, and nothing of the window.
    auto seen = anyone.next_fact(5s);
    REQUIRE(seen);
    CHECK((*seen)["topic"] == "calendar:lille-salon-hotel-de-ville");
    CHECK((*seen)["data"].dump().find("Concert") == std::string::npos);

    // A second request, declined with a reason; a third, withdrawn.
    auto second = asso.post("/api/window-requests",
                            concert("2027-11-12T18:00:00+01:00", "2027-11-12T22:00:00+01:00"));
    REQUIRE(second.status == 201);
    const auto second_id = second.json()["id"].get<std::string>();
    CHECK(window.post("/api/window-requests/" + second_id + "/decline", json::object()).status ==
          400);
    auto declined = window.post("/api/window-requests/" + second_id + "/decline",
                                {{"reason", "Aucune salle libre ce soir-là"}});
    REQUIRE(declined.status == 200);
    CHECK(declined.json()["status"] == "declined");
    CHECK(asso.post("/api/window-requests/" + second_id + "/withdraw", json::object()).status ==
          409);
    auto third = asso.post("/api/window-requests",
                           concert("2027-11-19T18:00:00+01:00", "2027-11-19T22:00:00+01:00"));
    REQUIRE(third.status == 201);
    const auto third_id = third.json()["id"].get<std::string>();
    CHECK(window.post("/api/window-requests/" + third_id + "/withdraw", json::object()).status ==
          403);
    auto withdrawn =
        asso.post("/api/window-requests/" + third_id + "/withdraw", {{"reason", "Reporté"}});
    REQUIRE(withdrawn.status == 200);
    CHECK(withdrawn.json()["status"] == "withdrawn");

    // The mails: the window's operator for each request, the association for the routing and
    // the refusal, the City for the request it must decide.
    const auto outbox = s.admin.get("/api/outbox").body;
    CHECK(
        outbox.find("Guichet unique : Concert de rentrée (Association des étudiants en musique)") !=
        std::string::npos);
    CHECK(outbox.find("Salle proposée : Salon d'honneur de l'Hôtel de Ville, Concert de rentrée") !=
          std::string::npos);
    CHECK(outbox.find("Demande non retenue : Concert de rentrée") != std::string::npos);
    CHECK(
        outbox.find("Nouvelle demande : Salon d'honneur de l'Hôtel de Ville, Concert de rentrée") !=
        std::string::npos);

    // All of it after a restart.
    s.server.reset();
    s.server = std::make_unique<server_process>(s.opts);
    auto again = api_client::sign_in(s.port(), "bureau@asso-musique.fr", "motdepasse-solide");
    auto list = again.get("/api/window-requests").json();
    REQUIRE(list.size() == 3);
    CHECK(list[0]["status"] == "assigned");
    CHECK(list[0]["booking"]["status"] == "approved");
    CHECK(list[1]["status"] == "declined");
    CHECK(list[1]["reason"] == "Aucune salle libre ce soir-là");
    CHECK(list[2]["status"] == "withdrawn");
    std::vector<std::string> actions;
    for (const auto& h : list[0]["history"]) actions.push_back(h["action"].get<std::string>());
    CHECK(actions == std::vector<std::string>{"submitted", "assigned"});
    // A request its lender refuses goes back to the window, which sees which room refused it
    // and why.
    auto officer = api_client::sign_in(s.port(), "guichet@univ-lille.fr", "motdepasse-solide");
    auto fourth = again.post("/api/window-requests",
                             concert("2027-12-03T14:00:00+01:00", "2027-12-03T18:00:00+01:00"));
    REQUIRE(fourth.status == 201);
    const auto fourth_id = fourth.json()["id"].get<std::string>();
    CHECK(fourth.json()["too_late"] == false);
    auto to_amphi = officer.post("/api/window-requests/" + fourth_id + "/assign",
                                 {{"resource", "lille-amphi"}});
    REQUIRE(to_amphi.status == 200);
    // The University lends its amphitheatre: its administrators refuse it there.
    REQUIRE(officer
                .post("/api/reservations/" + to_amphi.json()["reservation"].get<std::string>() +
                          "/refuse",
                      {{"reason", "Amphi en travaux"}})
                .status == 200);
    auto back = again.get("/api/window-requests/" + fourth_id).json();
    CHECK(back["status"] == "assigned");
    CHECK(back["routable"] == true);
    CHECK(back["booking"]["status"] == "refused");
    CHECK(back["history"][1]["resource_name"] == "Amphithéâtre de l'Université de Lille");
    CHECK(back["history"][1]["booking_status"] == "refused");
    for (const auto& room : officer.get("/api/window-requests/" + fourth_id + "/rooms").json())
        if (room["resource"] == "lille-amphi")
            CHECK(room["refused_before"] == "Amphi en travaux");
        else
            CHECK_FALSE(room.contains("refused_before"));
    // Withdrawn by the association, since it waits for the window again.
    CHECK(again.post("/api/window-requests/" + fourth_id + "/withdraw", json::object()).status ==
          200);

    // Her own data holds her requests to the window.
    auto data = again.get("/api/me/data").json();
    REQUIRE(data["window_requests"].size() == 4);
    CHECK(data["window_requests"][0]["title"] == "Concert de rentrée");
    CHECK(data["window_requests"][0]["history"].size() == 2);
}
