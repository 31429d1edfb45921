// A person's data through the real creneau (docs/privacy.md): what the export holds for an
// account and for a registration code, who may ask for it, and what never reaches the logs.

#include "support/redis_server.hpp"
#include "support/site.hpp"
#include "support/text.hpp"
#include "support/ws_client.hpp"

#include "server/journal/vault.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace creneau::test;
using nlohmann::json;
using namespace std::chrono_literals;

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

    // A code typed into a path no route knows is not kept either.
    CHECK(s.anonymous.get("/api/events/accueil/registratons/" + code + "/data").status == 404);
    CHECK(s.anonymous.get("/" + code).status == 404);

    // The request log names routes, never the people, their codes or their tokens. A request's
    // line is written once its answer is sent: the last ones may still be on their way.
    CHECK(wait_for_file(s.server->log_path(), scaled(5s), [](const std::string& t) {
        // The four requests of a registration's data by code, and the two unknown paths.
        return count_of(t, R"("path":"/api/events/{id}/registrations/{code}/data")") >= 4 &&
               t.find("\"/api/events/\u2026\"") != std::string::npos &&
               t.find("\"/\u2026\"") != std::string::npos;
    }));
    const auto log = s.server->log();
    for (const std::string& secret :
         {std::string("claire.martin"), std::string("Claire Martin"), std::string("zoe.lefebvre"),
          std::string("Zoé"), code, lower, s.artois.token})
        CHECK(log.find(secret) == std::string::npos);
}

namespace {

// The files under `dir` whose bytes hold `needle`.
std::vector<std::string> files_holding(const std::filesystem::path& dir, std::string_view needle) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
        if (entry.is_regular_file() && read_file(entry.path()).find(needle) != std::string::npos)
            found.push_back(entry.path().filename().string());
    return found;
}

// Every answer an administrator, the organiser and anyone get about the people and the event.
std::string every_answer(const site& s, const std::vector<std::string>& targets) {
    std::string all;
    for (const auto* client : {&s.admin, &s.organiser, &s.anonymous, &s.lille})
        for (const auto& t : targets) all += client->get(t).body;
    return all;
}

}  // namespace

TEST_CASE("privacy: guessing registration codes is slowed down, per client", "[privacy]") {
    site s;
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day()).status == 200);
    auto zoe = s.anonymous.post("/api/events/accueil/registrations",
                                registrant("Zoé Lefebvre", "zoe.lefebvre@etu.fr", "halal"));
    REQUIRE(zoe.status == 201);
    const auto code = zoe.json()["code"].get<std::string>();
    // Ten wrong codes, on any of the routes a code opens, are answered 404 ...
    for (int i = 0; i < 10; ++i) {
        auto wrong = "WRONG" + std::to_string(100 + i);
        CHECK(s.anonymous
                  .get(i % 2 ? "/api/events/accueil/registrations/" + wrong
                             : "/api/events/accueil/registrations/" + wrong + "/data")
                  .status == 404);
    }
    // ... then the client waits, even with the right code, and is told how long.
    auto held = s.anonymous.get("/api/events/accueil/registrations/" + code);
    CHECK(held.status == 429);
    CHECK(held.json()["code"] == "too-many-attempts");
    CHECK(held.header("retry-after") == "1");
    // Routes without a code are not held back.
    CHECK(s.anonymous.get("/api/events/accueil").status == 200);
    std::this_thread::sleep_for(1100ms);
    CHECK(s.anonymous.get("/api/events/accueil/registrations/" + code).status == 200);
    // A further wrong code doubles the wait.
    CHECK(s.anonymous.get("/api/events/accueil/registrations/WRONG999").status == 404);
    auto longer = s.anonymous.get("/api/events/accueil/registrations/" + code);
    CHECK(longer.status == 429);
    CHECK(longer.header("retry-after") == "2");
}

TEST_CASE("privacy: codes sent in a body are guesses too: leaving, and the teams", "[privacy]") {
    site s;
    auto hackathon = welcome_day();
    hackathon["kind"] = "culturathon";
    REQUIRE(s.organiser.put("/api/events/culturathon", hackathon).status == 200);
    auto zoe = s.anonymous.post("/api/events/culturathon/registrations",
                                registrant("Zoé Lefebvre", "zoe.lefebvre@etu.fr", "halal"));
    REQUIRE(zoe.status == 201);
    const auto code = zoe.json()["code"].get<std::string>();
    // Ten wrong codes on the routes that take one in their body, and nowhere else, are
    // answered 404 ...
    const std::vector<std::string> routes{"/leave", "/teams", "/teams/join", "/teams/leave"};
    for (int i = 0; i < 10; ++i) {
        const auto wrong = "WRONG" + std::to_string(100 + i);
        auto miss =
            s.anonymous.post("/api/events/culturathon" + routes[i % routes.size()],
                             {{"code", wrong}, {"name", "Les Lensois"}, {"team_code", wrong}});
        CHECK(miss.status == 404);
    }
    // ... then the client waits, on those routes and the others, right code or not.
    auto held = s.anonymous.post("/api/events/culturathon/teams",
                                 {{"code", code}, {"name", "Les Lensois"}});
    CHECK(held.status == 429);
    CHECK(held.json()["code"] == "too-many-attempts");
    CHECK(s.anonymous.get("/api/events/culturathon/registrations/" + code).status == 429);
    CHECK(s.anonymous.post("/api/events/culturathon/leave", {{"code", code}}).status == 429);
    // Nothing was done meanwhile: Zoé is still registered, in no team.
    std::this_thread::sleep_for(1100ms);
    auto mine = s.anonymous.get("/api/events/culturathon/registrations/" + code);
    REQUIRE(mine.status == 200);
    CHECK(mine.json()["registration"]["status"] == "registered");
    CHECK(!mine.json().contains("team"));
}

TEST_CASE("privacy: an erased person is unreadable everywhere, after a restart too", "[privacy]") {
    site s;
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day()).status == 200);
    auto claire_reg =
        s.artois.post("/api/events/accueil/registrations",
                      registrant("Claire Martin", "claire.martin@univ-artois.fr", "arachide-7781"));
    REQUIRE(claire_reg.status == 201);
    auto zoe = s.anonymous.post("/api/events/accueil/registrations",
                                registrant("Zoé Lefebvre", "zoe.lefebvre@etu.fr", "halal-9913"));
    REQUIRE(zoe.status == 201);
    auto kept = s.anonymous.post("/api/events/accueil/registrations",
                                 registrant("Inès Garde", "ines.garde@etu.fr", "aucun-5521"));
    REQUIRE(kept.status == 201);
    const auto zoe_id = zoe.json()["id"].get<std::string>();
    const auto zoe_code = zoe.json()["code"].get<std::string>();
    auto booked = s.artois.post(
        "/api/reservations", booking("meeting-room", "2027-03-09T09:00:00Z", "2027-03-09T10:00:00Z",
                                     6, "", "Comité de pilotage"));
    REQUIRE(booked.status == 201);
    const auto reservation = booked.json()["id"].get<std::string>();
    REQUIRE(s.admin.post("/api/reservations/" + reservation + "/approve").status == 200);
    const auto claire = s.artois.get("/api/me").json()["id"].get<std::string>();
    const auto quote_before = s.admin.get("/api/reservations/" + reservation).json()["quote"];
    const auto counts_before = s.anonymous.get("/api/events/accueil").json()["counts"];

    const std::vector<std::string> secrets = {"Claire Martin",       "claire.martin@univ-artois.fr",
                                              "arachide-7781",       "Zoé Lefebvre",
                                              "zoe.lefebvre@etu.fr", "halal-9913"};
    const auto data = s.opts.data_dir;
    // The journal holds the personal fields sealed: never in clear, even before the erasure.
    for (const auto& secret : secrets)
        for (const auto& file : files_holding(data, secret)) CHECK(file.find("creneau.db") != 0);
    // Started again with a snapshot every few facts, the server writes one at once: the state,
    // names included, beside the journal. They hold them in clear until the erasure (the search
    // below can fail).
    s.server->process().signal(SIGTERM);
    REQUIRE(s.server->process().wait_exit(scaled(10s)) == 0);
    s.opts.extra_args = {"--snapshot-every", "3", "--snapshot-interval", "0"};
    s.server = std::make_unique<server_process>(s.opts);
    s.anonymous = api_client{s.port(), ""};
    s.admin = api_client::sign_in(s.port(), "direction@llv.fr");
    s.artois = api_client::sign_in(s.port(), "claire.martin@univ-artois.fr");
    s.organiser = api_client::sign_in(s.port(), "jobdating@univ-artois.fr");
    s.lille = api_client::sign_in(s.port(), "lea@univ-lille.fr");
    const auto deadline = std::chrono::steady_clock::now() + scaled(30s);
    while (files_holding(data, "halal-9913").empty() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    REQUIRE(!files_holding(data, "halal-9913").empty());
    // The keys that will be deleted, as the key store holds them.
    std::map<std::string, std::string> keys;
    {
        auto store = creneau::server::sqlite_key_store(data / "creneau.db-keys", true);
        keys = store->keys({"user:" + claire, "registration:" + zoe_id}, false);
    }
    REQUIRE(keys.size() == 2);

    // Claire watches the live channel with her session; the organiser resumes from the start.
    ws_client claires(s.port(), s.artois.token);
    claires.subscribe({"event:accueil"});
    const auto before_erasure = s.head();
    // Without a mail server, the mails to them wait in the outbox.
    REQUIRE(s.admin.get("/api/outbox").body.find("zoe.lefebvre@etu.fr") != std::string::npos);

    // Claire's administrator erases her (her registration goes with her account); Zoé erases
    // herself with her code. Nobody else can.
    CHECK(s.lille.del("/api/users/" + claire + "/data").status == 404);
    CHECK(s.organiser.del("/api/users/" + claire + "/data").status == 404);
    CHECK(s.anonymous.del("/api/users/" + claire + "/data").status == 401);
    CHECK(s.anonymous.del("/api/events/accueil/registrations/NOPE-NOPE/data").status == 404);
    CHECK(s.lille.del("/api/registrations/" + zoe_id + "/data").status == 404);
    auto erased = s.admin.del("/api/users/" + claire + "/data");
    REQUIRE(erased.status == 200);
    CHECK(erased.json()["erased"].size() == 2);
    CHECK(erased.json()["erased"][0] == "user:" + claire);
    auto self = s.anonymous.del("/api/events/accueil/registrations/" + zoe_code + "/data");
    REQUIRE(self.status == 200);
    CHECK(self.json()["erased"] == json::array({"registration:" + zoe_id}));
    CHECK(s.anonymous.del("/api/events/accueil/registrations/" + zoe_code + "/data").status == 409);
    // Her sessions ended with her account, and her live connection with them.
    CHECK(s.artois.get("/api/me").status == 401);
    CHECK(claires.wait_close(scaled(5s)) == 1008);
    // Resuming from before the erasures, the organiser is told to reload: the messages kept
    // for resuming named them.
    ws_client organisers(s.port(), s.organiser.token);
    auto missed = organisers.subscribe({"event:accueil", "calendar:*"}, before_erasure - 3);
    std::string replayed;
    for (const auto& m : missed) replayed += m.dump();
    CHECK(replayed.find("reload") != std::string::npos);
    for (const auto& secret : {"Claire Martin", "Zoé Lefebvre"})
        CHECK(replayed.find(secret) == std::string::npos);

    const std::vector<std::string> targets = {
        "/api/outbox",
        "/api/users?organisation=univ-artois",
        "/api/users/" + claire + "/data",
        "/api/events/accueil/registrations",
        "/api/events/accueil",
        "/api/reservations/" + reservation,
        "/api/reservations/" + reservation + "/history",
        "/api/reservations",
        "/api/audit",
        "/api/events/accueil/registrations/" + zoe_code + "/data"};
    auto check_gone = [&](const site& on) {
        auto answers = every_answer(on, targets);
        for (const auto& secret : secrets) CHECK(answers.find(secret) == std::string::npos);
        // What billing and the counts need stays; the others are untouched.
        auto r = on.admin.get("/api/reservations/" + reservation).json();
        CHECK(r["organisation"] == "univ-artois");
        CHECK(r["status"] == "approved");
        CHECK(r["quote"] == quote_before);
        CHECK(on.anonymous.get("/api/events/accueil").json()["counts"] == counts_before);
        auto list = on.organiser.get("/api/events/accueil/registrations").json().dump();
        CHECK(list.find("Inès Garde") != std::string::npos);
        CHECK(list.find("—") != std::string::npos);
        // The audit view says who erased whom, never what.
        bool audited = false;
        for (const auto& e : on.admin.get("/api/audit").json())
            audited = audited ||
                      (e["action"] == "personal-data-erased" && e["subject"] == "user:" + claire);
        CHECK(audited);
    };
    check_gone(s);

    // Killed, then started again on the same files: the same answers, and no byte of the
    // journal, its WAL, the snapshots or the key store holds them or their keys.
    s.server->process().signal(SIGKILL);
    s.server->process().wait_exit(5s);
    s.server = std::make_unique<server_process>(s.opts);
    s.admin = api_client::sign_in(s.port(), "direction@llv.fr");
    s.organiser = api_client::sign_in(s.port(), "jobdating@univ-artois.fr");
    s.anonymous = api_client{s.port(), ""};
    s.lille = api_client::sign_in(s.port(), "lea@univ-lille.fr");
    check_gone(s);
    CHECK_THROWS(api_client::sign_in(s.port(), "claire.martin@univ-artois.fr"));
    for (const auto& secret : secrets) {
        INFO(secret);
        CHECK(files_holding(data, secret).empty());
    }
    for (const auto& [subject, key] : keys) {
        INFO(subject);
        CHECK(files_holding(data, key).empty());
    }
}

TEST_CASE("privacy: an erasure reaches Redis' append-only file", "[privacy][redis]") {
    redis_server redis;
    const auto url = redis_url(redis.port(), unique_prefix());
    site s(url, {"--snapshot-every", "3", "--snapshot-interval", "0"});
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day()).status == 200);
    auto zoe = s.anonymous.post("/api/events/accueil/registrations",
                                registrant("Zoé Lefebvre", "zoe.lefebvre@etu.fr", "halal-9913"));
    REQUIRE(zoe.status == 201);
    auto kept = s.anonymous.post("/api/events/accueil/registrations",
                                 registrant("Inès Garde", "ines.garde@etu.fr", "aucun-5521"));
    REQUIRE(kept.status == 201);
    const auto zoe_id = zoe.json()["id"].get<std::string>();
    const auto code = zoe.json()["code"].get<std::string>();
    auto store = creneau::server::redis_key_store(creneau::server::parse_redis_url(url));
    auto keys = store->keys({"registration:" + zoe_id}, false);
    REQUIRE(keys.size() == 1);
    const auto key = keys.begin()->second;
    // Redis logs every command it applies: the key is in its append-only file.
    REQUIRE(!files_holding(redis.dir(), key).empty());

    REQUIRE(s.anonymous.del("/api/events/accueil/registrations/" + code + "/data").status == 200);
    CHECK(store->keys({"registration:" + zoe_id}, false).empty());
    // The file is rewritten in the background: soon nothing of her key is left in it.
    const auto deadline = std::chrono::steady_clock::now() + scaled(20s);
    while (!files_holding(redis.dir(), key).empty() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    CHECK(files_holding(redis.dir(), key).empty());
    for (const std::string secret : {"Zoé Lefebvre", "zoe.lefebvre@etu.fr", "halal-9913"}) {
        INFO(secret);
        CHECK(files_holding(redis.dir(), secret).empty());
    }

    // Another start on the same Redis reads her as erased, and Inès as she was.
    s.server = std::make_unique<server_process>(s.opts);
    auto organiser = api_client::sign_in(s.port(), "jobdating@univ-artois.fr");
    auto list = organiser.get("/api/events/accueil/registrations").body;
    CHECK(list.find("Zoé") == std::string::npos);
    CHECK(list.find("halal-9913") == std::string::npos);
    CHECK(list.find("Inès Garde") != std::string::npos);
}

TEST_CASE("privacy: the server's retention sweep erases an event's registrations by itself",
          "[privacy]") {
    site s({}, {"--retention-sweep-seconds", "1"});
    // An event long over, kept one month: the organiser registers a walk-in after the fact.
    auto old = welcome_day();
    old["opens"] = "2020-01-01T00:00:00Z";
    old["closes"] = "2021-06-01T00:00:00Z";
    old["retention_months"] = 1;
    REQUIRE(s.organiser.put("/api/events/ancien", old).status == 200);
    auto kept = welcome_day();
    kept["retention_months"] = 40;  // beyond the operator's limit (36 by default)
    auto refused = s.organiser.put("/api/events/courant", kept);
    CHECK(refused.status == 400);
    CHECK(refused.json()["field"] == "retention_months");
    kept["retention_months"] = 36;
    REQUIRE(s.organiser.put("/api/events/courant", kept).status == 200);
    CHECK(s.anonymous.get("/api/events/courant").json()["retention_months"] == 36);
    REQUIRE(s.organiser
                .post("/api/events/ancien/registrations",
                      registrant("Marc Ancien", "marc.ancien@etu.fr", "omnivore-4410"))
                .status == 201);
    REQUIRE(s.anonymous
                .post("/api/events/courant/registrations",
                      registrant("Nina Courant", "nina@etu.fr", "vegan-2207"))
                .status == 201);
    // Within a few sweeps, by the system, in the audit view.
    const auto deadline = std::chrono::steady_clock::now() + scaled(10s);
    while (s.organiser.get("/api/events/ancien/registrations").body.find("Marc Ancien") !=
               std::string::npos &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(100ms);
    auto list = s.organiser.get("/api/events/ancien/registrations").body;
    CHECK(list.find("Marc Ancien") == std::string::npos);
    CHECK(list.find("omnivore-4410") == std::string::npos);
    CHECK(s.organiser.get("/api/events/courant/registrations").body.find("Nina Courant") !=
          std::string::npos);
    bool by_system = false;
    for (const auto& e : s.admin.get("/api/audit").json())
        by_system = by_system || (e["action"] == "personal-data-erased" && e["actor"] == "system");
    CHECK(by_system);
    // An administrator keeps an account (here one in use: its three years start again);
    // another organisation's cannot.
    const auto claire = s.artois.get("/api/me").json()["id"].get<std::string>();
    CHECK(s.lille.post("/api/users/" + claire + "/keep").status == 404);
    auto keep = s.admin.post("/api/users/" + claire + "/keep");
    REQUIRE(keep.status == 200);
    CHECK(keep.json()["inactive"] == false);
}
