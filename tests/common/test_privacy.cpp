// Erasure and retention as rules (docs/privacy.md): given facts and an instant, the retention
// sweep erases what outlived its retention and nothing else; who may erase; what stays; and
// the fold gives the same state again.

#include "world.hpp"

#include "common/accounts/rules.hpp"
#include "common/events/queries.hpp"
#include "common/privacy/rules.hpp"

#include <catch2/catch.hpp>

using namespace creneau;
using namespace creneau::test;

namespace {

event welcome(const std::string& id, int retention_months = 12) {
    event e;
    e.id = id;
    e.kind = event_kind::welcome_day;
    e.title = "Journée d'accueil";
    e.capacity = 10;
    e.opens = at("2026-01-01T00:00:00Z");
    e.closes = at("2026-09-01T08:00:00Z");  // 10:00 in Paris
    e.retention_months = retention_months;
    e.questions = {{"diet", "Régime alimentaire", false}};
    return e;
}

registration someone(const std::string& event, const std::string& code, const std::string& name) {
    registration r;
    r.event = event;
    r.code = code;
    r.name = name;
    r.email = code + "@etu.fr";
    r.answers = {{"diet", "halal"}};
    return r;
}

std::vector<std::string> erased_by(const decision& d) {
    std::vector<std::string> out;
    for (const auto& f : d.facts)
        if (auto* e = std::get_if<personal_data_erased>(&f)) out.push_back(e->subject);
    return out;
}

}  // namespace

TEST_CASE("an event's registrations are erased the day its retention ends, by the given clock",
          "[privacy]") {
    world w;
    REQUIRE(w.run(define_event{welcome("accueil")}, w.artois_organiser).ok());
    REQUIRE(w.run(define_event{welcome("atelier", 3)}, w.artois_organiser).ok());
    REQUIRE(
        w.run(register_for_event{someone("accueil", "AAAA1111", "Inès")}, actor::anonymous()).ok());
    REQUIRE(
        w.run(register_for_event{someone("accueil", "BBBB2222", "Léo")}, actor::anonymous()).ok());
    REQUIRE(
        w.run(register_for_event{someone("atelier", "CCCC3333", "Zoé")}, actor::anonymous()).ok());
    const auto counts = counts_of(w.s, "accueil");
    // Its end is the registration window's (no room, no Job Dating day); 12 months after it,
    // to the minute in Paris time.
    CHECK(registrations_erased_at(w.s, w.s.events.at("accueil")) == at("2027-09-01T08:00:00Z"));

    // The workshop's 3 months end at 10:00 in Paris too, in winter time.
    w.now = at("2026-12-01T08:59:59Z");
    CHECK(w.run(sweep_retention{}, w.system).facts.empty());
    w.now = at("2026-12-01T09:00:00Z");
    auto first = w.run(sweep_retention{}, w.system);
    REQUIRE(first.ok());
    CHECK(erased_by(first).size() == 1);
    w.now = at("2027-09-01T07:59:59Z");
    CHECK(w.run(sweep_retention{}, w.system).facts.empty());
    w.now = at("2027-09-01T08:00:00Z");
    // A sweep stops at its limit; the next goes on.
    CHECK(erased_by(w.run(sweep_retention{1}, w.system)).size() == 1);
    CHECK(erased_by(w.run(sweep_retention{}, w.system)).size() == 1);
    for (const auto& [id, r] : w.s.registrations) {
        CHECK(r.name == erased_name);
        CHECK(r.email.empty());
        CHECK(r.answers.empty());
    }
    // The numbers stay; the fold of the journal is the same state; a sweep again does nothing.
    CHECK(json(counts_of(w.s, "accueil")) == json(counts));
    CHECK(replay(w.journal) == w.s);
    CHECK(w.run(sweep_retention{}, w.system).facts.empty());
    // Only the server sweeps.
    CHECK(code(w.run(sweep_retention{}, w.llv_admin)) == "forbidden");
}

TEST_CASE("an organiser chooses the retention within the operator's limit", "[privacy]") {
    world w;
    CHECK(code(w.run(define_event{welcome("accueil", 0)}, w.artois_organiser)) == "bad-request");
    auto long_one = w.run(define_event{welcome("accueil", 37), 36}, w.artois_organiser);
    CHECK(code(long_one) == "bad-request");
    CHECK(long_one.refused->field == "retention_months");
    CHECK(w.run(define_event{welcome("accueil", 36), 36}, w.artois_organiser).ok());
    CHECK(w.run(define_event{welcome("accueil", 60), 60}, w.artois_organiser).ok());
}

TEST_CASE("an account unused for three years is erased after its grace unless kept", "[privacy]") {
    world w;
    w.append(
        user_added{{"u-artois", "c@univ-artois.fr", "Claire", role::member, "univ-artois", "$h"}});
    w.append(user_added{{"u-llv", "d@llv.fr", "Nadia", role::admin, "llv", "$h"}});
    w.append(user_added{{"u-lille", "l@univ-lille.fr", "Léa", role::member, "univ-lille", "$h"}});
    const auto made = w.now;
    // Flagged after three years; not erased during the grace.
    w.now = made + inactivity_limit + std::chrono::days(1);
    CHECK(long_inactive(w.s, "u-artois", w.now));
    CHECK(w.run(sweep_retention{}, w.system).facts.empty());
    // Léa's administrator... is not Claire's: only hers keep her.
    CHECK(code(w.run(keep_account{"u-lille"}, w.city_admin)) == "not-found");
    REQUIRE(w.run(keep_account{"u-lille"}, w.llv_admin).ok());
    CHECK_FALSE(long_inactive(w.s, "u-lille", w.now));
    // After the grace, Claire goes; Léa, kept, stays; LLV's only administrator is never erased.
    w.now = made + inactivity_limit + inactivity_grace + std::chrono::days(1);
    auto due = w.run(sweep_retention{}, w.system);
    CHECK(erased_by(due) == std::vector<std::string>{"user:u-artois"});
    const auto& claire = w.s.users.at("u-artois");
    CHECK(claire.name == erased_name);
    CHECK(claire.email.empty());
    CHECK(claire.disabled);
    CHECK(claire.password_hash.empty());
    CHECK(w.s.user_by_email.count("c@univ-artois.fr") == 0);
    CHECK(w.s.users.at("u-lille").name == "Léa");
    CHECK(w.s.users.at("u-llv").name == "Nadia");
    CHECK(code(w.run(keep_account{"u-artois"}, w.llv_admin)) == "conflict");
    // The audit view says who and when, never what.
    CHECK(w.s.audit.back().action == "personal-data-erased");
    CHECK(w.s.audit.back().subject == "user:u-artois");
    CHECK(w.s.audit.back().organisation == "univ-artois");
    CHECK(replay(w.journal) == w.s);
}

TEST_CASE("a reservation forgets its requester two years after it ends, and keeps its bill",
          "[privacy]") {
    world w;
    w.append(
        user_added{{"u-artois", "c@univ-artois.fr", "Claire", role::member, "univ-artois", "$h"}});
    auto d = w.request(w.artois, "meeting-room", "2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z", 6);
    REQUIRE(d.ok());
    const auto id = world::id_of(d);
    const auto bill = w.s.reservations.at(id).quote;
    w.now = at("2028-03-10T09:59:00Z");
    CHECK(erased_by(w.run(sweep_retention{}, w.system)).empty());
    w.now = at("2028-03-10T10:00:00Z");
    CHECK(erased_by(w.run(sweep_retention{}, w.system)) ==
          std::vector<std::string>{"reservation:" + id});
    const auto& r = w.s.reservations.at(id);
    CHECK(r.requester.empty());
    CHECK(r.organisation == "univ-artois");
    CHECK(r.quote == bill);
    CHECK(r.history.front().actor.empty());
    CHECK(w.run(sweep_retention{}, w.system).facts.empty());
    CHECK(replay(w.journal) == w.s);
}

TEST_CASE("who may erase, and what an erasure refuses", "[privacy]") {
    world w;
    w.append(
        user_added{{"u-artois", "c@univ-artois.fr", "Claire", role::member, "univ-artois", "$h"}});
    w.append(user_added{{"u-llv-admin", "d@llv.fr", "Nadia", role::admin, "llv", "$h"}});
    REQUIRE(w.run(define_event{welcome("accueil")}, w.artois_organiser).ok());
    REQUIRE(w.run(register_for_event{someone("accueil", "AAAA1111", "Claire")}, w.artois).ok());
    REQUIRE(
        w.run(register_for_event{someone("accueil", "BBBB2222", "Léo")}, actor::anonymous()).ok());
    const auto claires = registration_by_code(w.s, "accueil", "AAAA1111")->id;
    const auto leos = registration_by_code(w.s, "accueil", "BBBB2222")->id;
    // An anonymous caller without the code is nobody's registrant.
    CHECK(code(w.run(erase_personal_data{"registration:" + leos}, actor::anonymous())) ==
          "forbidden");
    CHECK(code(w.run(erase_personal_data{"registration:" + leos, "request", "WRONG"},
                     actor::anonymous())) == "forbidden");
    CHECK(code(w.run(erase_personal_data{"user:u-artois"}, w.lille)) == "forbidden");
    CHECK(code(w.run(erase_personal_data{"reservation:r1"}, w.llv_admin)) == "bad-request");
    CHECK(code(w.run(erase_personal_data{"user:u-artois", "retention"}, w.llv_admin)) ==
          "bad-request");
    // The operator's last administrator who can sign in stays.
    CHECK(code(w.run(erase_personal_data{"user:u-llv-admin"}, w.llv_admin)) == "conflict");
    // The code opens it; an account takes its registrations with it.
    CHECK(w.run(erase_personal_data{"registration:" + leos, "request", "BBBB2222"},
                actor::anonymous())
              .ok());
    auto claire = w.run(erase_personal_data{"user:u-artois"}, w.artois);
    CHECK(erased_by(claire) ==
          std::vector<std::string>{"user:u-artois", "registration:" + claires});
    CHECK(code(w.run(erase_personal_data{"user:u-artois"}, w.llv_admin)) == "conflict");
    CHECK(code(w.run(change_user{"u-artois", std::string("Claire"), {}, {}, {}}, w.llv_admin)) ==
          "conflict");
    CHECK(replay(w.journal) == w.s);
}
