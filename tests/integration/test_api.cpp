// The HTTP API through the real creneau process over loopback.

#include "server/api/openapi.hpp"
#include "server/api/routes.hpp"
#include "server/journal/sqlite_journal.hpp"
#include "server/mail/outbox.hpp"

#include "support/api_client.hpp"
#include "support/ical_readers.hpp"
#include "support/redis_server.hpp"
#include "support/site.hpp"
#include "support/text.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <future>
#include <set>
#include <thread>

using namespace creneau::test;
using nlohmann::json;
namespace http = boost::beast::http;

using namespace std::chrono_literals;

namespace {

json atrium_day(const std::string& day, const std::string& title = "Conférence") {
    return booking("atrium", day + "T09:00:00+01:00", day + "T17:00:00+01:00", 80, "plenary",
                   title);
}

}  // namespace

TEST_CASE(
    "the Artois year as its staff live it: free allowance, billing beyond, refusals, approvals",
    "[api]") {
    site s;
    // Art. 6: two free Atrium bookings a year.
    auto first = s.artois.post("/api/reservations", atrium_day("2027-03-09", "Journée d'accueil"));
    REQUIRE(first.status == 201);
    auto r1 = first.json();
    CHECK(r1["status"] == "pending");
    CHECK(r1["quote"]["free"] == true);
    CHECK(r1["quote"]["allowance"]["left"] == 1);
    CHECK(r1["quote"]["total_cents"] == 25000);  // art. 6: service fees are always billed
    CHECK(first.header("location") == "/api/reservations/" + r1["id"].get<std::string>());

    auto r2 = s.artois.post("/api/reservations", atrium_day("2027-03-10")).json();
    CHECK(r2["quote"]["free"] == true);
    CHECK(r2["quote"]["allowance"]["left"] == 0);

    // The third is billed at the founder-member tariff: one day plus the service fee.
    auto quote = s.artois.post("/api/quotes", atrium_day("2027-03-11"));
    REQUIRE(quote.status == 200);
    CHECK(quote.json()["quote"]["free"] == false);
    auto r3 = s.artois.post("/api/reservations", atrium_day("2027-03-11")).json();
    CHECK(r3["quote"]["free"] == false);
    CHECK(r3["quote"]["total_cents"] == 90000 + 25000);
    CHECK(r3["quote"]["lines"][0]["amount_cents"] == 90000);

    // LLV refuses the second: its unit goes back to the third, which was billed for lack of
    // it, and Claire hears it live and by mail; the public hears only of the refusal.
    ws_client claires(s.port(), s.artois.token);
    claires.subscribe({"calendar:atrium"});
    ws_client anyone(s.port());
    anyone.subscribe({"calendar:atrium"});
    auto refused = s.admin.post("/api/reservations/" + r2["id"].get<std::string>() + "/refuse",
                                {{"reason", "L'Atrium accueille une exposition"}});
    REQUIRE(refused.status == 200);
    CHECK(refused.json()["status"] == "refused");
    const auto id3 = r3["id"].get<std::string>();
    auto again = s.artois.get("/api/reservations/" + id3).json();
    CHECK(again["status"] == "pending");
    CHECK(again["quote"]["free"] == true);
    CHECK(again["quote"]["total_cents"] == 25000);
    CHECK(s.artois.get("/api/reservations/" + id3 + "/history").json()["history"][1]["action"] ==
          "requoted");
    auto told = claires.next_fact(5s);
    REQUIRE(told);
    CHECK((*told)["type"] == "reservation-refused");
    told = claires.next_fact(5s);
    REQUIRE(told);
    CHECK((*told)["type"] == "reservation-requoted");
    CHECK((*told)["data"]["id"] == id3);
    CHECK((*told)["data"]["quote"]["total_cents"] == 25000);
    auto heard = anyone.next_fact(5s);
    REQUIRE(heard);
    CHECK((*heard)["type"] == "reservation-refused");
    CHECK_FALSE(anyone.next_fact(500ms));
    CHECK_THAT(s.admin.get("/api/outbox").body, Catch::Contains("Nouveau devis : Atrium"));
    // No unit is left: the next request is billed.
    auto r4 = s.artois.post("/api/reservations", atrium_day("2027-03-12")).json();
    CHECK(r4["quote"]["free"] == false);

    // Rules refused with their codes.
    auto overlap = s.artois.post("/api/reservations", atrium_day("2027-03-09"));
    CHECK(overlap.status == 409);
    CHECK(overlap.header("content-type") == "application/problem+json");
    CHECK(overlap.json()["code"] == "slot-taken");
    auto crowd =
        s.artois.post("/api/reservations", booking("event-room", "2027-03-09T09:00:00+01:00",
                                                   "2027-03-09T11:00:00+01:00", 41, "plenary"));
    CHECK(crowd.status == 422);
    CHECK(crowd.json()["code"] == "over-capacity");
    CHECK(crowd.json()["field"] == "attendees");
    auto meeting =
        s.artois.post("/api/reservations", booking("event-room", "2027-03-09T09:00:00+01:00",
                                                   "2027-03-09T11:00:00+01:00", 26, "meeting"));
    CHECK(meeting.json()["code"] == "over-capacity");
    auto past = s.artois.post("/api/reservations", atrium_day("2025-03-11"));
    CHECK(past.status == 422);
    CHECK(past.json()["code"] == "in-the-past");
    auto sunday = s.artois.post("/api/reservations", atrium_day("2027-03-14"));
    CHECK(sunday.json()["code"] == "closed");

    // Only LLV approves.
    const auto id1 = r1["id"].get<std::string>();
    CHECK(s.artois.post("/api/reservations/" + id1 + "/approve").status == 403);
    CHECK(s.organiser.post("/api/reservations/" + id1 + "/approve").status == 403);
    auto approved = s.admin.post("/api/reservations/" + id1 + "/approve");
    REQUIRE(approved.status == 200);
    CHECK(approved.json()["status"] == "approved");
    CHECK(s.admin.post("/api/reservations/" + id1 + "/approve").json()["code"] == "not-pending");

    // Artois sees its own requests, the history says who did what.
    auto mine = s.artois.get("/api/reservations?resource=atrium").json();
    CHECK(mine.size() == 4);
    auto history = s.artois.get("/api/reservations/" + id1 + "/history").json()["history"];
    REQUIRE(history.size() == 2);
    CHECK(history[0]["action"] == "requested");
    CHECK(history[0]["actor_name"] == "Claire Martin");
    CHECK(history[1]["action"] == "approved");
    CHECK(history[1]["actor_name"] == "Nadia Direction");

    // Usage for 2027: one used, one held, none left; the approved one's fee is billable.
    auto usage = s.artois.get("/api/agreements/artois-llv-2026/usage?year=2027");
    REQUIRE(usage.status == 200);
    json atrium;
    const json usage_body = usage.json();
    for (const auto& r : usage_body["resources"])
        if (r["resource"] == "atrium") atrium = r;
    CHECK(atrium["allowance"]["used"] == 1);
    CHECK(atrium["allowance"]["held"] == 1);
    CHECK(atrium["allowance"]["left"] == 0);
    CHECK(usage.json()["total_cents"] == 25000);
    auto csv = s.artois.get("/api/agreements/artois-llv-2026/usage?year=2027&format=csv");
    CHECK(csv.header("content-type") == "text/csv; charset=utf-8");
    CHECK_THAT(csv.body, Catch::Contains(id1) && Catch::Contains("250.00"));

    // A cancellation before the start gives the unit back: with no request billed for lack of
    // it, the next one is free.
    auto cancel = s.artois.post("/api/reservations/" + r4["id"].get<std::string>() + "/cancel",
                                {{"reason", "Reportée"}});
    CHECK(cancel.json()["status"] == "cancelled");
    REQUIRE(s.artois.post("/api/reservations/" + id3 + "/cancel", {{"reason", "Reportée"}})
                .json()["status"] == "cancelled");
    auto after = s.artois.post("/api/quotes", atrium_day("2027-03-16")).json();
    CHECK(after["quote"]["free"] == true);
}

TEST_CASE("LLV raises the Atrium allowance: the request billed for lack of a unit is told, live",
          "[api]") {
    site s;
    for (const char* day : {"2027-03-09", "2027-03-10"})
        REQUIRE(s.artois.post("/api/reservations", atrium_day(day)).json()["quote"]["free"] ==
                true);
    auto billed = s.artois.post("/api/reservations", atrium_day("2027-03-11")).json();
    REQUIRE(billed["quote"]["free"] == false);
    const auto id = billed["id"].get<std::string>();
    ws_client claires(s.port(), s.artois.token);
    claires.subscribe({"calendar:atrium"});

    json agreement = s.admin.get("/api/agreements/artois-llv-2026").json();
    agreement["resources"]["atrium"]["free_per_year"] = 3;
    auto put = s.admin.put("/api/agreements/artois-llv-2026", agreement);
    REQUIRE(put.status == 200);
    CHECK(put.json()["resources"]["atrium"]["free_per_year"] == 3);

    auto told = claires.next_fact(5s);
    REQUIRE(told);
    CHECK((*told)["type"] == "reservation-requoted");
    CHECK((*told)["data"]["id"] == id);
    CHECK((*told)["data"]["quote"]["total_cents"] == 25000);
    auto now = s.artois.get("/api/reservations/" + id).json();
    CHECK(now["quote"]["free"] == true);
    CHECK(now["quote"]["allowance"]["limit"] == 3);
    CHECK(now["quote"]["allowance"]["left"] == 0);
    CHECK_THAT(s.admin.get("/api/outbox").body, Catch::Contains("Nouveau devis : Atrium"));
}

TEST_CASE("who may do what: every route against every role", "[api]") {
    site s;
    auto own = s.artois.post("/api/reservations",
                             booking("meeting-room", "2027-03-09T09:00:00+01:00",
                                     "2027-03-09T10:00:00+01:00", 5, "", "Réunion secrète"));
    REQUIRE(own.status == 201);
    const auto id = own.json()["id"].get<std::string>();

    struct row {
        http::verb method;
        std::string target;
        json body;
        // anonymous, member of another organisation, member, organiser, admin
        std::array<unsigned, 5> expect;
    };
    const json room = s.admin.get("/api/resources/meeting-room").json();
    const json org = {{"name", "Louvre-Lens Vallée"}, {"category", "host"}};
    const json grid = s.anonymous.get("/api/tariff-grids").json()[0];
    const json agreement = s.admin.get("/api/agreements/artois-llv-2026").json();
    std::vector<row> rows = {
        {http::verb::get, "/healthz", nullptr, {200, 200, 200, 200, 200}},
        {http::verb::get, "/readyz", nullptr, {200, 200, 200, 200, 200}},
        {http::verb::get, "/metrics", nullptr, {200, 200, 200, 200, 200}},
        {http::verb::get, "/api/openapi.json", nullptr, {200, 200, 200, 200, 200}},
        {http::verb::get, "/api/me", nullptr, {401, 200, 200, 200, 200}},
        {http::verb::get, "/api/resources", nullptr, {200, 200, 200, 200, 200}},
        {http::verb::get, "/api/resources/atrium", nullptr, {200, 200, 200, 200, 200}},
        {http::verb::put, "/api/resources/meeting-room", room, {401, 403, 403, 403, 200}},
        {http::verb::get, "/api/organisations", nullptr, {200, 200, 200, 200, 200}},
        {http::verb::put, "/api/organisations/llv", org, {401, 403, 403, 403, 200}},
        {http::verb::get, "/api/agreements", nullptr, {401, 200, 200, 200, 200}},
        {http::verb::get, "/api/agreements/artois-llv-2026", nullptr, {401, 404, 200, 200, 200}},
        {http::verb::put, "/api/agreements/artois-llv-2026", agreement, {401, 403, 403, 403, 200}},
        {http::verb::get,
         "/api/agreements/artois-llv-2026/usage?year=2027",
         nullptr,
         {401, 404, 200, 200, 200}},
        {http::verb::get, "/api/tariff-grids", nullptr, {200, 200, 200, 200, 200}},
        {http::verb::put, "/api/tariff-grids/llv", grid, {401, 403, 403, 403, 200}},
        {http::verb::get, "/api/reservations", nullptr, {401, 200, 200, 200, 200}},
        {http::verb::get, "/api/reservations/" + id, nullptr, {401, 404, 200, 200, 200}},
        {http::verb::get,
         "/api/reservations/" + id + "/history",
         nullptr,
         {401, 404, 200, 200, 200}},
        {http::verb::post,
         "/api/quotes",
         booking("meeting-room", "2027-03-10T09:00:00+01:00", "2027-03-10T10:00:00+01:00"),
         {401, 422, 200, 200, 200}},
        {http::verb::get,
         "/api/"
         "availability?resource=meeting-room&from=2027-03-09T00:00:00Z&to=2027-03-10T00:00:00Z",
         nullptr,
         {200, 200, 200, 200, 200}},
        {http::verb::get, "/api/calendars/meeting-room.ics", nullptr, {200, 200, 200, 200, 200}},
        {http::verb::post, "/api/calendar-feeds", json::object(), {401, 201, 201, 201, 201}},
        {http::verb::post,
         "/api/reservations/" + id + "/approve",
         nullptr,
         {401, 404, 403, 403, 200}},
    };
    const std::array<const api_client*, 5> who = {&s.anonymous, &s.lille, &s.artois, &s.organiser,
                                                  &s.admin};
    const std::array<const char*, 5> names = {"anonymous", "other member", "member", "organiser",
                                              "admin"};
    for (const auto& r : rows) {
        for (std::size_t i = 0; i < who.size(); ++i) {
            auto reply =
                who[i]->send(r.method, r.target, r.body.is_null() ? std::string{} : r.body.dump());
            INFO(names[i] << " " << r.target << " -> " << reply.status << " "
                          << reply.body.substr(0, 300));
            CHECK(reply.status == r.expect[i]);
            if (i == 0) {
                // Anonymous answers never hold personal data.
                CHECK(reply.body.find("Réunion secrète") == std::string::npos);
                CHECK(reply.body.find("Claire") == std::string::npos);
                CHECK(reply.body.find("univ-artois.fr") == std::string::npos);
            }
        }
    }
    // Writes that change things, each role in turn on fresh reservations.
    int slot = 0;
    auto make = [&] {
        // Weekdays of May 2027 (Monday 10 to Friday 14), two slots a day.
        ++slot;
        std::string day = std::to_string(10 + slot / 2 % 5), hour = slot % 2 ? "09" : "14";
        auto r =
            s.artois.post("/api/reservations",
                          booking("meeting-room", "2027-05-" + day + "T" + hour + ":00:00+02:00",
                                  "2027-05-" + day + "T" + hour + ":30:00+02:00"));
        REQUIRE(r.status == 201);
        return r.json()["id"].get<std::string>();
    };
    auto refuse_as = [&](const api_client& c) {
        return c.post("/api/reservations/" + make() + "/refuse", {{"reason", "non"}}).status;
    };
    auto cancel_as = [&](const api_client& c) {
        return c.post("/api/reservations/" + make() + "/cancel").status;
    };
    CHECK(refuse_as(s.anonymous) == 401);
    CHECK(refuse_as(s.lille) == 404);
    CHECK(refuse_as(s.artois) == 403);
    CHECK(refuse_as(s.admin) == 200);
    CHECK(cancel_as(s.anonymous) == 401);
    CHECK(cancel_as(s.lille) == 404);
    CHECK(cancel_as(s.organiser) == 200);
    CHECK(cancel_as(s.admin) == 200);
    // A member books only for its own organisation.
    auto other = booking("meeting-room", "2027-06-01T09:00:00+02:00", "2027-06-01T10:00:00+02:00");
    other["organisation"] = "univ-artois";
    CHECK(s.lille.post("/api/reservations", other).status == 403);
    CHECK(s.anonymous.post("/api/reservations", other).status == 401);
    // Anonymous availability: busy periods, no title or organisation.
    auto a = s.anonymous
                 .get(
                     "/api/"
                     "availability?resource=meeting-room&from=2027-03-09T00:00:00Z&to=2027-03-"
                     "10T00:00:00Z")
                 .json();
    REQUIRE(a["busy"].size() == 1);
    // The period, its status and the buffers around it; no id, title or organisation.
    CHECK(a["busy"][0].size() == 5);
    CHECK_FALSE(a["busy"][0].contains("id"));
    CHECK_FALSE(a["busy"][0].contains("title"));
    CHECK(a["busy"][0].contains("occupied_start"));
    // Signing out ends the token.
    CHECK(s.lille.del("/api/session").status == 204);
    CHECK(s.lille.get("/api/me").status == 401);
}

TEST_CASE("bad input gets a problem with its code and changes nothing", "[api]") {
    site s;
    const auto before = s.head();
    auto check = [&](const http_reply& r, unsigned status, const std::string& code,
                     const std::string& field = {}) {
        INFO(r.body);
        CHECK(r.status == status);
        CHECK(r.header("content-type") == "application/problem+json");
        auto j = json::parse(r.body, nullptr, false);
        REQUIRE_FALSE(j.is_discarded());
        CHECK(j["code"] == code);
        CHECK(j["status"] == status);
        CHECK(j.contains("title"));
        CHECK(j.contains("type"));
        if (!field.empty()) CHECK(j["field"] == field);
    };
    auto raw = [&](const std::string& target, const std::string& body) {
        return s.artois.send(http::verb::post, target, body);
    };
    check(raw("/api/reservations", "{not json"), 400, "bad-request");
    check(raw("/api/reservations", "[1,2,3]"), 400, "bad-request");
    auto good = booking("meeting-room", "2027-03-09T09:00:00+01:00", "2027-03-09T10:00:00+01:00");
    auto wrong_type = good;
    wrong_type["attendees"] = "ten";
    check(s.artois.post("/api/reservations", wrong_type), 400, "bad-request", "attendees");
    auto missing = good;
    missing.erase("title");
    check(s.artois.post("/api/reservations", missing), 400, "bad-request", "title");
    auto no_resource = good;
    no_resource.erase("resource");
    check(s.artois.post("/api/reservations", no_resource), 400, "bad-request", "resource");
    for (const char* absurd :
         {"2027-02-30T09:00:00+01:00", "9999-03-09T09:00:00+01:00", "yesterday", "2027-03-09"}) {
        auto bad = good;
        bad["start"] = absurd;
        check(s.artois.post("/api/reservations", bad), 400, "bad-request", "start");
    }
    auto backwards = good;
    backwards["end"] = "2027-03-09T08:00:00+01:00";
    check(s.artois.post("/api/reservations", backwards), 400, "bad-request", "end");
    auto negative = good;
    negative["attendees"] = -3;
    check(s.artois.post("/api/reservations", negative), 400, "bad-request", "attendees");
    auto unknown = good;
    unknown["resource"] = "ballroom";
    check(s.artois.post("/api/reservations", unknown), 404, "not-found", "resource");
    {
        // A body over 1 MiB is refused from its header, before it is read.
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::socket sock(ioc);
        sock.connect({boost::asio::ip::make_address("127.0.0.1"), s.server->port()});
        std::string head = "POST /api/reservations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           s.artois.token +
                           "\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n{";
        boost::asio::write(sock, boost::asio::buffer(head));
        std::string answer;
        boost::system::error_code ec;
        boost::asio::read(sock, boost::asio::dynamic_buffer(answer), ec);
        CHECK_THAT(answer,
                   Catch::StartsWith("HTTP/1.1 413") && Catch::Contains("\"code\":\"too-large\""));
    }
    check(s.artois.get("/api/no-such-route"), 404, "not-found");
    // An identifier that breaks the rule names nothing; a PUT that would create under it is the
    // client's mistake.
    auto room = s.admin.get("/api/resources/atrium").json();
    room["id"] = "salle bleue";
    check(s.admin.put("/api/resources/salle%20bleue", room), 400, "bad-request", "id");
    check(s.admin.put("/api/events/-accueil", json::object()), 400, "bad-request", "id");
    check(s.admin.get("/api/resources/salle%20bleue"), 404, "not-found");
    check(s.admin.put("/api/no-such/thing", json::object()), 404, "not-found");
    check(s.artois.send(http::verb::patch, "/api/reservations", "{}"), 405, "method-not-allowed");
    check(s.artois.get("/api/availability?resource=atrium&from=2027-03-09T00:00:00Z&to=soon"), 400,
          "bad-request", "to");
    check(
        s.artois.get(
            "/api/availability?resource=atrium&from=2027-03-09T00:00:00Z&to=2029-03-09T00:00:00Z"),
        400, "bad-request", "to");
    check(s.artois.get("/api/agreements/artois-llv-2026/usage?year=twenty"), 400, "bad-request",
          "year");
    check(s.artois.post("/api/reservations/r999/cancel"), 404, "not-found");
    auto bad_resource = s.admin.get("/api/resources/atrium").json();
    bad_resource["layouts"][0]["capacity"] = -1;
    check(s.admin.put("/api/resources/atrium", bad_resource), 400, "bad-request");
    bad_resource["layouts"] = "big";
    check(s.admin.put("/api/resources/atrium", bad_resource), 400, "bad-request", "layouts");
    check(http_call(s.server->port(), http::verb::post, "/api/session", R"({"email":1})"), 400,
          "bad-request", "email");
    CHECK(s.head() == before);
    // A header over 16 KiB.
    auto big_header = s.artois.send(http::verb::get, "/api/me", "");
    std::map<std::string, std::string> headers{{"X-Padding", std::string(20000, 'a')}};
    CHECK(http_call(s.server->port(), http::verb::get, "/healthz", "", headers).status == 431);
    CHECK(big_header.status == 200);
}

TEST_CASE("a list's limit is a whole number from 1, read whole", "[api]") {
    site s;
    for (const char* bad : {"-1", "5abc", "0", "", "+3", "1e3", "%20"}) {
        INFO(bad);
        auto r = s.admin.get(std::string("/api/reservations?limit=") + bad);
        CHECK(r.status == 400);
        CHECK(r.json()["field"] == "limit");
    }
    for (const char* good : {"1", "500", "10000", "99999999999999999999999"}) {
        INFO(good);
        CHECK(s.admin.get(std::string("/api/reservations?limit=") + good).status == 200);
    }
}

TEST_CASE("sign-in: wrong passwords are slowed down, then refused for a while", "[api]") {
    site s;
    auto attempt = [&](const std::string& password) {
        return http_call(s.server->port(), http::verb::post, "/api/session",
                         json{{"email", "lea@univ-lille.fr"}, {"password", password}}.dump());
    };
    auto ok = attempt("motdepasse-solide");
    REQUIRE(ok.status == 200);
    CHECK_THAT(ok.header("set-cookie"),
               Catch::Contains("HttpOnly") && Catch::Contains("SameSite=Strict"));
    std::vector<unsigned> statuses;
    for (int i = 0; i < 11; ++i) statuses.push_back(attempt("wrong").status);
    CHECK(statuses.front() == 401);
    CHECK(statuses.back() == 429);
    auto locked = attempt("motdepasse-solide");
    CHECK(locked.status == 429);
    CHECK(locked.json()["code"] == "too-many-attempts");
    CHECK_FALSE(locked.header("retry-after").empty());
}

TEST_CASE("cookie-authenticated writes must come from the site's own origin", "[api]") {
    site s;
    auto signin = http_call(
        s.server->port(), http::verb::post, "/api/session",
        json{{"email", "claire.martin@univ-artois.fr"}, {"password", "motdepasse-solide"}}.dump());
    auto cookie = signin.header("set-cookie").substr(0, signin.header("set-cookie").find(';'));
    auto body =
        booking("meeting-room", "2027-03-09T09:00:00+01:00", "2027-03-09T10:00:00+01:00").dump();
    auto host = numbered("127.0.0.1:", s.server->port());
    auto foreign = http_call(s.server->port(), http::verb::post, "/api/reservations", body,
                             {{"Cookie", cookie}, {"Origin", "https://evil.example"}});
    CHECK(foreign.status == 403);
    CHECK(foreign.json()["code"] == "bad-origin");
    auto none = http_call(s.server->port(), http::verb::post, "/api/reservations", body,
                          {{"Cookie", cookie}});
    CHECK(none.status == 403);
    auto same = http_call(s.server->port(), http::verb::post, "/api/reservations", body,
                          {{"Cookie", cookie}, {"Origin", "http://" + host}});
    CHECK(same.status == 201);
    CHECK(
        http_call(s.server->port(), http::verb::get, "/api/me", "", {{"Cookie", cookie}}).status ==
        200);
}

TEST_CASE("every route of the router is in openapi.json, and every path there is a route",
          "[api]") {
    using namespace creneau::server;
    temp_dir dir;
    auto book = std::make_shared<ledger>(std::make_unique<sqlite_journal>(dir.path() / "j.db"));
    metrics stats;
    router routes;
    sign_in_throttle by_account, by_address;
    net::thread_pool crypto{1}, solver{1};
    outbox mail(sqlite_outbox_store(dir.path() / "outbox.db"), {}, stats);
    add_routes(routes, api_base{*book, {}},
               sign_in_services{by_account, by_address, crypto, false, "", {}},
               operations_services{*book, stats, [] { return std::size_t{0}; }, mail}, solver);
    std::set<std::pair<std::string, std::string>> routed, documented;
    for (const auto& r : routes.routes()) {
        std::string m(http::to_string(r.method));
        std::transform(m.begin(), m.end(), m.begin(), ::tolower);
        routed.insert({m, r.pattern});
    }
    auto doc = json::parse(std::string(creneau::server::openapi_text()));
    CHECK(doc["openapi"].get<std::string>().rfind("3.0", 0) == 0);
    // The document carries the server's version (docs/changelog.md says what changed).
    CHECK(doc["info"]["version"] == CRENEAU_VERSION);
    for (const auto& [path, item] : doc["paths"].items())
        for (const auto& [method, op] : item.items()) {
            if (method == "parameters") continue;
            documented.insert({method, path});
            INFO(method << " " << path);
            CHECK(op.contains("responses"));
        }
    for (const auto& r : routed) {
        INFO("routed but not documented: " << r.first << " " << r.second);
        CHECK(documented.count(r));
    }
    for (const auto& d : documented) {
        INFO("documented but not routed: " << d.first << " " << d.second);
        CHECK(routed.count(d));
    }
    // Every $ref points to a schema that exists.
    std::function<void(const json&)> refs = [&](const json& j) {
        if (j.is_object()) {
            if (j.contains("$ref")) {
                auto ref = j["$ref"].get<std::string>();
                INFO(ref);
                REQUIRE(ref.rfind("#/", 0) == 0);
                CHECK(doc.contains(json::json_pointer(ref.substr(1))));
            }
            for (const auto& [k, v] : j.items()) refs(v);
        } else if (j.is_array()) {
            for (const auto& v : j) refs(v);
        }
    };
    refs(doc);
}

TEST_CASE("iCalendar feeds parse with python3-icalendar, public ones without personal data",
          "[api]") {
    site s;
    auto a =
        s.artois.post("/api/reservations", atrium_day("2027-03-09", "Jury; PÉPITE, promo \"2027\""))
            .json();
    auto b =
        s.artois
            .post("/api/reservations", booking("atrium", "2027-07-06T09:00:00+02:00",
                                               "2027-07-06T17:00:00+02:00", 80, "plenary", "Été"))
            .json();  // summer time
    // 26 March 2027, two days before the change to summer time: the zone's rules must
    // cover the dates before the first change of the feed's years.
    auto c = s.artois
                 .post("/api/reservations",
                       booking("atrium", "2027-03-26T10:00:00+01:00", "2027-03-26T12:00:00+01:00",
                               30, "plenary", "Avant l'heure d'été"))
                 .json();
    REQUIRE(c.contains("id"));
    s.admin.post("/api/reservations/" + a["id"].get<std::string>() + "/approve");
    s.artois.post("/api/reservations/" + b["id"].get<std::string>() + "/cancel");
    auto pub = s.anonymous.get("/api/calendars/atrium.ics");
    REQUIRE(pub.status == 200);
    CHECK(pub.header("content-type") == "text/calendar; charset=utf-8");
    CHECK(pub.body.find("Jury") == std::string::npos);
    auto feed = s.artois.post("/api/calendar-feeds").json();
    auto priv = s.anonymous.get(feed["url"].get<std::string>());
    REQUIRE(priv.status == 200);
    CHECK(s.anonymous.get("/api/calendars/private/0000.ics").status == 404);

    temp_dir dir;
    std::ofstream(dir.path() / "public.ics") << pub.body;
    std::ofstream(dir.path() / "private.ics") << priv.body;
    std::ofstream(dir.path() / "check.py") << R"PY(
import sys
from icalendar import Calendar
def load(p):
    cal = Calendar.from_ical(open(p, 'rb').read())
    assert cal.walk('VTIMEZONE'), 'no VTIMEZONE'
    return {str(e['UID']): e for e in cal.walk('VEVENT')}
pub = load(sys.argv[1]); priv = load(sys.argv[2])
a, b = sys.argv[3] + '@creneau', sys.argv[4] + '@creneau'
assert str(pub[a]['STATUS']) == 'CONFIRMED' and int(pub[a]['SEQUENCE']) == 1, pub[a]
assert str(pub[b]['STATUS']) == 'CANCELLED', pub[b]
assert 'Jury' not in str(pub[a]['SUMMARY'])
assert str(priv[a]['SUMMARY']) == 'Jury; PÉPITE, promo "2027"', priv[a]['SUMMARY']
start = priv[a].decoded('DTSTART')
assert start.isoformat() == '2027-03-09T09:00:00+01:00', start.isoformat()
assert priv[b].decoded('DTSTART').isoformat() == '2027-07-06T09:00:00+02:00'
# The time zone: the observance in force before the first change is there, and the
# changes are written in the local time of the offset before them (RFC 5545).
tz = Calendar.from_ical(open(sys.argv[2], 'rb').read()).walk('VTIMEZONE')[0]
onsets = {(o.name, o.decoded('DTSTART').strftime('%m%d %H:%M')) for o in tz.walk()
          if o.name in ('STANDARD', 'DAYLIGHT')}
assert ('DAYLIGHT', '0328 02:00') in onsets and ('STANDARD', '1031 03:00') in onsets, onsets
first = min(o.decoded('DTSTART') for o in tz.walk() if o.name in ('STANDARD', 'DAYLIGHT'))
assert first.year < 2027, first
)PY";
    // Debian's Python, where python3-icalendar is installed.
    auto cmd = "/usr/bin/python3 " + (dir.path() / "check.py").string() + " " +
               (dir.path() / "public.ics").string() + " " + (dir.path() / "private.ics").string() +
               " " + a["id"].get<std::string>() + " " + b["id"].get<std::string>() + " > " +
               (dir.path() / "out").string() + " 2>&1";
    int rc = std::system(cmd.c_str());
    INFO(read_file(dir.path() / "out"));
    INFO(priv.body);
    CHECK(rc == 0);
    // Every event of both feeds, read by both readers, starts and ends when the reservation does.
    for (const auto* feed : {&pub.body, &priv.body}) {
        auto read = read_ical(*feed);
        INFO(read.log);
        CHECK(read.ok);
        for (const auto& r : {a, b, c}) {
            auto uid = r["id"].get<std::string>() + "@creneau";
            std::pair<std::string, std::string> when{
                creneau::format_utc(*creneau::parse_rfc3339(r["start"].get<std::string>())),
                creneau::format_utc(*creneau::parse_rfc3339(r["end"].get<std::string>()))};
            INFO(uid);
            CHECK(read.python[uid] == when);
            CHECK(read.icaljs[uid] == when);
        }
    }
    // The private feed's words are French: the layout by its label.
    CHECK(priv.body.find("personnes\\, Plénière") != std::string::npos);
    CHECK(priv.body.find("plenary") == std::string::npos);
}

TEST_CASE("web files are served with their type and caching headers", "[api]") {
    site s;
    auto index = s.anonymous.get("/");
    CHECK(index.status == 200);
    CHECK(index.header("content-type") == "text/html; charset=utf-8");
    CHECK(index.header("cache-control") == "no-cache");
    CHECK_FALSE(index.header("etag").empty());
    auto again = http_call(s.server->port(), http::verb::get, "/", "",
                           {{"If-None-Match", index.header("etag")}});
    CHECK(again.status == 304);
    CHECK(s.anonymous.get("/../server/main.cpp").status == 404);
    CHECK(s.anonymous.get("/%2e%2e/CMakeLists.txt").status == 404);
}

TEST_CASE("hot reads are rendered once per journal head, per audience, and revalidated", "[api]") {
    site s;
    const std::string url =
        "/api/availability?resource=meeting-room&from=2027-03-09T00:00:00Z&to=2027-03-10T00:00:00Z";
    auto book = [&](const char* start, const char* end, const char* title) {
        auto b = booking("meeting-room", start, end, 4, "", title);
        REQUIRE(s.artois.post("/api/reservations", b).status == 201);
    };
    auto anonymous_with = [&](const std::string& etag) {
        return http_call(s.port(), http::verb::get, url, "", {{"If-None-Match", etag}});
    };
    book("2027-03-09T10:00:00+01:00", "2027-03-09T11:00:00+01:00", "Comité de direction");

    // Each audience its own page: the requester's organisation sees the title, nobody else.
    auto anonymous = s.anonymous.get(url);
    auto member = s.artois.get(url);
    REQUIRE(anonymous.status == 200);
    REQUIRE(member.status == 200);
    CHECK(anonymous.body.find("Comité") == std::string::npos);
    CHECK(member.body.find("Comité de direction") != std::string::npos);
    CHECK(anonymous.header("etag") != member.header("etag"));
    CHECK(s.anonymous.get(url).body == anonymous.body);
    CHECK(s.lille.get(url).body.find("Comité") == std::string::npos);
    CHECK(s.artois.get(url).body == member.body);

    // The same bytes again: 304, no body; HEAD says the length of the GET.
    auto again = anonymous_with(anonymous.header("etag"));
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.header("etag") == anonymous.header("etag"));
    auto head = http_call(s.port(), http::verb::head, url);
    CHECK(head.status == 200);
    CHECK(head.header("content-length") == std::to_string(anonymous.body.size()));
    CHECK(head.header("etag") == anonymous.header("etag"));

    // A booking of another room moves the journal's head, which the page carries: a new page.
    REQUIRE(s.artois.post("/api/reservations", atrium_day("2027-03-09")).status == 201);
    auto moved = anonymous_with(anonymous.header("etag"));
    CHECK(moved.status == 200);
    CHECK(moved.header("etag") != anonymous.header("etag"));
    CHECK(moved.json()["busy"].size() == 1);

    // A booking of this room is in the next read, for every audience.
    book("2027-03-09T14:00:00+01:00", "2027-03-09T15:00:00+01:00", "Comité technique");
    auto after = anonymous_with(moved.header("etag"));
    REQUIRE(after.status == 200);
    CHECK(after.json()["busy"].size() == 2);
    CHECK(after.json()["seq"].get<std::int64_t>() == s.head());
    CHECK(s.artois.get(url).body.find("Comité technique") != std::string::npos);
    CHECK(anonymous_with(after.header("etag")).status == 304);
}

namespace {

// Books meeting-room slots one after the other until `stop`, recording each acknowledged id.
void book_until(const api_client& c, std::atomic<bool>& stop, std::vector<std::string>& acked,
                std::mutex& m) {
    const auto monday = *creneau::parse_rfc3339("2027-01-04T08:00:00+01:00");
    for (int n = 0; !stop && n < 2000; ++n) {
        // Eight half-hour slots a day, on weekdays.
        int day = n / 8, week = day / 5, weekday = day % 5;
        auto start = monday + std::chrono::days(week * 7 + weekday) + std::chrono::hours(n % 8);
        auto body = booking("meeting-room", creneau::format_utc(start),
                            creneau::format_utc(start + std::chrono::minutes(30)), 3);
        try {
            auto r = c.post("/api/reservations", body);
            if (r.status == 201) {
                std::lock_guard l(m);
                acked.push_back(r.json()["id"]);
            }
        } catch (const std::exception&) {
            return;  // the server was killed mid-request: that one was never acknowledged
        }
    }
}

void kill_and_check(const std::string& redis) {
    site s(redis);
    std::atomic<bool> stop{false};
    std::vector<std::string> acked;
    std::mutex m;
    std::thread writer([&] { book_until(s.admin, stop, acked, m); });
    bool enough = false;
    for (int i = 0; i < 2000 && !enough; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::lock_guard l(m);
        enough = acked.size() >= 40;
    }
    s.server->process().signal(SIGKILL);
    stop = true;
    writer.join();
    REQUIRE(enough);
    s.server->process().wait_exit(std::chrono::seconds(5));
    server_process again(s.opts);
    auto admin = api_client::sign_in(again.port(), "direction@llv.fr");
    for (const auto& id : acked) {
        INFO(id);
        CHECK(admin.get("/api/reservations/" + id).status == 200);
    }
}

}  // namespace

TEST_CASE("kill -9 in a stream of bookings on SQLite: every acknowledged booking survives",
          "[api][kill]") {
    kill_and_check("");
}

TEST_CASE("kill -9 in a stream of bookings on Redis: every acknowledged booking survives",
          "[api][kill][redis]") {
    kill_and_check(redis_url(shared_redis_port(), unique_prefix()));
}

TEST_CASE("two creneau processes on one Redis: bookings seen by both, one winner per slot",
          "[api][redis]") {
    site s(redis_url(shared_redis_port(), unique_prefix()));
    server_process second(s.opts);
    auto artois2 = api_client::sign_in(second.port(), "claire.martin@univ-artois.fr");
    auto r = s.artois.post("/api/reservations", atrium_day("2027-03-09"));
    REQUIRE(r.status == 201);
    auto id = r.json()["id"].get<std::string>();
    bool seen = false;
    for (int i = 0; i < 500 && !seen; ++i) {
        seen = artois2.get("/api/reservations/" + id).status == 200;
        if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(seen);

    for (int round = 0; round < 8; ++round) {
        // Monday 5 to Friday 9 April 2027, at 09:00 then 11:00.
        char start[40], end[40];
        std::snprintf(start, sizeof start, "2027-04-%02dT%02d:00:00+02:00", 5 + round % 5,
                      9 + round / 5 * 2);
        std::snprintf(end, sizeof end, "2027-04-%02dT%02d:45:00+02:00", 5 + round % 5,
                      9 + round / 5 * 2);
        auto slot = booking("meeting-room", start, end);
        std::vector<std::future<unsigned>> racers;
        for (int k = 0; k < 6; ++k) {
            const api_client& c = k % 2 ? s.artois : artois2;
            racers.push_back(std::async(std::launch::async, [&c, slot] {
                return c.post("/api/reservations", slot).status;
            }));
        }
        int created = 0, taken = 0;
        for (auto& f : racers) {
            auto st = f.get();
            created += st == 201;
            taken += st == 409;
        }
        INFO("round " << round);
        CHECK(created == 1);
        CHECK(taken == 5);
    }
}

TEST_CASE("metrics count requests by route and status, latencies, journal appends and facts",
          "[api]") {
    // No sweeps: every command counted below is one of the test's.
    site s({}, {"--retention-sweep-seconds", "0", "--waiting-sweep-seconds", "0"});
    s.artois.post("/api/reservations", atrium_day("2027-03-09"));
    s.anonymous.get("/api/reservations");
    // A request is counted once its answer is written: the client may ask for the metrics
    // before the server has counted the answer it just read.
    const std::string unauthenticated =
        R"(creneau_http_requests_total{method="GET",route="/api/reservations",status="401"} 1)";
    auto m = s.anonymous.get("/metrics");
    for (int i = 0; i < 100 && m.body.find(unauthenticated) == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        m = s.anonymous.get("/metrics");
    }
    REQUIRE(m.status == 200);
    CHECK_THAT(m.header("content-type"), Catch::StartsWith("text/plain; version=0.0.4"));
    CHECK_THAT(
        m.body,
        Catch::Contains(
            R"(creneau_http_requests_total{method="POST",route="/api/reservations",status="201"} 1)"));
    CHECK_THAT(
        m.body,
        Catch::Contains(
            R"(creneau_http_requests_total{method="GET",route="/api/reservations",status="401"} 1)"));
    CHECK_THAT(
        m.body,
        Catch::Contains(
            R"(creneau_http_request_duration_seconds_bucket{route="/api/reservations",le="+Inf"})"));
    CHECK_THAT(m.body, Catch::Contains("creneau_journal_append_seconds_count"));
    CHECK_THAT(m.body, Catch::Contains("creneau_facts_applied_total"));
    CHECK_THAT(m.body, Catch::Contains("creneau_journal_conflicts_total 0"));  // one instance
    CHECK_THAT(m.body, Catch::Contains("creneau_journal_up 1"));

    // Every write is one command the ledger took, refused or not.
    auto commands = [&] {
        auto body = s.anonymous.get("/metrics").body;
        const std::string name = "\ncreneau_ledger_commands_total ";
        auto at = body.find(name);
        REQUIRE(at != std::string::npos);
        return std::stol(body.substr(at + name.size()));
    };
    const auto before = commands();
    CHECK(s.artois.post("/api/reservations", atrium_day("2027-03-16")).status == 201);
    CHECK(s.artois.post("/api/reservations", atrium_day("2027-03-16")).status == 409);
    CHECK(commands() == before + 2);
}

TEST_CASE("a client that drips its request slowly is cut off", "[api]") {
    temp_dir dir;
    server_process server(
        {.data_dir = dir.path() / "d", .extra_args = {"--read-timeout-ms", "400"}});
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket sock(ioc);
    sock.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    const std::string request =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    auto started = std::chrono::steady_clock::now();
    bool cut = false;
    for (char ch : request) {
        boost::system::error_code ec;
        boost::asio::write(sock, boost::asio::buffer(&ch, 1), ec);
        if (ec) {
            cut = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (std::chrono::steady_clock::now() - started > std::chrono::seconds(3)) break;
    }
    if (!cut) {
        // The server may have closed without the write noticing yet: a read tells.
        char buf[512];
        boost::system::error_code ec;
        auto n = sock.read_some(boost::asio::buffer(buf), ec);
        cut = ec || n == 0;
    }
    CHECK(cut);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
}
