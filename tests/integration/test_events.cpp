// Events through the real creneau: registrations and the waiting list, check-in, teams,
// and the Job Dating timetable with its live board.

#include "support/ical_readers.hpp"
#include "support/site.hpp"
#include "support/ws_client.hpp"

#include "common/core/time.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <set>
#include <thread>

using namespace creneau::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string in_days(int days) {
    auto t = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
             std::chrono::days(days);
    return creneau::format_utc(t);
}

json an_event(const std::string& kind, int capacity) {
    return {{"kind", kind},
            {"title", "Journée d'accueil"},
            {"description", "Témoignages de porteurs de projet"},
            {"capacity", capacity},
            {"opens", in_days(-1)},
            {"closes", in_days(30)},
            {"questions",
             {{{"id", "course"}, {"label", "Formation suivie"}, {"required", true}},
              {{"id", "diet"}, {"label", "Régime alimentaire"}, {"required", false}}}}};
}

json person(const std::string& name) {
    return {{"name", name},
            {"email", name + "@etu.univ-artois.fr"},
            {"answers", {{"course", "Licence"}}}};
}

}  // namespace

TEST_CASE("events: registration up to capacity, waiting list, promotion, reorder, check-in",
          "[events]") {
    site s;
    REQUIRE(s.organiser.put("/api/events/accueil", an_event("welcome-day", 2)).status == 200);
    CHECK(s.artois.put("/api/events/other", an_event("talk", 2)).status ==
          403);  // members do not create events
    ws_client ws(s.port(), s.organiser.token);
    ws.next(5s);
    ws.subscribe({"event:accueil"});

    auto a = s.anonymous.post("/api/events/accueil/registrations", person("alice"));
    REQUIRE(a.status == 201);
    CHECK(a.json()["status"] == "registered");
    auto b = s.anonymous.post("/api/events/accueil/registrations", person("bruno")).json();
    auto c = s.anonymous.post("/api/events/accueil/registrations", person("chloe")).json();
    auto d = s.anonymous.post("/api/events/accueil/registrations", person("david")).json();
    CHECK(b["status"] == "registered");
    CHECK(c["status"] == "waiting");
    CHECK(d["status"] == "waiting");
    // Refusals: the same email again, a missing required answer.
    CHECK(s.anonymous.post("/api/events/accueil/registrations", person("alice")).json()["code"] ==
          "exists");
    auto no_answer = person("eve");
    no_answer["answers"] = json::object();
    CHECK(s.anonymous.post("/api/events/accueil/registrations", no_answer).json()["field"] ==
          "answers/course");

    // The organiser puts David first.
    auto list = s.organiser.get("/api/events/accueil/registrations").json();
    CHECK(list["waiting"] == json::array({c["id"], d["id"]}));
    REQUIRE(
        s.organiser.post("/api/events/accueil/waitlist", {{"order", {d["id"], c["id"]}}}).status ==
        200);
    CHECK(s.artois.post("/api/events/accueil/waitlist", {{"order", {c["id"], d["id"]}}}).status ==
          403);

    // Bruno leaves: David, first waiting, gets the place and is told.
    auto left = s.anonymous.post("/api/events/accueil/leave", {{"code", b["code"]}});
    REQUIRE(left.status == 200);
    CHECK(left.json()["promoted"] == d["id"]);
    bool told = false;
    for (int i = 0; i < 10 && !told; ++i) {
        auto m = ws.next_fact(5s);
        REQUIRE(m);
        told = (*m)["type"] == "registration-promoted";
        if (told) CHECK((*m)["data"]["registration"]["id"] == d["id"]);
    }
    CHECK(told);

    // Check-in by code, with the counts.
    auto in = s.organiser.post("/api/events/accueil/check-in", {{"code", d["code"]}});
    REQUIRE(in.status == 200);
    CHECK(in.json()["checked_in"] == 1);
    CHECK(in.json()["registered"] == 2);
    CHECK(in.json()["waiting"] == 1);
    CHECK(s.organiser.post("/api/events/accueil/check-in", {{"code", d["code"]}}).json()["code"] ==
          "already-ended");
    CHECK(s.organiser.post("/api/events/accueil/check-in", {{"code", c["code"]}}).status ==
          409);  // still waiting
    auto csv = s.organiser.get("/api/events/accueil/registrations?format=csv");
    CHECK(csv.header("content-type") == "text/csv; charset=utf-8");
    CHECK_THAT(csv.body, Catch::Contains("david") && Catch::Contains("checked-in") &&
                             Catch::Contains("course: Licence"));
    CHECK(s.anonymous.get("/api/events/accueil/registrations").status == 401);
    // Anyone sees the counts, nobody's name.
    auto pub = s.anonymous.get("/api/events/accueil").json();
    CHECK(pub["counts"]["checked_in"] == 1);
}

TEST_CASE("events: concurrent registrations for the last places never exceed the capacity",
          "[events]") {
    site s;
    REQUIRE(s.organiser.put("/api/events/masterclass", an_event("talk", 5)).status == 200);
    std::vector<std::future<std::string>> racers;
    for (int i = 0; i < 24; ++i)
        racers.push_back(std::async(std::launch::async, [&s, i] {
            return s.anonymous
                .post("/api/events/masterclass/registrations", person(numbered("p", i)))
                .json()["status"]
                .get<std::string>();
        }));
    int registered = 0, waiting = 0;
    for (auto& f : racers) {
        auto st = f.get();
        registered += st == "registered";
        waiting += st == "waiting";
    }
    CHECK(registered == 5);
    CHECK(waiting == 19);
    CHECK(s.anonymous.get("/api/events/masterclass").json()["counts"]["registered"] == 5);
}

TEST_CASE("events: Culturathon teams of 1 to 4, joined by code, flagged for Campus PÉPITE",
          "[events]") {
    site s;
    auto e = an_event("culturathon", 50);
    e["team_min"] = 2;
    e["team_max"] = 3;
    REQUIRE(s.organiser.put("/api/events/culturathon", e).status == 200);
    std::vector<std::string> codes;
    for (int i = 0; i < 5; ++i)
        codes.push_back(
            s.anonymous.post("/api/events/culturathon/registrations", person(numbered("h", i)))
                .json()["code"]);
    auto team = s.anonymous.post("/api/events/culturathon/teams",
                                 {{"code", codes[0]}, {"name", "Musée augmenté"}});
    REQUIRE(team.status == 201);
    auto team_code = team.json()["code"].get<std::string>();
    auto team_id = team.json()["id"].get<std::string>();
    CHECK(s.organiser.post("/api/teams/" + team_id + "/pepite").json()["field"] ==
          "team");  // too small yet
    REQUIRE(s.anonymous
                .post("/api/events/culturathon/teams/join",
                      {{"code", codes[1]}, {"team_code", team_code}})
                .status == 200);
    REQUIRE(s.anonymous
                .post("/api/events/culturathon/teams/join",
                      {{"code", codes[2]}, {"team_code", team_code}})
                .status == 200);
    auto full = s.anonymous.post("/api/events/culturathon/teams/join",
                                 {{"code", codes[3]}, {"team_code", team_code}});
    CHECK(full.json()["code"] == "over-capacity");
    CHECK(s.anonymous
              .post("/api/events/culturathon/teams/join",
                    {{"code", codes[1]}, {"team_code", team_code}})
              .json()["code"] == "exists");
    auto flagged = s.organiser.post("/api/teams/" + team_id + "/pepite");
    REQUIRE(flagged.status == 200);
    CHECK(flagged.json()["pepite"] == true);
    CHECK(s.anonymous.post("/api/teams/" + team_id + "/pepite").status == 401);
    auto left = s.anonymous.post("/api/events/culturathon/teams/leave", {{"code", codes[2]}});
    CHECK(left.json()["members"].size() == 2);
}

TEST_CASE(
    "job dating: registrations, the timetable, its figures, personal timetables and the live board",
    "[events]") {
    site s;
    auto e = an_event("job-dating", 200);
    e["title"] = "Job Dating LLV 2027";
    e["questions"] = json::array();
    e["day_start"] = in_days(10);
    e["slot_minutes"] = 15;
    e["slots"] = 8;
    e["breaks"] = {4};
    REQUIRE(s.organiser.put("/api/events/jd", e).status == 200);
    std::vector<json> companies;
    for (int j = 0; j < 4; ++j) {
        json c = {{"name", numbered("Start-up ", j)},
                  {"role", "company"},
                  {"tables", 1 + j % 2},
                  {"max_meetings", 6}};
        auto r = s.anonymous.post("/api/events/jd/registrations", c);
        REQUIRE(r.status == 201);
        companies.push_back(r.json());
    }
    std::vector<json> students;
    for (int i = 0; i < 12; ++i) {
        json ranking = json::array();
        for (int k = 0; k < 3; ++k)
            ranking.push_back(companies[static_cast<std::size_t>((i + k) % 4)]["id"]);
        json st = {{"name", numbered("Étudiant ", i)},
                   {"email", numbered("e", i) + "@etu.fr"},
                   {"role", "student"},
                   {"ranking", ranking},
                   {"max_meetings", 3}};
        if (i == 0) st["first_slot"] = 5;  // arrives after the break
        auto r = s.anonymous.post("/api/events/jd/registrations", st);
        REQUIRE(r.status == 201);
        students.push_back(r.json());
    }
    ws_client board(s.port());
    board.next(5s);
    board.subscribe({"jobdating:jd"});

    auto built = s.organiser.post("/api/events/jd/timetable");
    REQUIRE(built.status == 200);
    auto t = built.json();
    CHECK(t["published"] == false);
    CHECK(t["figures"]["meetings"] == t["figures"]["upper_bound"]);
    CHECK(t["figures"]["meetings"].get<int>() >= 24);
    // A student arrives late: the integer programme built it, and proved it best.
    CHECK(t["figures"]["exact"] == true);
    CHECK(t["figures"]["optimal"] == true);
    CHECK(t["figures"]["gap"] == 0);
    CHECK(t["figures"]["idle"]["worst"].get<int>() >= 0);
    CHECK(t["figures"]["idle"]["mean"].get<double>() <=
          t["figures"]["idle"]["worst"].get<double>());
    // The search time is the organiser's to choose, within bounds.
    for (int bad : {0, 31}) {
        auto refused = s.organiser.post("/api/events/jd/timetable", {{"time_budget_seconds", bad}});
        CHECK(refused.status == 400);
        CHECK(refused.json()["field"] == "time_budget_seconds");
    }
    std::set<std::pair<std::string, int>> busy;
    for (const auto& m : t["meetings"]) {
        CHECK(m["slot"] != 4);  // the break
        const int slot = m["slot"].get<int>();
        CHECK(busy.insert({m["student"].get<std::string>(), slot}).second);
        CHECK(busy.insert({m["company"].get<std::string>() + numbered("#", m["table"].get<int>()),
                           slot})
                  .second);
        if (m["student"] == students[0]["id"]) CHECK(m["slot"].get<int>() >= 5);
    }
    CHECK(s.anonymous.get("/api/events/jd/timetable").status == 404);  // not published yet
    CHECK(s.artois.post("/api/events/jd/timetable").status == 403);

    // Pin one meeting, remove another, publish.
    auto pin = t["meetings"][0];
    auto gone = t["meetings"][1];
    auto again =
        s.organiser
            .post("/api/events/jd/timetable",
                  {{"pin",
                    {{{"student", pin["student"]},
                      {"company", pin["company"]},
                      {"slot", pin["slot"]},
                      {"table", pin["table"]}}}},
                   {"remove", {{{"student", gone["student"]}, {"company", gone["company"]}}}},
                   {"publish", true}})
            .json();
    bool pinned_kept = false, removed_gone = true;
    for (const auto& m : again["meetings"]) {
        if (m["student"] == pin["student"] && m["company"] == pin["company"] &&
            m["slot"] == pin["slot"])
            pinned_kept = m["pinned"];
        if (m["student"] == gone["student"] && m["company"] == gone["company"])
            removed_gone = false;
    }
    CHECK(pinned_kept);
    CHECK(removed_gone);

    // The board, live: published meetings with company names, no students for the public.
    std::optional<json> published;
    for (int i = 0; i < 3 && !published; ++i) {
        auto m = board.next_fact(5s);
        REQUIRE(m);
        if ((*m)["data"]["published"] == true) published = m;
    }
    REQUIRE(published);
    CHECK_FALSE((*published)["data"]["meetings"].empty());
    CHECK((*published)["data"].dump().find("Étudiant") == std::string::npos);

    // A personal timetable, JSON and iCalendar.
    auto mine =
        s.anonymous.get("/api/events/jd/timetable/" + students[1]["code"].get<std::string>());
    REQUIRE(mine.status == 200);
    CHECK_FALSE(mine.json()["meetings"].empty());
    auto ics = s.anonymous.get("/api/events/jd/timetable/" +
                               students[1]["code"].get<std::string>() + ".ics");
    CHECK(ics.header("content-type") == "text/calendar; charset=utf-8");
    CHECK_THAT(ics.body, Catch::Contains("BEGIN:VEVENT") && Catch::Contains("Job Dating LLV 2027"));
    CHECK(s.anonymous.get("/api/events/jd/timetable/NOPE").status == 404);
    {
        // Read by python3-icalendar and ical.js, each meeting starts and ends when the JSON
        // timetable says.
        std::multiset<std::pair<std::string, std::string>> expected, python, icaljs;
        const auto timetable = mine.json();
        for (const auto& m : timetable["meetings"])
            expected.insert({m["start"].get<std::string>(), m["end"].get<std::string>()});
        auto read = read_ical(ics.body);
        INFO(read.log);
        CHECK(read.ok);
        for (const auto& [uid, when] : read.python) python.insert(when);
        for (const auto& [uid, when] : read.icaljs) icaljs.insert(when);
        CHECK(python == expected);
        CHECK(icaljs == expected);
    }

    // A no-show: that student's meetings go, the others stay, the companies' slots are re-planned.
    auto absent = students[2]["id"].get<std::string>();
    REQUIRE(s.organiser.post("/api/events/jd/no-show", {{"registration", absent}}).status == 200);
    auto replanned = s.organiser.post("/api/events/jd/timetable", {{"publish", true}}).json();
    for (const auto& m : replanned["meetings"]) CHECK(m["student"] != absent);

    // A company leaves after publication: its meetings stay in the published timetable until
    // the organisers re-plan, marked withdrawn for them, for the public and for each student
    // who had one; the others are not.
    auto leaver = companies[0];
    REQUIRE(s.anonymous.post("/api/events/jd/leave", {{"code", leaver["code"]}}).status == 200);
    auto held = s.organiser.get("/api/events/jd/timetable").json();
    int withdrawn = 0;
    std::set<std::string> met;  // the students who had a meeting with it
    std::string leaver_name;
    for (const auto& m : held["meetings"]) {
        const bool with_leaver = m["company"] == leaver["id"];
        CHECK(m.value("withdrawn", false) == with_leaver);
        if (with_leaver) {
            ++withdrawn;
            met.insert(m["student"].get<std::string>());
            leaver_name = m["company_name"].get<std::string>();
        }
    }
    REQUIRE(withdrawn > 0);
    int public_withdrawn = 0;
    const auto public_view = s.anonymous.get("/api/events/jd/timetable").json();
    for (const auto& m : public_view["meetings"])
        public_withdrawn += m.value("withdrawn", false) ? 1 : 0;
    CHECK(public_withdrawn == withdrawn);
    for (const auto& st : students) {
        if (!met.count(st["id"].get<std::string>())) continue;
        auto own =
            s.anonymous.get("/api/events/jd/timetable/" + st["code"].get<std::string>()).json();
        int marked = 0;
        for (const auto& m : own["meetings"]) {
            CHECK(m.value("withdrawn", false) == (m["with"] == leaver_name));
            marked += m.value("withdrawn", false) ? 1 : 0;
        }
        CHECK(marked > 0);
        auto ics =
            s.anonymous.get("/api/events/jd/timetable/" + st["code"].get<std::string>() + ".ics");
        CHECK_THAT(ics.body, Catch::Contains("STATUS:CANCELLED"));
    }
    // Re-planned: none of its meetings are left, and none is marked.
    auto without = s.organiser.post("/api/events/jd/timetable", {{"publish", true}}).json();
    for (const auto& m : without["meetings"]) {
        CHECK(m["company"] != leaver["id"]);
        CHECK_FALSE(m.value("withdrawn", false));
    }
}

TEST_CASE("events: a registrant's own page by code, the event's rooms and times, its calendar",
          "[events]") {
    site s;
    // The organisers' event takes place in a room they booked: its time and room are public.
    auto room = s.organiser.post("/api/reservations",
                                 booking("meeting-room", "2027-03-09T09:00:00+01:00",
                                         "2027-03-09T11:00:00+01:00", 12, "", "Journée d'accueil"));
    REQUIRE(room.status == 201);
    auto e = an_event("welcome-day", 1);
    e["reservations"] = json::array({room.json()["id"]});
    REQUIRE(s.organiser.put("/api/events/accueil", e).status == 200);
    // A body naming another event than its path is refused, and changes nothing.
    auto other = e;
    other["id"] = "accueil";
    auto mismatch = s.organiser.put("/api/events/autre", other);
    CHECK(mismatch.status == 400);
    CHECK(mismatch.json()["field"] == "id");
    CHECK(s.anonymous.get("/api/events/autre").status == 404);
    auto pub = s.anonymous.get("/api/events/accueil").json();
    REQUIRE(pub["sessions"].size() == 1);
    CHECK(pub["sessions"][0]["resource_name"] == "Salle de réunion");
    CHECK(pub["starts"] == pub["sessions"][0]["start"]);
    CHECK(pub["sessions"][0].dump().find("jobdating@") == std::string::npos);
    CHECK(pub["manage"] == false);
    CHECK(s.organiser.get("/api/events/accueil").json()["manage"] == true);

    auto a = s.anonymous.post("/api/events/accueil/registrations", person("alice")).json();
    auto b = s.anonymous.post("/api/events/accueil/registrations", person("bruno")).json();
    const auto code_b = b["code"].get<std::string>();
    auto mine = s.anonymous.get("/api/events/accueil/registrations/" + code_b);
    REQUIRE(mine.status == 200);
    CHECK(mine.json()["registration"]["name"] == "bruno");
    CHECK(mine.json()["registration"]["status"] == "waiting");
    CHECK(mine.json()["position"] == 1);
    CHECK_FALSE(mine.json()["registration"].contains("user"));
    CHECK(mine.json()["event"]["title"] == "Journée d'accueil");
    // Codes are typed by people: any case; an unknown code names nothing.
    std::string lower = code_b;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    CHECK(s.anonymous.get("/api/events/accueil/registrations/" + lower).status == 200);
    CHECK(s.anonymous.get("/api/events/accueil/registrations/ZZZZZZZZ").status == 404);
    CHECK(s.anonymous.get("/api/events/nope/registrations/" + code_b).status == 404);
    // Alice leaves: Bruno's own page says he has the place.
    REQUIRE(s.anonymous.post("/api/events/accueil/leave", {{"code", a["code"]}}).status == 200);
    mine = s.anonymous.get("/api/events/accueil/registrations/" + code_b);
    CHECK(mine.json()["registration"]["status"] == "registered");
    CHECK_FALSE(mine.json().contains("position"));

    auto ics = s.anonymous.get("/api/events/accueil/calendar.ics");
    REQUIRE(ics.status == 200);
    CHECK(ics.header("content-type") == "text/calendar; charset=utf-8");
    CHECK_THAT(ics.body, Catch::Contains("SUMMARY:Journée d'accueil") &&
                             Catch::Contains("LOCATION:Salle de réunion") &&
                             Catch::Contains("STATUS:TENTATIVE"));
    CHECK(s.anonymous.get("/api/events/nope/calendar.ics").status == 404);
    {
        // Read by python3-icalendar and ical.js, the session is the room's booking.
        auto read = read_ical(ics.body);
        INFO(read.log);
        CHECK(read.ok);
        const auto r = room.json();
        std::pair<std::string, std::string> when{
            creneau::format_utc(*creneau::parse_rfc3339(r["start"].get<std::string>())),
            creneau::format_utc(*creneau::parse_rfc3339(r["end"].get<std::string>()))};
        auto uid = "accueil-" + r["id"].get<std::string>() + "@creneau";
        CHECK(read.python.size() == 1);
        CHECK(read.python[uid] == when);
        CHECK(read.icaljs[uid] == when);
    }
    // A code opens a registration: the request log keeps the route, never the code. A
    // request's line is written once its answer is sent: wait for the five above.
    CHECK(wait_for_file(s.server->log_path(), scaled(5s), [](const std::string& t) {
        return count_of(t, R"("path":"/api/events/{id}/registrations/{code}")") >= 5;
    }));
    const auto log = s.server->log();
    CHECK(log.find(code_b) == std::string::npos);
    CHECK(log.find(lower) == std::string::npos);
    CHECK(log.find("/api/events/{id}/registrations/{code}") != std::string::npos);
}

TEST_CASE(
    "job dating: wishes change by code until the timetable is published, and a pin can be "
    "let go",
    "[events]") {
    site s;
    auto e = an_event("job-dating", 100);
    e["questions"] = json::array();
    e["day_start"] = in_days(10);
    e["slots"] = 4;
    REQUIRE(s.organiser.put("/api/events/jd", e).status == 200);
    auto company = s.anonymous
                       .post("/api/events/jd/registrations", {{"name", "Pixel Lens"},
                                                              {"email", "rh@pixel.fr"},
                                                              {"role", "company"},
                                                              {"description", "Jeux vidéo, Lens"}})
                       .json();
    auto student = s.anonymous
                       .post("/api/events/jd/registrations",
                             {{"name", "Inès"}, {"email", "ines@etu.fr"}, {"role", "student"}})
                       .json();
    const auto cid = company["id"].get<std::string>(), sid = student["id"].get<std::string>();
    const auto ccode = company["code"].get<std::string>(),
               scode = student["code"].get<std::string>();

    // Students see the companies by name and presentation, never their e-mail.
    auto listed = s.anonymous.get("/api/events/jd/companies").json();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["name"] == "Pixel Lens");
    CHECK(listed[0]["description"] == "Jeux vidéo, Lens");
    CHECK(listed.dump().find("rh@pixel.fr") == std::string::npos);
    auto page = s.anonymous.get("/api/events/jd/registrations/" + scode).json();
    CHECK(page["companies"][0]["id"] == cid);

    auto patch = [&](const std::string& code, const json& body) {
        return s.anonymous.send(boost::beast::http::verb::patch,
                                "/api/events/jd/registrations/" + code, body.dump());
    };
    auto ranked = patch(scode, {{"ranking", json::array({cid})}, {"last_slot", 2}});
    REQUIRE(ranked.status == 200);
    CHECK(ranked.json()["ranking"] == json::array({cid}));
    CHECK(ranked.json()["last_slot"] == 2);
    CHECK(ranked.json()["max_meetings"] == 0);  // what was not sent stays
    // Refusals: a student names students, a company twice, an unknown member, a company
    // wanting and declining the same student, a student id as a company.
    CHECK(patch(scode, {{"wants", json::array({sid})}}).json()["field"] == "wants");
    CHECK(patch(scode, {{"ranking", {cid, cid}}}).json()["field"] == "ranking");
    CHECK(patch(scode, {{"role", "company"}}).json()["field"] == "role");
    CHECK(patch(scode, {{"ranking", json::array({sid})}}).status == 400);
    CHECK(patch(ccode, {{"wants", json::array({sid})}, {"declines", json::array({sid})}})
              .json()["field"] == "declines");
    CHECK(patch("ZZZZZZZZ", {{"max_meetings", 2}}).status == 404);
    // A company names a student who registered after it.
    auto company_page = s.anonymous.get("/api/events/jd/registrations/" + ccode).json();
    CHECK(company_page["students"][0]["name"] == "Inès");
    REQUIRE(patch(ccode, {{"wants", json::array({sid})}, {"tables", 2}}).status == 200);
    auto regs = s.organiser.get("/api/events/jd/registrations").json()["registrations"];
    for (const auto& r : regs)
        if (r["id"] == cid) CHECK(r["wants"] == json::array({sid}));

    // Pinned, then let go: the meeting stays (it still fits) without being held.
    auto built = s.organiser.post("/api/events/jd/timetable").json();
    REQUIRE(built["meetings"].size() == 1);
    auto m = built["meetings"][0];
    CHECK(m["slot"].get<int>() <= 2);  // Inès leaves after the third slot
    json one = {{"student", m["student"]}, {"company", m["company"]}, {"slot", m["slot"]}};
    CHECK(s.organiser.post("/api/events/jd/timetable", {{"pin", json::array({one})}})
              .json()["meetings"][0]["pinned"] == true);
    auto freed =
        s.organiser.post("/api/events/jd/timetable", {{"unpin", json::array({one})}}).json();
    REQUIRE(freed["meetings"].size() == 1);
    CHECK(freed["meetings"][0]["pinned"] == false);

    // Published: wishes are final.
    REQUIRE(s.organiser.post("/api/events/jd/timetable", {{"publish", true}}).status == 200);
    auto late = patch(scode, {{"max_meetings", 1}});
    CHECK(late.status == 422);
    CHECK(late.json()["code"] == "closed");
    CHECK(s.anonymous.get("/api/events/jd/registrations/" + scode).json()["timetable_published"] ==
          true);
}

TEST_CASE("culturathon: its organisers list the teams, nobody else", "[events]") {
    site s;
    auto e = an_event("culturathon", 10);
    e["questions"] = json::array();
    REQUIRE(s.organiser.put("/api/events/cult", e).status == 200);
    ws_client ws(s.port());
    ws.next(5s);
    ws.subscribe({"event:cult"});
    auto r = s.anonymous.post("/api/events/cult/registrations", {{"name", "Léa"}}).json();
    REQUIRE(
        s.anonymous.post("/api/events/cult/teams", {{"code", r["code"]}, {"name", "Les Curieux"}})
            .status == 201);
    // Its members' pages hear of it: a team change is a message on the event's topic.
    bool heard = false;
    for (int i = 0; i < 5 && !heard; ++i) {
        auto m = ws.next_fact(5s);
        REQUIRE(m);
        heard = (*m)["type"] == "team-created";
        if (heard) CHECK_FALSE((*m)["data"].contains("team"));  // the public gets counts only
    }
    CHECK(heard);
    auto teams = s.organiser.get("/api/events/cult/teams");
    REQUIRE(teams.status == 200);
    CHECK(teams.json()[0]["name"] == "Les Curieux");
    CHECK(s.anonymous.get("/api/events/cult/teams").status == 401);
    CHECK(s.artois.get("/api/events/cult/teams").status == 403);
    auto page = s.anonymous.get("/api/events/cult/registrations/" + r["code"].get<std::string>());
    CHECK(page.json()["team"]["member_names"] == json::array({"Léa"}));
}

TEST_CASE(
    "events: what review found — wishes freeze at closing, wishes only for a Job Dating, "
    "students named to companies with a place, pins checked, dates people mean",
    "[events]") {
    site s;
    auto e = an_event("job-dating", 1);
    e["questions"] = json::array();
    e["day_start"] = in_days(10);
    e["slots"] = 4;
    REQUIRE(s.organiser.put("/api/events/jd", e).status == 200);
    auto company =
        s.anonymous
            .post("/api/events/jd/registrations", {{"name", "Pixel Lens"}, {"role", "company"}})
            .json();
    auto student = s.anonymous
                       .post("/api/events/jd/registrations",
                             {{"name", "Inès"}, {"email", "ines@etu.fr"}, {"role", "student"}})
                       .json();
    REQUIRE(student["status"] == "waiting");  // capacity 1: the company took it
    // A company on the waiting list (or gone) is not told the students' names.
    auto spy =
        s.anonymous.post("/api/events/jd/registrations", {{"name", "Spy Inc"}, {"role", "company"}})
            .json();
    REQUIRE(spy["status"] == "waiting");
    auto spy_page =
        s.anonymous.get("/api/events/jd/registrations/" + spy["code"].get<std::string>()).json();
    CHECK_FALSE(spy_page.contains("students"));
    auto company_page =
        s.anonymous.get("/api/events/jd/registrations/" + company["code"].get<std::string>())
            .json();
    CHECK(company_page.contains("students"));

    // Pins name people of this event, a slot of its day and a table of the company.
    const json pair = {{"student", student["id"]}, {"company", company["id"]}};
    auto pin = [&](json extra) {
        json p = pair;
        for (const auto& [k, v] : extra.items()) p[k] = v;
        return s.organiser.post("/api/events/jd/timetable", {{"pin", json::array({p})}});
    };
    CHECK(pin({{"slot", 999}}).status == 400);
    CHECK(pin({{"slot", 0}, {"table", 18446744073709551615ull}}).status == 400);
    CHECK(pin({{"slot", 0}, {"table", 1}}).status == 400);  // the company has one table
    CHECK(s.organiser
              .post("/api/events/jd/timetable",
                    {{"remove", {{{"student", company["id"]}, {"company", student["id"]}}}}})
              .status == 400);
    CHECK(
        s.organiser.post("/api/events/jd/timetable", {{"unpinn", json::array()}}).json()["field"] ==
        "unpinn");

    // Registration closed: wishes are final, so the organisers build on inputs that stay put.
    auto closed = e;
    closed["opens"] = in_days(-2);
    closed["closes"] = in_days(-1);
    REQUIRE(s.organiser.put("/api/events/jd", closed).status == 200);
    auto late =
        s.anonymous.send(boost::beast::http::verb::patch,
                         "/api/events/jd/registrations/" + company["code"].get<std::string>(),
                         json{{"max_meetings", 2}}.dump());
    CHECK(late.status == 422);
    CHECK(late.json()["code"] == "closed");

    // Outside a Job Dating, wishes and their numbers are not kept.
    REQUIRE(s.organiser.put("/api/events/talk", an_event("talk", 10)).status == 200);
    auto plain = s.anonymous.post("/api/events/talk/registrations",
                                  {{"name", "Léa"},
                                   {"answers", {{"course", "L1"}}},
                                   {"ranking", json::array({company["id"]})},
                                   {"tables", -1000},
                                   {"description", "rien"}});
    REQUIRE(plain.status == 201);
    auto plain_page =
        s.anonymous.get("/api/events/talk/registrations/" + plain.json()["code"].get<std::string>())
            .json()["registration"];
    CHECK(plain_page["ranking"].empty());
    CHECK(plain_page["tables"] == 1);
    CHECK(plain_page["description"] == "");

    // Dates people mean: an event in the year 9999 is refused, not turned into bad iCalendar.
    auto far = e;
    far["day_start"] = "9999-12-31T23:59:59Z";
    CHECK(s.organiser.put("/api/events/far", far).json()["field"] == "day_start");
    far = e;
    far["breaks"] = {7};
    CHECK(s.organiser.put("/api/events/far", far).json()["field"] == "breaks");
}
