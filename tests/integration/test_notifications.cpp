// Notifications by e-mail (docs/notifications.md): the real creneau process, a real SMTP server
// (aiosmtpd) on loopback, the messages read back with Python's email package.

#include "common/core/time.hpp"
#include "support/api_client.hpp"
#include "support/redis_server.hpp"
#include "support/site.hpp"
#include "support/smtp_server.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <set>
#include <sstream>
#include <thread>

using namespace creneau::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> mail_args(const smtp_server& smtp) {
    return {"--smtp",       smtp.url(),
            "--mail-from",  "Créneau <creneau@llv.example>",
            "--public-url", "https://creneau.example",
            "--mail-retry", "1"};
}

std::string in_days(int days) {
    auto t = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
             std::chrono::days(days);
    return creneau::format_utc(t);
}

json welcome_day(int capacity) {
    return {{"kind", "welcome-day"},
            {"title", "Journée d'accueil"},
            {"capacity", capacity},
            {"opens", in_days(-1)},
            {"closes", in_days(30)}};
}

// The messages sent to `address`.
std::vector<json> to(const std::vector<json>& all, const std::string& address) {
    std::vector<json> out;
    for (const auto& m : all)
        if (m["rcpt"].size() == 1 && m["rcpt"][0] == address) out.push_back(m);
    return out;
}

bool contains(const json& text, const std::string& part) {
    return text.is_string() && text.get<std::string>().find(part) != std::string::npos;
}

// No message twice: every Message-ID once.
void check_no_duplicate(const std::vector<json>& all) {
    std::set<std::string> ids;
    for (const auto& m : all) {
        INFO(m.dump());
        CHECK(ids.insert(m["message-id"].get<std::string>()).second);
    }
}

std::int64_t metric(std::uint16_t port, const std::string& name) {
    auto text = http_get(port, "/metrics").body;
    auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stoll(text.substr(at + name.size() + 2));
}

// Personne i (pi@etu.example) registers to "accueil".
void register_person(api_client& through, int i) {
    REQUIRE(through
                .post("/api/events/accueil/registrations",
                      {{"name", numbered("Personne ", i)},
                       {"email", numbered("p", i) + "@etu.example"}})
                .status == 201);
}

void kill_and_restart(site& s) {
    s.server->process().signal(SIGKILL);
    REQUIRE(s.server->process().wait_exit(5s));
    s.server = std::make_unique<server_process>(s.opts);
    s.anonymous.port = s.admin.port = s.artois.port = s.organiser.port = s.lille.port = s.port();
}

}  // namespace

TEST_CASE("mail: registrations, promotions, event changes and timetables reach each person once",
          "[mail]") {
    smtp_server smtp;
    site s("", mail_args(smtp));
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day(1)).status == 200);
    auto alice = s.anonymous
                     .post("/api/events/accueil/registrations",
                           {{"name", "Alice Étudiante"}, {"email", "alice@etu.example"}})
                     .json();
    auto bob = s.anonymous
                   .post("/api/events/accueil/registrations",
                         {{"name", "Bob Student"}, {"email", "bob@etu.example"}, {"lang", "en"}})
                   .json();
    REQUIRE(bob["status"] == "waiting");
    CHECK(s.anonymous
              .post("/api/events/accueil/registrations",
                    {{"name", "Carl"}, {"email", "carl@etu.example"}, {"lang", "de"}})
              .json()["code"] == "bad-request");

    auto all = smtp.wait_for(2, scaled(20s));
    REQUIRE(all.size() == 2);
    auto a = to(all, "alice@etu.example");
    REQUIRE(a.size() == 1);
    CHECK(a[0]["subject"] == "Inscription : Journée d'accueil");
    CHECK(a[0]["content-language"] == "fr");
    CHECK(a[0]["defects"].empty());
    CHECK(contains(a[0]["to"], "Alice Étudiante"));
    CHECK(contains(a[0]["from"], "creneau@llv.example"));
    CHECK(contains(a[0]["text"], alice["code"].get<std::string>()));
    CHECK(contains(a[0]["text"],
                   "https://creneau.example/#/pass/accueil/" + alice["code"].get<std::string>()));
    CHECK(contains(a[0]["html"], "href=\"https://creneau.example/#/pass/accueil/"));
    REQUIRE(a[0]["attachments"].size() == 1);
    CHECK(a[0]["attachments"][0]["content_type"] == "text/calendar");
    auto b = to(all, "bob@etu.example");
    REQUIRE(b.size() == 1);
    CHECK(b[0]["subject"] == "Waiting list: Journée d'accueil");
    CHECK(contains(b[0]["text"], "in position 1"));

    // Alice leaves: Bob has her place and is told; then the event changes: Bob alone is told.
    REQUIRE(s.anonymous.post("/api/events/accueil/leave", {{"code", alice["code"]}}).status == 200);
    auto changed = welcome_day(1);
    changed["title"] = "Journée d'accueil 2027";
    REQUIRE(s.organiser.put("/api/events/accueil", changed).status == 200);
    all = smtp.wait_for(4, scaled(20s));
    REQUIRE(all.size() == 4);
    b = to(all, "bob@etu.example");
    REQUIRE(b.size() == 3);
    CHECK(b[1]["subject"] == "A place for you: Journée d'accueil");
    CHECK(b[2]["subject"] == "Changed: Journée d'accueil 2027");
    CHECK(to(all, "alice@etu.example").size() == 1);

    // A Job Dating's timetable, published: each participant gets theirs, and its .ics; a
    // student still waiting for a place gets none.
    json jd = {{"kind", "job-dating"}, {"title", "Job Dating"},
               {"capacity", 5},        {"opens", in_days(-1)},
               {"closes", in_days(5)}, {"day_start", in_days(10)},
               {"slot_minutes", 15},   {"slots", 4}};
    REQUIRE(s.organiser.put("/api/events/jd", jd).status == 200);
    std::vector<json> companies, students;
    for (int j = 0; j < 2; ++j)
        companies.push_back(s.anonymous
                                .post("/api/events/jd/registrations",
                                      {{"name", numbered("Start-up ", j)},
                                       {"email", numbered("startup", j) + "@llv.example"},
                                       {"role", "company"},
                                       {"max_meetings", 4}})
                                .json());
    for (int i = 0; i < 3; ++i)
        students.push_back(s.anonymous
                               .post("/api/events/jd/registrations",
                                     {{"name", numbered("Étudiant ", i)},
                                      {"email", numbered("student", i) + "@etu.example"},
                                      {"role", "student"},
                                      {"ranking", {companies[0]["id"], companies[1]["id"]}},
                                      {"max_meetings", 2}})
                               .json());
    auto waiting = s.anonymous
                       .post("/api/events/jd/registrations", {{"name", "Étudiant en attente"},
                                                              {"email", "waiting@etu.example"},
                                                              {"role", "student"},
                                                              {"ranking", {companies[0]["id"]}}})
                       .json();
    REQUIRE(waiting["status"] == "waiting");
    all = smtp.wait_for(10, scaled(20s));  // five registrations, one on the waiting list
    REQUIRE(all.size() == 10);
    REQUIRE(s.organiser.post("/api/events/jd/timetable", {{"publish", true}}).status == 200);
    all = smtp.wait_for(15, scaled(20s));
    std::this_thread::sleep_for(scaled(1s));  // a mail too many would come now
    all = smtp.messages();
    REQUIRE(all.size() == 15);
    CHECK(to(all, "waiting@etu.example").size() == 1);
    for (int i = 0; i < 3; ++i) {
        auto got = to(all, numbered("student", i) + "@etu.example");
        REQUIRE(got.size() == 2);
        CHECK(got[1]["subject"] == "Votre planning : Job Dating");
        auto own =
            s.anonymous.get("/api/events/jd/timetable/" +
                            students[static_cast<std::size_t>(i)]["code"].get<std::string>());
        REQUIRE(own.status == 200);
        auto meetings = own.json()["meetings"];
        REQUIRE(got[1]["attachments"].size() == 1);
        CHECK(got[1]["attachments"][0]["events"].size() == meetings.size());
        for (const auto& m : meetings)
            CHECK(contains(got[1]["text"], m["with"].get<std::string>()));
    }
    // Published again without a change: nobody is told twice.
    REQUIRE(s.organiser.post("/api/events/jd/timetable", {{"publish", true}}).status == 200);
    std::this_thread::sleep_for(scaled(2s));
    all = smtp.messages();
    CHECK(all.size() == 15);
    check_no_duplicate(all);
    // Hostile names and addresses never reach the mail server or the headers: a name with a
    // header in it, an address with an envelope command, are refused at the door.
    REQUIRE(s.organiser.put("/api/events/talk", welcome_day(10)).status == 200);
    auto header = s.anonymous.post(
        "/api/events/talk/registrations",
        {{"name", "Eve\r\nBcc: victim@else.example"}, {"email", "eve@etu.example"}});
    CHECK(header.status == 400);
    CHECK(header.json()["field"] == "name");
    auto envelope = s.anonymous.post(
        "/api/events/talk/registrations",
        {{"name", "Mallory"}, {"email", "m@etu.example>\r\nRCPT TO:<victim@else.example"}});
    CHECK(envelope.status == 400);
    CHECK(envelope.json()["field"] == "email");
    REQUIRE(s.anonymous
                .post("/api/events/talk/registrations",
                      {{"name", "Eve Martin"}, {"email", "eve@etu.example"}})
                .status == 201);
    all = smtp.wait_for(16, scaled(20s));
    std::this_thread::sleep_for(scaled(2s));
    all = smtp.messages();
    REQUIRE(all.size() == 16);
    CHECK(all[15]["rcpt"] == json::array({"eve@etu.example"}));
    CHECK(all[15]["defects"].empty());
    for (const auto& m : all) CHECK(!contains(json(m["rcpt"]).dump(), "victim"));
}

TEST_CASE("mail: one who lost their registration mail gets it again, and nobody learns who is in",
          "[mail]") {
    smtp_server smtp;
    site s("", mail_args(smtp));
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day(1)).status == 200);
    auto alice = s.anonymous
                     .post("/api/events/accueil/registrations",
                           {{"name", "Alice Étudiante"}, {"email", "alice@etu.example"}})
                     .json();
    REQUIRE(smtp.wait_for(1, scaled(20s)).size() == 1);

    // The same answer for an address registered and one that is not.
    auto again = s.anonymous.post("/api/events/accueil/resend", {{"email", "Alice@Etu.example"}});
    CHECK(again.status == 202);
    auto nobody = s.anonymous.post("/api/events/accueil/resend", {{"email", "eve@etu.example"}});
    CHECK(nobody.status == 202);
    CHECK(nobody.body == again.body);
    auto all = smtp.wait_for(2, scaled(20s));
    REQUIRE(all.size() == 2);
    auto a = to(all, "alice@etu.example");
    REQUIRE(a.size() == 2);
    CHECK(a[1]["subject"] == "Votre inscription : Journée d'accueil");
    CHECK(contains(a[1]["text"], alice["code"].get<std::string>()));
    CHECK(contains(a[1]["text"],
                   "https://creneau.example/#/pass/accueil/" + alice["code"].get<std::string>()));
    REQUIRE(a[1]["attachments"].size() == 1);
    CHECK(a[1]["attachments"][0]["content_type"] == "text/calendar");

    // Three times at most: the fourth is answered alike and sends nothing.
    for (int i = 0; i < 3; ++i)
        CHECK(s.anonymous.post("/api/events/accueil/resend", {{"email", "alice@etu.example"}})
                  .status == 202);
    all = smtp.wait_for(4, scaled(20s));
    CHECK(all.size() == 4);
    std::this_thread::sleep_for(scaled(1s));
    CHECK(smtp.wait_for(5, 500ms).size() == 4);

    // Bad input is refused with its code; an unknown event is not found.
    auto bad = s.anonymous.post("/api/events/accueil/resend", {{"email", "not an address"}});
    CHECK(bad.status == 400);
    CHECK(bad.json()["field"] == "email");
    CHECK(s.anonymous.post("/api/events/accueil/resend", json::object()).json()["field"] ==
          "email");
    CHECK(s.anonymous.post("/api/events/nowhere/resend", {{"email", "alice@etu.example"}}).status ==
          404);
    check_no_duplicate(all);
}

TEST_CASE("mail: requests and decisions go to the right people, in the language they chose",
          "[mail]") {
    smtp_server smtp;
    site s("", mail_args(smtp));
    auto day = [](const std::string& d) {
        return booking("atrium", d + "T09:00:00+01:00", d + "T17:00:00+01:00", 80, "plenary",
                       "Colloque");
    };
    auto r1 = s.artois.post("/api/reservations", day("2027-03-09")).json();
    auto all = smtp.wait_for(1, scaled(20s));
    REQUIRE(all.size() == 1);
    CHECK(all[0]["rcpt"][0] == "direction@llv.fr");  // the Atrium's owner's administrator
    CHECK(all[0]["subject"] == "Nouvelle demande : Atrium, Colloque");
    CHECK(contains(all[0]["text"], "Claire Martin"));
    CHECK(contains(all[0]["text"], "le 09/03/2027 de 09:00 à 17:00"));  // Paris time
    CHECK(contains(all[0]["text"], "https://creneau.example/#/admin"));

    REQUIRE(s.admin.post("/api/reservations/" + r1["id"].get<std::string>() + "/approve").status ==
            200);
    all = smtp.wait_for(2, scaled(20s));
    REQUIRE(all.size() == 2);
    CHECK(all[1]["rcpt"][0] == "claire.martin@univ-artois.fr");
    CHECK(all[1]["subject"] == "Demande acceptée : Atrium, Colloque");

    // Preferences: the administrator reads English; Claire no longer wants decisions.
    auto me = s.admin.get("/api/me").json();
    CHECK(me["preferences"]["lang"] == "fr");
    auto chosen = s.admin.put("/api/me/preferences", {{"lang", "en"}, {"muted", json::array()}});
    REQUIRE(chosen.status == 200);
    CHECK(chosen.json()["preferences"]["lang"] == "en");
    REQUIRE(s.artois.put("/api/me/preferences", {{"lang", "fr"}, {"muted", {"request-decided"}}})
                .status == 200);
    CHECK(s.artois.put("/api/me/preferences", {{"lang", "fr"}, {"muted", {"invitation"}}})
              .json()["code"] == "bad-request");  // invitations and resets are always sent
    CHECK(s.artois.put("/api/me/preferences", {{"lang", "xx"}}).json()["code"] == "bad-request");
    CHECK(s.anonymous.put("/api/me/preferences", {{"lang", "fr"}}).status == 401);

    auto r2 = s.artois.post("/api/reservations", day("2027-03-10")).json();
    all = smtp.wait_for(3, scaled(20s));
    REQUIRE(all.size() == 3);
    CHECK(all[2]["subject"] == "New request: Atrium, Colloque");
    CHECK(contains(all[2]["text"], "on 2027-03-10 from 09:00 to 17:00"));
    REQUIRE(s.admin
                .post("/api/reservations/" + r2["id"].get<std::string>() + "/refuse",
                      {{"reason", "Exposition"}})
                .status == 200);
    // The administrator's own decision is not mailed to them, and Claire muted decisions.
    std::this_thread::sleep_for(scaled(2s));
    CHECK(smtp.messages().size() == 3);

    // Invitations and resets carry their one-time link to the person, always.
    auto invited = s.admin.post("/api/users", {{"email", "yanis.caron@llv.example"},
                                               {"name", "Yanis Caron"},
                                               {"role", "member"},
                                               {"organisation", "llv"}});
    REQUIRE(invited.status == 201);
    all = smtp.wait_for(4, scaled(20s));
    REQUIRE(all.size() == 4);
    CHECK(all[3]["rcpt"][0] == "yanis.caron@llv.example");
    CHECK(all[3]["subject"] == "Votre compte Créneau");
    CHECK(contains(all[3]["text"],
                   "https://creneau.example" + invited.json()["link"].get<std::string>()));
    auto id = invited.json()["user"]["id"].get<std::string>();
    auto reset = s.admin.post("/api/users/" + id + "/reset");
    REQUIRE(reset.status == 201);
    all = smtp.wait_for(5, scaled(20s));
    REQUIRE(all.size() == 5);
    CHECK(contains(all[4]["text"],
                   "https://creneau.example" + reset.json()["link"].get<std::string>()));
    // The journal holds the token sealed with the outbox's key, never in clear.
    auto token = reset.json()["link"].get<std::string>().substr(std::string("/#/welcome/").size());
    auto journal =
        read_file(s.opts.data_dir / "creneau.db") + read_file(s.opts.data_dir / "creneau.db-wal");
    CHECK(journal.find(token) == std::string::npos);
    kill_and_restart(s);
    std::this_thread::sleep_for(scaled(2s));
    CHECK(smtp.messages().size() == 5);
    check_no_duplicate(smtp.messages());
}

TEST_CASE("mail: the MuséoLab's hour quota alerts both parties' administrators at 80 and 100 %",
          "[mail]") {
    smtp_server smtp;
    site s("", mail_args(smtp));
    // Only the alerts here: the requests and decisions are turned off by those who get them.
    REQUIRE(
        s.admin.put("/api/me/preferences", {{"lang", "fr"}, {"muted", {"request-new"}}}).status ==
        200);
    REQUIRE(s.artois.put("/api/me/preferences", {{"lang", "fr"}, {"muted", {"request-decided"}}})
                .status == 200);
    auto artois_admin = s.admin.post("/api/users", {{"email", "direction@univ-artois.example"},
                                                    {"name", "Inès Roussel"},
                                                    {"role", "admin"},
                                                    {"organisation", "univ-artois"}});
    REQUIRE(artois_admin.status == 201);
    REQUIRE(smtp.wait_for(1, scaled(20s)).size() == 1);  // the invitation
    // Appointments on weekdays from Monday 1 March 2027, mornings (3 h 30) and afternoons
    // (4 h), approved, until the 400 hours are used.
    auto first = std::chrono::sys_days{std::chrono::year{2027} / 3 / 1};
    int minutes = 0;
    for (int d = 0; minutes < 400 * 60; ++d) {
        if (d % 7 >= 5) continue;  // the weekend
        auto day =
            creneau::format_utc(creneau::instant{first + std::chrono::days(d)}).substr(0, 10);
        auto zone = day < "2027-03-28" ? "+01:00" : "+02:00";
        for (auto [from, to, length] :
             {std::tuple{"09:00", "12:30", 210}, {"13:30", "17:30", 240}}) {
            auto made = s.artois.post("/api/reservations",
                                      booking("museolab", day + "T" + from + ":00" + zone,
                                              day + "T" + to + ":00" + zone, 2, "", "Atelier"));
            INFO(made.body);
            REQUIRE(made.status == 201);
            REQUIRE(
                s.admin
                    .post("/api/reservations/" + made.json()["id"].get<std::string>() + "/approve")
                    .status == 200);
            minutes += length;
            if (minutes >= 400 * 60) break;
        }
    }
    auto all = smtp.wait_for(5, scaled(30s));
    std::this_thread::sleep_for(scaled(2s));
    all = smtp.messages();
    REQUIRE(all.size() == 5);  // the invitation, then 80 % and 100 % to each party
    for (const auto* who : {"direction@llv.fr", "direction@univ-artois.example"}) {
        std::vector<std::string> subjects;
        for (const auto& m : to(all, who))
            if (m["x-creneau-kind"] == "quota-alert") subjects.push_back(m["subject"]);
        CHECK(subjects ==
              std::vector<std::string>{"Alerte : MuséoLab à 80 %", "Alerte : MuséoLab à 100 %"});
    }
    auto alert = to(all, "direction@univ-artois.example").back();
    CHECK(contains(alert["text"], " h sur 400 h"));
    CHECK(contains(alert["text"], "https://creneau.example/#/usage"));
    check_no_duplicate(all);
}

TEST_CASE("mail: nothing is lost and nothing is sent twice when the mail server and Créneau fail",
          "[mail]") {
    smtp_server smtp;
    site s("", mail_args(smtp));
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day(50)).status == 200);
    smtp.stop();
    for (int i = 0; i < 3; ++i) register_person(s.anonymous, i);
    // Mail is not on the request path: ready all the same, the failures counted.
    auto deadline = std::chrono::steady_clock::now() + scaled(20s);
    while (metric(s.port(), "creneau_mail_failures_total") < 3 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(100ms);
    CHECK(metric(s.port(), "creneau_mail_failures_total") >= 3);
    CHECK(metric(s.port(), "creneau_outbox_depth") == 3);
    CHECK(http_get(s.port(), "/readyz").status == 200);
    auto view = s.admin.get("/api/outbox").json();
    REQUIRE(view["mails"].size() == 3);
    CHECK(view["mails"][0]["status"] == "waiting");
    CHECK(view["mails"][0]["attempts"].get<int>() >= 1);
    CHECK(s.admin.post("/api/outbox/discard").json()["code"] == "bad-request");  // keys or all
    auto retried = s.admin.post("/api/outbox/retry", {{"all", true}});
    REQUIRE(retried.status == 200);
    CHECK(retried.json()["retried"] == 3);  // tried again at once (and fail again)

    kill_and_restart(s);
    smtp.start();
    auto all = smtp.wait_for(3, scaled(20s));
    CHECK(all.size() == 3);
    REQUIRE(s.anonymous
                .post("/api/events/accueil/registrations",
                      {{"name", "Personne 3"}, {"email", "p3@etu.example"}})
                .status == 201);
    all = smtp.wait_for(4, scaled(20s));
    std::this_thread::sleep_for(scaled(2s));
    all = smtp.messages();
    CHECK(all.size() == 4);
    for (int i = 0; i < 4; ++i) CHECK(to(all, numbered("p", i) + "@etu.example").size() == 1);
    check_no_duplicate(all);
    // And after another restart, nothing comes again.
    kill_and_restart(s);
    std::this_thread::sleep_for(scaled(2s));
    CHECK(smtp.messages().size() == 4);
    CHECK(metric(s.port(), "creneau_outbox_depth") == 0);
}

TEST_CASE("mail: without a mail server, a burst of mails is held, none of it ever sent", "[mail]") {
    // Mails made while the outbox stores its hold mark arrive after it: they wait for the next
    // hold, and are never handed to a mail server that does not exist.
    site s;
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day(5000)).status == 200);
    std::atomic<int> made{0}, next{0};
    std::vector<std::thread> senders;
    const auto until = std::chrono::steady_clock::now() + scaled(2s);
    for (int k = 0; k < 4; ++k)
        senders.emplace_back([&] {
            api_client c = s.anonymous;
            while (std::chrono::steady_clock::now() < until) {
                const int i = next++;
                auto r = c.post("/api/events/accueil/registrations",
                                {{"name", numbered("Personne ", i)},
                                 {"email", numbered("p", i) + "@etu.example"}});
                if (r.status == 201) ++made;
            }
        });
    for (auto& t : senders) t.join();
    REQUIRE(made > 10);
    auto deadline = std::chrono::steady_clock::now() + scaled(10s);
    json view;
    do {
        std::this_thread::sleep_for(100ms);
        view = s.admin.get("/api/outbox").json();
    } while (view["held"] != made.load() && std::chrono::steady_clock::now() < deadline);
    CHECK(view["held"] == made.load());
    const auto log = s.server->log();
    CHECK(log.find("store cannot be reached") == std::string::npos);
    CHECK(log.find("a mail could not be sent") == std::string::npos);
}

TEST_CASE(
    "mail: without a mail server, mails are held until the operator releases or discards them",
    "[mail]") {
    site s;
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day(50)).status == 200);
    for (int i = 0; i < 2; ++i) register_person(s.anonymous, i);
    auto deadline = std::chrono::steady_clock::now() + scaled(10s);
    json view;
    do {
        std::this_thread::sleep_for(100ms);
        view = s.admin.get("/api/outbox").json();
    } while (view["held"] != 2 && std::chrono::steady_clock::now() < deadline);
    CHECK(view["smtp"] == false);
    REQUIRE(view["held"] == 2);
    REQUIRE(view["mails"].size() == 2);
    CHECK(view["mails"][0]["status"] == "held");
    CHECK(view["mails"][0]["to"] == "p0@etu.example");
    CHECK(s.artois.get("/api/outbox").status == 403);
    CHECK(s.anonymous.get("/api/outbox").status == 401);
    CHECK(s.organiser.post("/api/outbox/discard", {{"all", true}}).status == 403);
    auto no_server = s.admin.post("/api/outbox/release");
    CHECK(no_server.status == 409);
    CHECK(no_server.json()["code"] == "no-mail-server");

    // Mail turned on later: the backlog stays held until the operator says what to do.
    smtp_server smtp;
    s.opts.extra_args = mail_args(smtp);
    kill_and_restart(s);
    std::this_thread::sleep_for(scaled(2s));
    CHECK(smtp.messages().empty());
    view = s.admin.get("/api/outbox").json();
    REQUIRE(view["held"] == 2);
    auto first_key = view["mails"][0]["key"].get<std::string>();
    auto discarded = s.admin.post("/api/outbox/discard", {{"keys", json::array({first_key})}});
    REQUIRE(discarded.status == 200);
    CHECK(discarded.json()["discarded"] == 1);
    CHECK(s.admin.post("/api/outbox/discard", {{"keys", 3}}).status == 400);
    auto released = s.admin.post("/api/outbox/release");
    REQUIRE(released.status == 200);
    CHECK(released.json()["released"] == 1);
    auto all = smtp.wait_for(1, scaled(20s));
    REQUIRE(all.size() == 1);
    CHECK(all[0]["rcpt"][0] == "p1@etu.example");
    // New mails go out at once; the discarded one never does, even after a restart.
    REQUIRE(s.anonymous
                .post("/api/events/accueil/registrations",
                      {{"name", "Personne 2"}, {"email", "p2@etu.example"}})
                .status == 201);
    smtp.wait_for(2, scaled(20s));
    kill_and_restart(s);
    std::this_thread::sleep_for(scaled(2s));
    all = smtp.messages();
    CHECK(all.size() == 2);
    CHECK(to(all, "p0@etu.example").empty());
    CHECK(s.admin.get("/api/outbox").json()["depth"] == 0);
}

TEST_CASE("mail: two instances on one Redis deliver each mail exactly once", "[mail][redis]") {
    smtp_server smtp;
    site s(redis_url(shared_redis_port(), unique_prefix()), mail_args(smtp));
    server_process second(s.opts);
    api_client other{second.port(), ""};
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day(100)).status == 200);
    const int n = 12;
    for (int i = 0; i < n; ++i) register_person(i % 2 ? other : s.anonymous, i);
    auto all = smtp.wait_for(n, scaled(30s));
    std::this_thread::sleep_for(scaled(3s));
    all = smtp.messages();
    CHECK(all.size() == n);
    for (int i = 0; i < n; ++i) CHECK(to(all, numbered("p", i) + "@etu.example").size() == 1);
    check_no_duplicate(all);
    // An instance forgets a mail the other sent when it finds it settled, on its next look at
    // it: its count of mails waiting reaches 0 soon after the last delivery, not at once.
    auto drained = [&](std::uint16_t port) {
        auto deadline = std::chrono::steady_clock::now() + scaled(10s);
        while (metric(port, "creneau_outbox_depth") != 0) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(100ms);
        }
        return true;
    };
    CHECK(drained(s.port()));
    CHECK(drained(second.port()));
}

namespace {

// The sequence numbers of the snapshots a server's log says it loaded or wrote.
std::vector<std::int64_t> snapshots(const server_process& server, const std::string& what) {
    std::vector<std::int64_t> out;
    std::istringstream lines(server.log());
    for (std::string line; std::getline(lines, line);) {
        auto j = json::parse(line, nullptr, false);
        if (j.is_object() && j.value("msg", "") == what)
            out.push_back(j["seq"].get<std::int64_t>());
    }
    return out;
}

}  // namespace

TEST_CASE(
    "snapshots: a start never skips the facts of mails still held, and uses a later "
    "snapshot once they are settled",
    "[mail][snapshots]") {
    site s({}, {"--snapshot-every", "5", "--snapshot-interval", "0"});
    REQUIRE(s.organiser.put("/api/events/accueil", welcome_day(50)).status == 200);
    const auto before_mails = s.head();
    for (int i = 0; i < 2; ++i) register_person(s.anonymous, i);
    auto held = [&](int n) {
        auto deadline = std::chrono::steady_clock::now() + scaled(10s);
        while (s.admin.get("/api/outbox").json()["held"] != n) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(100ms);
        }
        return true;
    };
    REQUIRE(held(2));
    // Sign-ins (a fact each) until a snapshot after `seq` is written.
    auto snapshot_after = [&](std::int64_t seq) {
        auto deadline = std::chrono::steady_clock::now() + scaled(20s);
        for (;;) {
            auto written = snapshots(*s.server, "snapshot written");
            if (!written.empty() && written.back() > seq) return;
            REQUIRE(std::chrono::steady_clock::now() < deadline);
            api_client::sign_in(s.port(), "direction@llv.fr");
            std::this_thread::sleep_for(50ms);
        }
    };
    snapshot_after(before_mails);

    // Killed with two mails held: they are made again from their facts, so the snapshot just
    // written, after those facts, is not loaded.
    kill_and_restart(s);
    REQUIRE(held(2));
    for (auto seq : snapshots(*s.server, "snapshot loaded")) CHECK(seq <= before_mails);

    // Once they are settled (discarded here), the next snapshot is loaded: the registrations
    // come back from it, the discarded mails do not.
    REQUIRE(s.admin.post("/api/outbox/discard", {{"all", true}}).status == 200);
    REQUIRE(held(0));
    snapshot_after(before_mails + 2);
    const auto newest = snapshots(*s.server, "snapshot written").back();
    // Loadable once the outbox has recorded that every mail up to it is settled.
    auto deadline = std::chrono::steady_clock::now() + scaled(10s);
    while (s.admin.get("/api/outbox").json()["settled_through"].get<std::int64_t>() < newest) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(100ms);
    }
    kill_and_restart(s);
    auto loaded = snapshots(*s.server, "snapshot loaded");
    REQUIRE(loaded.size() == 1);
    CHECK(loaded.front() >= newest);
    CHECK(s.admin.get("/api/outbox").json()["depth"] == 0);
    auto event = s.organiser.get("/api/events/accueil").json();
    INFO(event.dump());
    CHECK(event["counts"]["registered"] == 2);
}
