// The rules of events, given facts, when a command, then facts or a refusal: who runs an
// event, who may see and join a restricted one, codes and e-mails that must be unique, and
// a Job Dating timetable built from inputs that changed meanwhile.

#include "world.hpp"

#include "common/events/queries.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

using namespace creneau;
using namespace creneau::test;

namespace {

event an_event(const std::string& id, event_kind kind = event_kind::talk, bool restricted = false) {
    event e;
    e.id = id;
    e.kind = kind;
    e.title = "Conversations";
    e.capacity = 2;
    e.opens = at("2026-01-01T00:00:00Z");
    e.closes = at("2027-01-01T00:00:00Z");
    e.restricted = restricted;
    if (restricted) e.organisations = {"univ-artois"};
    e.day_start = at("2026-06-01T08:00:00Z");
    e.slots = 6;
    return e;
}

registration person(const std::string& event, const std::string& code,
                    const std::string& email = "", const std::string& role = "") {
    registration r;
    r.event = event;
    r.code = code;
    r.name = "Ada " + code;
    r.email = email;
    r.role = role;
    return r;
}

}  // namespace

TEST_CASE("events: organisers and admins of the organising organisation run it, nobody else",
          "[events][authorisation]") {
    world w;
    REQUIRE(w.run(define_event{an_event("talk")}, w.artois_organiser).ok());
    CHECK(w.s.events.at("talk").organiser == "univ-artois");
    CHECK(code(w.run(define_event{an_event("talk")}, w.artois)) == "forbidden");  // a plain member
    CHECK(code(w.run(define_event{an_event("talk")}, w.city_admin)) ==
          "forbidden");  // another organisation's admin
    CHECK(code(w.run(define_event{an_event("talk")}, w.llv_admin)) ==
          "forbidden");  // the operator too: not its event
    CHECK(code(w.run(define_event{an_event("mine")}, w.artois)) ==
          "forbidden");  // members do not create events
    CHECK(
        w.run(define_event{an_event("city-talk")}, w.city_admin).ok());  // an admin creates its own
    CHECK(w.s.events.at("city-talk").organiser == "ville-lille");
    CHECK(code(w.run(define_event{an_event("Bad Id")}, w.artois_organiser)) == "bad-request");
}

TEST_CASE("events: a restricted event is unknown to those it is not open to",
          "[events][authorisation]") {
    world w;
    REQUIRE(
        w.run(define_event{an_event("closed", event_kind::talk, true)}, w.artois_organiser).ok());
    CHECK(w.run(register_for_event{person("closed", "CODE1")}, w.artois).ok());
    CHECK(code(w.run(register_for_event{person("closed", "CODE2")}, w.lille)) == "not-found");
    CHECK(code(w.run(register_for_event{person("closed", "CODE3")}, actor::anonymous())) ==
          "not-found");
    // The organisers' commands tell others nothing of it either: unknown, not forbidden.
    for (const command& c :
         std::vector<command>{check_in{"closed", "CODE1"}, mark_no_show{"closed", "r1", true},
                              reorder_waitlist{"closed", {}}}) {
        CHECK(code(w.run(c, w.lille)) == "not-found");
        CHECK(code(w.run(c, actor::anonymous())) == "not-found");
    }
    CHECK(code(w.run(check_in{"closed", "CODE1"}, w.artois)) == "forbidden");  // it sees it
    // Nor do the teams' routes, without a registration's code: not "not a Culturathon".
    CHECK(code(w.run(create_team{"closed", "WRONG", "Les Lensois"}, actor::anonymous())) ==
          "not-found");
    CHECK(code(w.run(create_team{"closed", "CODE1", "Les Lensois"}, actor::anonymous())) ==
          "bad-request");
}

TEST_CASE("events: codes are unique in an event, e-mails too whatever their case", "[events]") {
    world w;
    REQUIRE(w.run(define_event{an_event("talk")}, w.artois_organiser).ok());
    REQUIRE(w.run(register_for_event{person("talk", "SAME", "Ada@Example.org")}, actor::anonymous())
                .ok());
    auto twice =
        w.run(register_for_event{person("talk", "SAME", "other@example.org")}, actor::anonymous());
    CHECK(code(twice) == "exists");
    CHECK(twice.refused->field == "code");
    auto again =
        w.run(register_for_event{person("talk", "OTHER", "ada@EXAMPLE.ORG")}, actor::anonymous());
    CHECK(code(again) == "exists");
    CHECK(again.refused->field == "email");
    CHECK(code(w.run(register_for_event{person("talk", "bad code!")}, actor::anonymous())) ==
          "bad-request");
}

TEST_CASE(
    "events: a registration's mail is sent again to its address, three times at most per event",
    "[events]") {
    world w;
    REQUIRE(w.run(define_event{an_event("talk")}, w.artois_organiser).ok());
    REQUIRE(
        w.run(define_event{an_event("closed", event_kind::talk, true)}, w.artois_organiser).ok());
    REQUIRE(w.run(register_for_event{person("talk", "ADA", "Ada@Example.org")}, actor::anonymous())
                .ok());
    REQUIRE(
        w.run(register_for_event{person("talk", "HUGO", "hugo@example.org")}, actor::anonymous())
            .ok());
    const std::string ada = w.s.registrations.begin()->first;
    auto resend = [&](const char* event, const char* email) {
        return w.run(resend_registration{event, email}, actor::anonymous());
    };
    // Whatever the address's case; one fact, for that registration.
    auto once = resend("talk", "ada@example.ORG");
    REQUIRE(once.ok());
    REQUIRE(once.facts.size() == 1);
    CHECK(std::get<registration_resent>(once.facts[0]).id == ada);
    CHECK(w.s.resent.at(ada) == 1);
    // An address not registered: nothing, and no refusal that would tell it apart.
    auto unknown = resend("talk", "nobody@example.org");
    CHECK(unknown.ok());
    CHECK(unknown.facts.empty());
    // Three times at most.
    REQUIRE(resend("talk", "ada@example.org").facts.size() == 1);
    REQUIRE(resend("talk", "ada@example.org").facts.size() == 1);
    auto fourth = resend("talk", "ada@example.org");
    CHECK(fourth.ok());
    CHECK(fourth.facts.empty());
    CHECK(w.s.resent.at(ada) == 3);
    // Per address and event: leaving and registering again does not start the count over.
    REQUIRE(w.run(leave_event{"talk", "ADA"}, actor::anonymous()).ok());
    REQUIRE(w.run(register_for_event{person("talk", "ADA2", "ada@example.org")}, actor::anonymous())
                .ok());
    CHECK(resend("talk", "ada@example.org").facts.empty());
    // One who left is sent nothing.
    REQUIRE(w.run(leave_event{"talk", "HUGO"}, actor::anonymous()).ok());
    CHECK(resend("talk", "hugo@example.org").facts.empty());
    // Bad input, and an event one may not see.
    CHECK(code(resend("talk", "not an address")) == "bad-request");
    CHECK(code(resend("nowhere", "ada@example.org")) == "not-found");
    CHECK(code(resend("closed", "ada@example.org")) == "not-found");
}

TEST_CASE("events: an address no mail would reach registers nobody, and is not resent to",
          "[events]") {
    world w;
    REQUIRE(w.run(define_event{an_event("talk")}, w.artois_organiser).ok());
    int n = 0;
    for (const char* address :
         {"ada@localhost", "ada@example.", "@example.org", "ada@@example.org", "ada@.example",
          "ada@exemple.org\r\nBcc: x@y.org", "ada@exemple.org,eve@y.org", "ad a@example.org",
          "ad\xc3\xa0@example.org"}) {
        INFO(address);
        auto r = person("talk", numbered("BAD", ++n), address);
        auto refused = w.run(register_for_event{r}, actor::anonymous());
        CHECK(code(refused) == "bad-request");
        REQUIRE(refused.refused);
        CHECK(refused.refused->field == "email");
        CHECK(code(w.run(resend_registration{"talk", address}, actor::anonymous())) ==
              "bad-request");
    }
    // No address at all is still a registration (a phone at the door).
    CHECK(w.run(register_for_event{person("talk", "NOMAIL")}, actor::anonymous()).ok());
    CHECK(w.run(register_for_event{person("talk", "GOOD", "ada.lovelace+talk@etu.example.org")},
                actor::anonymous())
              .ok());
}

TEST_CASE("events: who is in cannot leave, and their place goes to nobody", "[events]") {
    world w;
    REQUIRE(w.run(define_event{an_event("talk")}, w.artois_organiser).ok());
    for (const char* c : {"HUGO", "ADA", "PAUL"})  // two places: Paul waits
        REQUIRE(w.run(register_for_event{person("talk", c)}, actor::anonymous()).ok());
    REQUIRE(w.run(check_in{"talk", "HUGO"}, w.artois_organiser).ok());
    auto leave = w.run(leave_event{"talk", "HUGO"}, actor::anonymous());
    CHECK(code(leave) == "conflict");
    CHECK(leave.refused->field == "code");
    CHECK(w.s.waiting.at("talk").size() == 1);  // Paul still waits
    // One who is not in yet still may, and Paul takes the place.
    auto ada = w.run(leave_event{"talk", "ADA"}, actor::anonymous());
    REQUIRE(ada.ok());
    CHECK(ada.facts.size() == 2);
    CHECK(std::holds_alternative<registration_promoted>(ada.facts.back()));
}

TEST_CASE("events: one marked a no-show who then arrives is checked in, no longer a no-show",
          "[events]") {
    world w;
    REQUIRE(w.run(define_event{an_event("talk")}, w.artois_organiser).ok());
    REQUIRE(w.run(register_for_event{person("talk", "HUGO")}, actor::anonymous()).ok());
    const auto id = w.s.registrations.begin()->first;
    REQUIRE(w.run(mark_no_show{"talk", id, true}, w.artois_organiser).ok());
    CHECK(w.s.registrations.at(id).no_show);
    REQUIRE(w.run(check_in{"talk", "HUGO"}, w.artois_organiser).ok());
    CHECK(w.s.registrations.at(id).status == registration_status::checked_in);
    CHECK_FALSE(w.s.registrations.at(id).no_show);
    // The organisers' latest word stands: marked again, a no-show.
    REQUIRE(w.run(mark_no_show{"talk", id, true}, w.artois_organiser).ok());
    CHECK(w.s.registrations.at(id).no_show);
}

TEST_CASE(
    "events: a registrant's or a team's name shows as what it is: no control or invisible "
    "characters",
    "[events]") {
    world w;
    REQUIRE(
        w.run(define_event{an_event("hack", event_kind::culturathon)}, w.artois_organiser).ok());
    auto accents = person("hack", "P1");
    accents.name = "Zoë Lefèvre-Ndiaye";
    REQUIRE(w.run(register_for_event{accents}, actor::anonymous()).ok());
    int n = 0;
    auto named = [&](const std::string& name) {
        auto r = person("hack", numbered("N", ++n));
        r.name = name;
        return w.run(register_for_event{r}, actor::anonymous());
    };
    // A line break, a tab, a next-line, a line separator, a right-to-left override, a zero-width
    // space, a byte-order mark, a word joiner, an Arabic letter mark: each would make a list, a
    // badge or a mail show another name. Spaces alone, whatever their kind, are no name.
    const std::string e_acute = "\xc3\xa9";
    std::string longest;
    for (int i = 0; i < 200; ++i) longest += e_acute;
    for (const std::string& name :
         {std::string("Ada\r\nLovelace"), std::string("Ada\tLovelace"), std::string("Ada\xc2\x85L"),
          std::string("Ada\xe2\x80\xa8L"), std::string("Ada \xe2\x80\xae") + "ecalevoL",
          std::string("Ada\xe2\x80\x8bL"), std::string("\xef\xbb\xbf") + "Ada",
          std::string("Ada\xe2\x81\xa0L"), std::string("Ada\xd8\x9cL"), std::string("   "),
          std::string("\xc2\xa0\xc2\xa0"), longest + e_acute}) {
        INFO(name);
        auto refused = named(name);
        CHECK(code(refused) == "bad-request");
        REQUIRE(refused.refused);
        CHECK(refused.refused->field == "name");
    }
    // Names as people write them: accents, apostrophes, other scripts, a Persian name joined by
    // U+200C, and 200 characters of two bytes each.
    for (const std::string& name :
         {std::string("O'Neil"), std::string("\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x8d"),
          std::string("\xd8\xb9\xd9\x84\xdb\x8c\xe2\x80\x8c\xd8\xb2\xd8\xa7\xd8\xaf\xd9\x87"),
          longest}) {
        INFO(name);
        CHECK(named(name).ok());
    }
    auto team =
        w.run(create_team{"hack", "P1", "Les\x1b[31mRouges", "t-one", "TEAM1"}, actor::anonymous());
    CHECK(code(team) == "bad-request");
    REQUIRE(team.refused);
    CHECK(team.refused->field == "name");
    // An emoji joined by U+200D is a team's name like any other.
    CHECK(w.run(create_team{"hack", "P1",
                            "Les Curieux\xc2\xb7ses \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
                            "t-one", "TEAM1"},
                actor::anonymous())
              .ok());
}

TEST_CASE("events: team ids and codes are never reused", "[events]") {
    world w;
    REQUIRE(
        w.run(define_event{an_event("hack", event_kind::culturathon)}, w.artois_organiser).ok());
    REQUIRE(w.run(register_for_event{person("hack", "P1")}, actor::anonymous()).ok());
    REQUIRE(w.run(register_for_event{person("hack", "P2")}, actor::anonymous()).ok());
    REQUIRE(
        w.run(create_team{"hack", "P1", "Les Curieux", "t-one", "TEAM1"}, actor::anonymous()).ok());
    // Once, a second team with the same id silently replaced the first.
    auto same_id =
        w.run(create_team{"hack", "P2", "Les Autres", "t-one", "TEAM2"}, actor::anonymous());
    CHECK(code(same_id) == "exists");
    CHECK(same_id.refused->field == "team");
    CHECK(code(w.run(create_team{"hack", "P2", "Les Autres", "t-two", "TEAM1"},
                     actor::anonymous())) == "exists");
    CHECK(w.s.teams.at("t-one").name == "Les Curieux");
}

TEST_CASE("events: a timetable built from inputs that changed since is refused, to be built again",
          "[events][jobdating]") {
    world w;
    REQUIRE(w.run(define_event{an_event("jd", event_kind::job_dating)}, w.artois_organiser).ok());
    REQUIRE(w.run(register_for_event{person("jd", "C1", "", "company")}, actor::anonymous()).ok());
    auto inputs = w.s.event_inputs.at("jd");
    // Someone registers while the solver runs on the snapshot.
    REQUIRE(w.run(register_for_event{person("jd", "S1", "", "student")}, actor::anonymous()).ok());
    auto stale = w.run(set_timetable{"jd", {}, inputs}, w.artois_organiser);
    CHECK(code(stale) == "conflict");
    CHECK(stale.refused->field == "based_on");
    CHECK(w.run(set_timetable{"jd", {}, w.s.event_inputs.at("jd")}, w.artois_organiser).ok());
}

TEST_CASE(
    "events: Job Dating wishes change by code, part by part, until registration closes or "
    "the timetable is published",
    "[events][jobdating]") {
    world w;
    auto jd = an_event("jd", event_kind::job_dating);
    jd.capacity = 10;
    REQUIRE(w.run(define_event{jd}, w.artois_organiser).ok());
    REQUIRE(w.run(register_for_event{person("jd", "C1", "", "company")}, actor::anonymous()).ok());
    REQUIRE(w.run(register_for_event{person("jd", "S1", "", "student")}, actor::anonymous()).ok());
    const auto company = registration_by_code(w.s, "jd", "C1")->id;
    const auto student = registration_by_code(w.s, "jd", "S1")->id;
    auto change = [&](const std::string& code, wishes_change c) {
        return w.run(update_wishes{"jd", code, std::move(c)}, actor::anonymous());
    };
    wishes_change rank;
    rank.ranking = std::vector<std::string>{company};
    REQUIRE(change("S1", rank).ok());
    wishes_change fewer;
    fewer.max_meetings = 3;
    REQUIRE(change("S1", fewer).ok());
    // Given two changes of different parts, both stay.
    CHECK(w.s.registrations.at(student).ranking == std::vector<std::string>{company});
    CHECK(w.s.registrations.at(student).max_meetings == 3);
    // The same again changes nothing.
    auto same = change("S1", fewer);
    CHECK(same.ok());
    CHECK(same.facts.empty());
    // Students rank companies; companies name students; nobody twice.
    wishes_change wrong;
    wrong.wants = std::vector<std::string>{student};
    CHECK(change("S1", wrong).refused->field == "wants");
    wishes_change twice;
    twice.ranking = std::vector<std::string>{company, company};
    CHECK(change("S1", twice).refused->field == "ranking");
    CHECK(code(change("NOPE", fewer)) == "not-found");
    // When registration closes, wishes are final.
    auto before = w.now;
    w.now = jd.closes;
    CHECK(code(change("S1", fewer)) == "closed");
    w.now = before;
    // Once the timetable is published too.
    REQUIRE(w.run(set_timetable{"jd", timetable{{}, {}, true, 0}, w.s.event_inputs.at("jd")},
                  w.artois_organiser)
                .ok());
    wishes_change more;
    more.max_meetings = 4;
    CHECK(code(change("C1", more)) == "closed");
}

TEST_CASE("events: wishes are a Job Dating's only, dates are ones people mean, questions differ",
          "[events]") {
    world w;
    REQUIRE(w.run(define_event{an_event("talk")}, w.artois_organiser).ok());
    auto p = person("talk", "P1");
    p.ranking = {"g1"};
    p.tables = -1000;
    REQUIRE(w.run(register_for_event{p}, actor::anonymous()).ok());
    const auto& kept = *registration_by_code(w.s, "talk", "P1");
    CHECK(kept.ranking.empty());
    CHECK(kept.tables == 1);
    auto far = an_event("far", event_kind::job_dating);
    far.day_start = at("9999-12-31T23:00:00Z");
    CHECK(w.run(define_event{far}, w.artois_organiser).refused->field == "day_start");
    auto breaks = an_event("breaks", event_kind::job_dating);
    breaks.breaks = {6};  // six slots: 0 to 5
    CHECK(w.run(define_event{breaks}, w.artois_organiser).refused->field == "breaks");
    auto asked = an_event("asked");
    asked.questions = {{"q", "Formation", false}, {"q", "Régime", false}};
    CHECK(w.run(define_event{asked}, w.artois_organiser).refused->field == "questions/1");
}
