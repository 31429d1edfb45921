// A person's data through the real creneau (docs/privacy.md): what the export holds for an
// account and for a registration code, who may ask for it, and what never reaches the logs.

#include "support/site.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

using namespace creneau::test;
using nlohmann::json;

namespace {

json welcome_day() {
    return {{"kind", "welcome-day"},
            {"title", "Journée d'accueil"},
            {"capacity", 50},
            {"opens", "2020-01-01T00:00:00Z"},
            {"closes", "2035-01-01T00:00:00Z"},
            {"questions",
             {{{"id", "course"}, {"label", "Formation suivie"}, {"required", true}},
              {{"id", "diet"}, {"label", "Régime alimentaire"}, {"required", false}}}}};
}

json registrant(const std::string& name, const std::string& email, const std::string& diet) {
    return {{"name", name}, {"email", email}, {"answers", {{"course", "Licence"}, {"diet", diet}}}};
}

}  // namespace

TEST_CASE("privacy: a person's data, for them, their organisation's administrators, and by code",
          "[privacy]") {
    site s;
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day()).status == 200);
    REQUIRE(s.organiser.put("/api/events/atelier", welcome_day()).status == 200);
    // Claire registers signed in, and to another event anonymously with her address in
    // capitals (her code opens that one, her account does not: an address is no proof); Zoé is
    // somebody else.
    auto signed_in =
        s.artois.post("/api/events/accueil/registrations",
                      registrant("Claire Martin", "claire.martin@univ-artois.fr", "sans gluten"));
    REQUIRE(signed_in.status == 201);
    REQUIRE(s.anonymous
                .post("/api/events/atelier/registrations",
                      registrant("C. Martin", "Claire.Martin@Univ-Artois.fr", "végétarien"))
                .status == 201);
    auto zoe = s.anonymous.post("/api/events/accueil/registrations",
                                registrant("Zoé Lefebvre", "zoe.lefebvre@etu.fr", "halal"));
    REQUIRE(zoe.status == 201);
    // She books the meeting room; LLV approves it.
    auto booked = s.artois.post(
        "/api/reservations", booking("meeting-room", "2027-03-09T09:00:00Z", "2027-03-09T10:00:00Z",
                                     6, "", "Comité de pilotage"));
    REQUIRE(booked.status == 201);
    const auto reservation = booked.json()["id"].get<std::string>();
    REQUIRE(s.admin.post("/api/reservations/" + reservation + "/approve").status == 200);

    auto mine = s.artois.get("/api/me/data");
    REQUIRE(mine.status == 200);
    const auto data = mine.json();
    INFO(data.dump(1));
    CHECK(data["account"]["email"] == "claire.martin@univ-artois.fr");
    CHECK(data["account"]["name"] == "Claire Martin");
    CHECK(data["account"]["organisation_name"] == "Université d'Artois");
    CHECK(data["sessions"].size() >= 1);
    REQUIRE(data["registrations"].size() == 1);
    const auto& registered = data["registrations"][0];
    CHECK(registered["registration"]["answers"]["diet"] == "sans gluten");
    CHECK(registered["event"]["title"] == "Journée d'accueil");
    CHECK(registered["registration"]["event"] == "accueil");
    CHECK(registered["registration"]["code"] == signed_in.json()["code"]);
    CHECK(data.dump().find("végétarien") == std::string::npos);
    REQUIRE(data["reservations"].size() == 1);
    CHECK(data["reservations"][0]["reservation"]["title"] == "Comité de pilotage");
    CHECK(data["reservations"][0]["history"].size() == 2);  // requested, approved
    CHECK(data["reservations"][0]["history"][1]["action"] == "approved");
    CHECK(data["reservations"][0]["history"][1]["actor_name"] == "Nadia Direction");
    CHECK(registered["event"]["questions"]["diet"] == "Régime alimentaire");
    CHECK(data.dump().find("Zoé") == std::string::npos);
    CHECK(data.dump().find("halal") == std::string::npos);
    CHECK(data.dump().find("password") == std::string::npos);

    // LLV's administrator took the decision: it is in their data, not their account's bookings.
    auto admins = s.admin.get("/api/me/data").json();
    REQUIRE(admins["decisions"].size() == 1);
    CHECK(admins["decisions"][0]["reservation"] == reservation);
    CHECK(admins["decisions"][0]["action"] == "approved");
    CHECK(admins["reservations"].empty());

    // An administrator of her organisation, or of the operator, answers for her; nobody else.
    const auto claire = data["account"]["id"].get<std::string>();
    auto by_operator = s.admin.get("/api/users/" + claire + "/data");
    REQUIRE(by_operator.status == 200);
    REQUIRE(by_operator.json()["registrations"].size() == 1);
    CHECK(by_operator.json()["registrations"][0]["registration"]["answers"]["diet"] ==
          "sans gluten");
    // Never her keys nor her sessions.
    CHECK(!by_operator.json()["registrations"][0]["registration"].contains("code"));
    CHECK(!by_operator.json().contains("sessions"));
    CHECK(by_operator.json()["reservations"].size() == 1);
    CHECK(s.lille.get("/api/users/" + claire + "/data").status == 404);
    CHECK(s.organiser.get("/api/users/" + claire + "/data").status == 404);
    CHECK(s.anonymous.get("/api/users/" + claire + "/data").status == 401);
    CHECK(s.anonymous.get("/api/me/data").status == 401);

    // Her administrators see when she was last active (her sign-in), and that she is not
    // dormant.
    REQUIRE(data["sessions"].size() == 1);  // the site's sign-in
    const auto signed_in_at = data["sessions"][0]["opened"];
    int listed = 0;
    for (const auto& u : s.admin.get("/api/users?organisation=univ-artois").json())
        if (u["id"] == claire) {
            ++listed;
            CHECK(u["inactive"] == false);
            CHECK(u["last_active"] == signed_in_at);
        }
    CHECK(listed == 1);
    CHECK(data["account"]["last_active"] == signed_in_at);

    // An account invited with Zoé's address gets nothing of hers.
    auto posing = s.admin.post("/api/users", {{"email", "zoe.lefebvre@etu.fr"},
                                              {"name", "Zoé Lefebvre"},
                                              {"role", "member"},
                                              {"organisation", "llv"}});
    REQUIRE(posing.status == 201);
    auto nothing =
        s.admin.get("/api/users/" + posing.json()["user"]["id"].get<std::string>() + "/data");
    REQUIRE(nothing.status == 200);
    CHECK(nothing.json()["registrations"].empty());
    CHECK(nothing.json().dump().find("halal") == std::string::npos);

    // Zoé has no account: her code opens her registration, and hers only.
    const auto code = zoe.json()["code"].get<std::string>();
    auto hers = s.anonymous.get("/api/events/accueil/registrations/" + code + "/data");
    REQUIRE(hers.status == 200);
    REQUIRE(hers.json()["registrations"].size() == 1);
    CHECK(hers.json()["registrations"][0]["registration"]["answers"]["diet"] == "halal");
    CHECK(hers.json().dump().find("Claire") == std::string::npos);
    CHECK(!hers.json().contains("account"));
    auto lower = code;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    CHECK(s.anonymous.get("/api/events/accueil/registrations/" + lower + "/data").status == 200);
    CHECK(s.anonymous.get("/api/events/accueil/registrations/NOPE-NOPE/data").status == 404);
    CHECK(s.anonymous.get("/api/events/autre/registrations/" + code + "/data").status == 404);

    // The request log names routes, never the people, their codes or their tokens.
    const auto log = s.server->log();
    CHECK(log.find("/api/events/{id}/registrations/{code}/data") != std::string::npos);
    for (const std::string& secret :
         {std::string("claire.martin"), std::string("Claire Martin"), std::string("zoe.lefebvre"),
          std::string("Zoé"), code, s.artois.token})
        CHECK(log.find(secret) == std::string::npos);
}
