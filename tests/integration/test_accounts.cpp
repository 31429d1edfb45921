// Accounts through the real process: invitations and one-time links, roles and disabling,
// one's own password and sessions, the first administrator of a new installation, the audit
// trail, and the validators that let a browser's second visit transfer almost nothing.

#include "support/site.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <regex>
#include <set>
#include <tuple>

using namespace creneau::test;
using nlohmann::json;
namespace http = boost::beast::http;

namespace {

std::string token_of(const json& invitation) {
    auto link = invitation["link"].get<std::string>();
    return link.substr(link.rfind('/') + 1);
}

json invitation(const std::string& email, const std::string& role, const std::string& org) {
    return {{"email", email}, {"name", "Camille Invitée"}, {"role", role}, {"organisation", org}};
}

}  // namespace

TEST_CASE("an invited person chooses a password through a one-time link and is signed in",
          "[accounts]") {
    site s;
    auto made =
        s.admin.post("/api/users", invitation("camille@univ-artois.fr", "member", "univ-artois"));
    REQUIRE(made.status == 201);
    auto inv = made.json();
    CHECK(inv["user"]["invited"] == true);
    CHECK(inv["link"].get<std::string>().rfind("/#/welcome/", 0) == 0);
    auto token = token_of(inv);

    // Not yet a password: signing in is refused.
    CHECK(s.anonymous.post("/api/session", {{"email", "camille@univ-artois.fr"}, {"password", ""}})
              .status == 401);
    auto info = s.anonymous.get("/api/links/" + token);
    REQUIRE(info.status == 200);
    CHECK(info.json()["purpose"] == "invitation");
    CHECK(info.json()["email"] == "camille@univ-artois.fr");
    CHECK(s.anonymous.get("/api/links/inconnu").status == 404);

    auto too_short = s.anonymous.post("/api/password", {{"token", token}, {"password", "court"}});
    CHECK(too_short.status == 400);
    CHECK(too_short.json()["field"] == "password");

    auto used =
        s.anonymous.post("/api/password", {{"token", token}, {"password", "mon-mot-de-passe"}});
    REQUIRE(used.status == 200);
    api_client camille{s.port(), used.json()["token"].get<std::string>()};
    CHECK(camille.get("/api/me").json()["organisation"] == "univ-artois");
    CHECK(camille.get("/api/me").json()["invited"] == false);
    // Used once: the link is gone.
    CHECK(s.anonymous.get("/api/links/" + token).status == 404);
    CHECK(s.anonymous.post("/api/password", {{"token", token}, {"password", "autre-mot-de-passe"}})
              .status == 404);
    CHECK(api_client::sign_in(s.port(), "camille@univ-artois.fr", "mon-mot-de-passe").token.size() >
          0);

    // The same e-mail cannot be invited twice, whatever its case.
    auto twice =
        s.admin.post("/api/users", invitation("Camille@Univ-Artois.fr", "member", "univ-artois"));
    CHECK(twice.status == 409);
    CHECK(twice.json()["field"] == "email");
}

TEST_CASE("a partner's administrator manages their own organisation's accounts only",
          "[accounts]") {
    site s;
    // LLV's administrator makes Artois an administrator of its own.
    auto made =
        s.admin.post("/api/users", invitation("admin@univ-artois.fr", "admin", "univ-artois"));
    REQUIRE(made.status == 201);
    auto set = s.anonymous.post(
        "/api/password", {{"token", token_of(made.json())}, {"password", "admin-artois-mdp"}});
    REQUIRE(set.status == 200);
    api_client artois_admin{s.port(), set.json()["token"].get<std::string>()};

    CHECK(artois_admin.post("/api/users", invitation("x@univ-lille.fr", "member", "univ-lille"))
              .status == 403);
    CHECK(artois_admin.post("/api/users", invitation("x@llv.fr", "admin", "llv")).status == 403);
    CHECK(
        artois_admin.post("/api/users", invitation("y@univ-artois.fr", "organiser", "univ-artois"))
            .status == 201);
    CHECK(s.artois.post("/api/users", invitation("z@univ-artois.fr", "member", "univ-artois"))
              .status == 403);

    std::set<std::string> orgs;
    std::string lea_id;
    for (const auto& u : artois_admin.get("/api/users").json())
        orgs.insert(u["organisation"].get<std::string>());
    CHECK(orgs == std::set<std::string>{"univ-artois"});
    for (const auto& u : s.admin.get("/api/users").json())
        if (u["email"] == "lea@univ-lille.fr") lea_id = u["id"];
    REQUIRE(!lea_id.empty());
    // Another organisation's account is not even found.
    CHECK(artois_admin.put("/api/users/" + lea_id, {{"disabled", true}}).status == 404);
    CHECK(artois_admin.post("/api/users/" + lea_id + "/reset").status == 404);
    // Nor can one move one's own people into another organisation.
    std::string claire_id;
    for (const auto& u : artois_admin.get("/api/users").json())
        if (u["email"] == "claire.martin@univ-artois.fr") claire_id = u["id"];
    CHECK(artois_admin.put("/api/users/" + claire_id, {{"organisation", "univ-lille"}}).status ==
          403);
    // The audit trail shows Artois's administrator their organisation's changes only.
    for (const auto& e : artois_admin.get("/api/audit").json())
        CHECK(e["organisation"] == "univ-artois");
    bool invited_seen = false;
    for (const auto& e : s.admin.get("/api/audit").json())
        if (e["action"] == "user-added" && e["actor_name"] == "Nadia Direction")
            invited_seen = true;
    CHECK(invited_seen);
}

TEST_CASE("disabling an account ends its sessions, and a reset link replaces a forgotten password",
          "[accounts]") {
    site s;
    std::string claire_id;
    for (const auto& u : s.admin.get("/api/users").json())
        if (u["email"] == "claire.martin@univ-artois.fr") claire_id = u["id"];
    REQUIRE(!claire_id.empty());
    REQUIRE(s.artois.get("/api/me").status == 200);

    auto disabled = s.admin.put("/api/users/" + claire_id, {{"disabled", true}});
    REQUIRE(disabled.status == 200);
    CHECK(disabled.json()["disabled"] == true);
    CHECK(s.artois.get("/api/me").status == 401);
    // The right password learns that the account is disabled; a wrong one learns nothing.
    auto told = s.anonymous.post("/api/session", {{"email", "claire.martin@univ-artois.fr"},
                                                  {"password", "motdepasse-solide"}});
    CHECK(told.status == 403);
    CHECK(told.json()["code"] == "account-disabled");
    CHECK(s.anonymous
              .post("/api/session",
                    {{"email", "claire.martin@univ-artois.fr"}, {"password", "pas-le-bon"}})
              .status == 401);
    // No link for a disabled account.
    CHECK(s.admin.post("/api/users/" + claire_id + "/reset").status == 409);

    REQUIRE(s.admin.put("/api/users/" + claire_id, {{"disabled", false}}).status == 200);
    auto reset = s.admin.post("/api/users/" + claire_id + "/reset");
    REQUIRE(reset.status == 201);
    CHECK(reset.json()["purpose"] == "reset");
    auto token = token_of(reset.json());
    CHECK(s.anonymous.get("/api/links/" + token).json()["purpose"] == "reset");
    REQUIRE(
        s.anonymous.post("/api/password", {{"token", token}, {"password", "nouveau-mot-de-passe"}})
            .status == 200);
    CHECK(s.anonymous
              .post("/api/session",
                    {{"email", "claire.martin@univ-artois.fr"}, {"password", "motdepasse-solide"}})
              .status == 401);
    CHECK(!api_client::sign_in(s.port(), "claire.martin@univ-artois.fr", "nouveau-mot-de-passe")
               .token.empty());
}

TEST_CASE("the operator keeps an administrator, and nobody disables themselves", "[accounts]") {
    site s;
    std::string me = s.admin.get("/api/me").json()["id"];
    auto demote = s.admin.put("/api/users/" + me, {{"role", "member"}});
    CHECK(demote.status == 409);
    CHECK(demote.json()["field"] == "role");
    auto self = s.admin.put("/api/users/" + me, {{"disabled", true}});
    CHECK(self.status == 409);
    CHECK(s.admin.get("/api/me").json()["role"] == "admin");
    // A bad role is refused at its field.
    auto bad = s.admin.put("/api/users/" + me, {{"role", "root"}});
    CHECK(bad.status == 400);
    CHECK(bad.json()["field"] == "role");
}

TEST_CASE("one's own password and sessions", "[accounts]") {
    site s;
    auto second = api_client::sign_in(s.port(), "claire.martin@univ-artois.fr");
    auto sessions = s.artois.get("/api/me/sessions").json();
    REQUIRE(sessions.size() == 2);
    int current = 0;
    for (const auto& x : sessions) current += x["current"].get<bool>() ? 1 : 0;
    CHECK(current == 1);

    auto wrong = s.artois.post("/api/me/password",
                               {{"current", "pas-celui-la"}, {"password", "nouveau-mot-de-passe"}});
    CHECK(wrong.status == 400);
    CHECK(wrong.json()["field"] == "current");
    auto changed = s.artois.post("/api/me/password", {{"current", "motdepasse-solide"},
                                                      {"password", "nouveau-mot-de-passe"}});
    REQUIRE(changed.status == 200);
    // The caller stays signed in; the other session ended.
    CHECK(s.artois.get("/api/me").status == 200);
    CHECK(second.get("/api/me").status == 401);
    CHECK(s.artois.get("/api/me/sessions").json().size() == 1);

    // Ending a session by its id; another person's session id is not found.
    auto third =
        api_client::sign_in(s.port(), "claire.martin@univ-artois.fr", "nouveau-mot-de-passe");
    std::string other;
    for (const auto& x : third.get("/api/me/sessions").json())
        if (!x["current"].get<bool>()) other = x["id"];
    REQUIRE(!other.empty());
    CHECK(s.lille.del("/api/me/sessions/" + other).status == 404);
    CHECK(third.del("/api/me/sessions/" + other).status == 200);
    CHECK(s.artois.get("/api/me").status == 401);
    CHECK(third.get("/api/me").status == 200);
}

TEST_CASE("first run: the set-up link printed on start creates the first administrator, once",
          "[accounts]") {
    temp_dir dir;
    server_options opts;
    opts.data_dir = dir.path() / "data";
    {
        server_process fresh(opts);
        // The link is written before "listening", so whoever waits for that line finds it.
        auto log = fresh.log();
        auto link = log.find("/#/setup/");
        REQUIRE(link != std::string::npos);
        CHECK(link < log.find(R"("msg":"listening")"));
        auto anon = api_client{fresh.port(), ""};
        CHECK(anon.get("/api/setup").json()["needed"] == true);
        std::smatch m;
        REQUIRE(std::regex_search(log, m, std::regex("/#/setup/([A-Za-z0-9_-]+)")));
        const std::string token = m[1];
        json body = {{"token", "faux-jeton"},
                     {"email", "directrice@llv.fr"},
                     {"name", "Directrice"},
                     {"password", "premier-mot-de-passe"}};
        CHECK(anon.post("/api/setup", body).status == 404);
        body["token"] = token;
        body["password"] = "court";
        CHECK(anon.post("/api/setup", body).status == 400);
        body["password"] = "premier-mot-de-passe";
        auto done = anon.post("/api/setup", body);
        REQUIRE(done.status == 200);
        api_client first{fresh.port(), done.json()["token"].get<std::string>()};
        auto me = first.get("/api/me").json();
        CHECK(me["role"] == "admin");
        CHECK(me["organisation"] == "llv");
        CHECK(anon.get("/api/setup").json()["needed"] == false);
        body["email"] = "intrus@llv.fr";
        CHECK(anon.post("/api/setup", body).status == 404);
    }
    // Restarted with an administrator: no set-up link is printed any more.
    server_process again(opts);
    CHECK(again.log().find("/#/setup/") == std::string::npos);
    CHECK(!api_client::sign_in(again.port(), "directrice@llv.fr", "premier-mot-de-passe")
               .token.empty());
}

TEST_CASE("first run: set-up requests racing make one administrator", "[accounts]") {
    temp_dir dir;
    server_options opts;
    opts.data_dir = dir.path() / "data";
    server_process fresh(opts);
    std::smatch m;
    auto log = fresh.log();
    REQUIRE(std::regex_search(log, m, std::regex("/#/setup/([A-Za-z0-9_-]+)")));
    const std::string token = m[1];
    std::vector<std::future<unsigned>> calls;
    for (int i = 0; i < 8; ++i)
        calls.push_back(std::async(std::launch::async, [&, i] {
            api_client anon{fresh.port(), ""};
            return anon
                .post("/api/setup", {{"token", token},
                                     {"email", numbered("admin", i) + "@llv.fr"},
                                     {"name", "Admin"},
                                     {"password", "premier-mot-de-passe"}})
                .status;
        }));
    int made = 0, refused = 0;
    for (auto& c : calls) {
        auto status = c.get();
        made += status == 200;
        refused += status == 404;
    }
    CHECK(made == 1);
    CHECK(refused == 7);
}

TEST_CASE("API reads and the web app's files carry validators, and files travel compressed",
          "[accounts][http]") {
    site s;
    auto first = http_get(s.port(), "/api/resources");
    REQUIRE(first.status == 200);
    auto etag = first.header("etag");
    REQUIRE(!etag.empty());
    auto again = http_get(s.port(), "/api/resources", {{"If-None-Match", etag}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    // A change gives another validator.
    auto room = s.admin.get("/api/resources/meeting-room").json();
    room["name"] = "Salle de réunion (16)";
    REQUIRE(s.admin.put("/api/resources/meeting-room", room).status == 200);
    CHECK(http_get(s.port(), "/api/resources", {{"If-None-Match", etag}}).status == 200);

    auto plain = http_get(s.port(), "/index.html");
    auto br = http_get(s.port(), "/index.html", {{"Accept-Encoding", "gzip, deflate, br"}});
    auto gz = http_get(s.port(), "/index.html", {{"Accept-Encoding", "gzip"}});
    REQUIRE(br.status == 200);
    CHECK(br.header("content-encoding") == "br");
    CHECK(gz.header("content-encoding") == "gzip");
    CHECK(br.body.size() < plain.body.size());
    CHECK(gz.body.size() < plain.body.size());
    CHECK(br.header("vary") == "Accept-Encoding");
    CHECK(br.header("etag") != plain.header("etag"));
    auto revisit =
        http_get(s.port(), "/index.html",
                 {{"Accept-Encoding", "gzip, deflate, br"}, {"If-None-Match", br.header("etag")}});
    CHECK(revisit.status == 304);
    CHECK(revisit.body.empty());
}

namespace {

// A site with a partner administrator for Artois and Lille, and a Lille member.
struct partners {
    site s;
    api_client artois_admin, lille_admin, lille_member;
    partners() {
        for (const auto& [email, role, org] :
             std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"admin@artois.fr", "admin", "univ-artois"},
                 {"admin@lille.fr", "admin", "univ-lille"},
                 {"membre@lille.fr", "member", "univ-lille"}}) {
            auto r = s.admin.post("/api/users", invitation(email, role, org));
            REQUIRE(r.status == 201);
            auto set = s.anonymous.post("/api/password", {{"token", token_of(r.json())},
                                                          {"password", "mot-de-passe-partenaire"}});
            REQUIRE(set.status == 200);
        }
        artois_admin = api_client::sign_in(s.port(), "admin@artois.fr", "mot-de-passe-partenaire");
        lille_admin = api_client::sign_in(s.port(), "admin@lille.fr", "mot-de-passe-partenaire");
        lille_member = api_client::sign_in(s.port(), "membre@lille.fr", "mot-de-passe-partenaire");
    }
};

json free_agreement(const std::string& provider, const std::string& beneficiary,
                    const std::string& room) {
    return {{"provider", provider},
            {"beneficiary", beneficiary},
            {"reciprocal", true},
            {"zone", "Europe/Paris"},
            {"valid_from", "2026-01-01"},
            {"valid_to", "2029-12-31"},
            {"resources", {{room, {{"free", "unlimited"}}}}},
            {"approval_required", false}};
}

}  // namespace

TEST_CASE("a partner's administrator never makes another organisation lend its rooms",
          "[accounts][authorisation]") {
    partners p;
    // Lille's admin writes an agreement in which LLV lends the Atrium, free and unapproved.
    CHECK(p.lille_admin
              .put("/api/agreements/lille-free", free_agreement("llv", "univ-lille", "atrium"))
              .status == 403);
    auto booked = p.lille_member.post("/api/reservations",
                                      booking("atrium", "2027-03-09T10:00:00+01:00",
                                              "2027-03-09T18:00:00+01:00", 100, "plenary"));
    CHECK(booked.status != 201);
    // Artois's admin against the City of Lille's rooms.
    CHECK(p.artois_admin
              .put("/api/agreements/artois-lille",
                   free_agreement("ville-lille", "univ-artois", "lille-salon-hotel-de-ville"))
              .status == 403);
    // Within the reciprocal Lille agreement, the university sets its own rooms' terms only,
    // and keeps the parties and reciprocity.
    auto lille = p.lille_admin.get("/api/agreements/lille-ville-universite-2022").json();
    auto other = lille;
    other["resources"]["lille-salon-hotel-de-ville"] = {{"free_per_year", 0}};
    CHECK(p.lille_admin.put("/api/agreements/lille-ville-universite-2022", other).status == 403);
    auto dropped = lille;
    dropped["reciprocal"] = false;
    dropped["provider"] = "univ-lille";
    dropped["beneficiary"] = "ville-lille";
    CHECK(p.lille_admin.put("/api/agreements/lille-ville-universite-2022", dropped).status == 403);
    auto own = lille;
    own["resources"].erase("lille-amphi");  // its own room: no longer lent under it
    auto own_put = p.lille_admin.put("/api/agreements/lille-ville-universite-2022", own);
    INFO(own_put.body);
    CHECK(own_put.status == 200);
    // The operator's administrators keep the catalogue as a whole.
    auto operator_made = free_agreement("llv", "univ-lille", "meeting-room");
    operator_made["reciprocal"] = false;
    CHECK(p.s.admin.put("/api/agreements/llv-lille", operator_made).status == 200);
}

TEST_CASE("a move to another organisation or a new role ends the account's links and sessions",
          "[accounts][authorisation]") {
    partners p;
    auto made =
        p.artois_admin.post("/api/users", invitation("recrue@artois.fr", "member", "univ-artois"));
    REQUIRE(made.status == 201);
    auto token = token_of(made.json());
    const std::string id = made.json()["user"]["id"];
    // LLV takes the person in as an administrator: Artois's link must not open that account.
    REQUIRE(
        p.s.admin.put("/api/users/" + id, {{"organisation", "llv"}, {"role", "admin"}}).status ==
        200);
    CHECK(p.s.anonymous.get("/api/links/" + token).status == 404);
    CHECK(p.s.anonymous.post("/api/password", {{"token", token}, {"password", "choisi-par-artois"}})
              .status == 404);
    // A role change ends the sessions opened under the old role.
    std::string claire;
    for (const auto& u : p.s.admin.get("/api/users").json())
        if (u["email"] == "claire.martin@univ-artois.fr") claire = u["id"];
    REQUIRE(p.s.artois.get("/api/me").status == 200);
    REQUIRE(p.artois_admin.put("/api/users/" + claire, {{"role", "organiser"}}).status == 200);
    CHECK(p.s.artois.get("/api/me").status == 401);
}

TEST_CASE("two changes to one account at once both hold", "[accounts]") {
    partners p;
    for (int round = 0; round < 10; ++round) {
        auto made = p.artois_admin.post(
            "/api/users",
            invitation(numbered("course", round) + "@artois.fr", "member", "univ-artois"));
        REQUIRE(made.status == 201);
        const std::string id = made.json()["user"]["id"];
        auto disable = std::async(std::launch::async, [&] {
            return p.artois_admin.put("/api/users/" + id, {{"disabled", true}}).status;
        });
        auto rename = std::async(std::launch::async, [&] {
            return p.s.admin.put("/api/users/" + id, {{"name", "Nom changé"}}).status;
        });
        REQUIRE(disable.get() == 200);
        REQUIRE(rename.get() == 200);
        json after;
        for (const auto& u : p.s.admin.get("/api/users").json())
            if (u["id"] == id) after = u;
        INFO("round " << round);
        CHECK(after["disabled"] == true);
        CHECK(after["name"] == "Nom changé");
    }
}

TEST_CASE("guessing one's current password from a session is slowed down", "[accounts]") {
    site s;
    std::vector<unsigned> statuses;
    for (int i = 0; i < 5; ++i)
        statuses.push_back(s.artois
                               .post("/api/me/password", {{"current", numbered("essai-", i)},
                                                          {"password", "nouveau-mot-de-passe"}})
                               .status);
    CHECK(statuses.front() == 400);
    CHECK(statuses.back() == 429);
}

TEST_CASE("accounts refuse invisible and look-alike characters, and probing tells nothing",
          "[accounts]") {
    partners p;
    auto refused = [&](const json& body, const std::string& field) {
        auto r = p.lille_admin.post("/api/users", body);
        INFO(body.dump() << " → " << r.body);
        CHECK(r.status == 400);
        CHECK(r.json()["field"] == field);
    };
    refused(invitation(std::string("a\0b@lille.fr", 12), "member", "univ-lille"), "email");
    refused(invitation("direction@llv.fr\u200b", "member", "univ-lille"), "email");
    refused(invitation("d\u0456rection@llv.fr", "member", "univ-lille"), "email");
    refused(invitation("a@b@lille.fr", "member", "univ-lille"), "email");
    auto bidi = invitation("bidi@lille.fr", "member", "univ-lille");
    bidi["name"] = "a\u202eb";
    refused(bidi, "name");
    // An existing address with an otherwise bad request: the fault named is not the address.
    auto probe = invitation("direction@llv.fr", "member", "univ-lille");
    probe["name"] = " ";
    refused(probe, "name");
}

TEST_CASE("tariff amounts stay far from overflow", "[accounts][catalogue]") {
    site s;
    auto grids = s.admin.get("/api/tariff-grids").json();
    json grid;
    for (const auto& g : grids)
        if (g["id"] == "llv") grid = g;
    REQUIRE(!grid.is_null());
    grid["prices"]["atrium"]["day"]["member"] = 9223372036854775807LL;
    auto r = s.admin.put("/api/tariff-grids/llv", grid);
    CHECK(r.status == 400);
    CHECK(r.json()["code"] == "bad-request");
}

TEST_CASE("the web root publishes the app and the three packages it loads, nothing else",
          "[accounts][http]") {
    site s;
    CHECK(http_get(s.port(), "/package.json").status == 404);
    CHECK(http_get(s.port(), "/package-lock.json").status == 404);
    CHECK(http_get(s.port(), "/node_modules/playwright-core/package.json").status == 404);
    CHECK(http_get(s.port(), "/node_modules/axe-core/axe.min.js").status == 404);
    CHECK(http_get(s.port(), "/node_modules/chart.js/dist/chart.umd.js").status == 200);
    CHECK(http_get(s.port(), "/node_modules/qrcode-generator/dist/qrcode.mjs").status == 200);
    CHECK(http_get(s.port(), "/node_modules/qrcode-generator/package.json").status == 404);
    CHECK(http_get(s.port(), "/js/main.js").status == 200);
    // Accept-Encoding as RFC 9110 reads it: q=0 refuses, preferences count, names are
    // case-blind.
    auto enc = [&](const std::string& accept) {
        return http_get(s.port(), "/js/main.js", {{"Accept-Encoding", accept}})
            .header("content-encoding");
    };
    CHECK(enc("br;q=0, gzip") == "gzip");
    CHECK(enc("br;q=0.0, gzip;q=0.5") == "gzip");
    CHECK(enc("gzip;q=1, br;q=0.5") == "gzip");
    CHECK(enc("GZIP") == "gzip");
    CHECK(enc("gzip;q=0, br;q=0") == "");
    CHECK(enc("br, gzip") == "br");
    // If-None-Match: lists and weak validators.
    auto first = http_get(s.port(), "/js/main.js", {{"Accept-Encoding", "gzip"}});
    auto etag = first.header("etag");
    CHECK(http_get(s.port(), "/js/main.js",
                   {{"Accept-Encoding", "gzip"}, {"If-None-Match", "\"x\", W/" + etag}})
              .status == 304);
    auto api = http_get(s.port(), "/api/resources");
    CHECK(http_get(s.port(), "/api/resources", {{"If-None-Match", "\"x\", " + api.header("etag")}})
              .status == 304);
}
