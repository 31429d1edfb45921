// The rules of docs/domain.md, one test case each, named after the rule.

#include "world.hpp"

#include "common/accounts/rules.hpp"
#include "common/agreements/quote.hpp"
#include "common/reservations/availability.hpp"

#include <catch2/catch.hpp>

using namespace creneau;
using namespace creneau::test;

TEST_CASE("slot-taken: two active reservations of one resource never overlap (art. 6)", "[rules]") {
    world w;
    auto first = w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                           "2026-04-14T11:00:00+02:00");
    REQUIRE(first.ok());
    CHECK(code(w.request(w.artois, "meeting-room", "2026-04-14T10:00:00+02:00",
                         "2026-04-14T12:00:00+02:00")) == "slot-taken");
    CHECK(code(w.request(w.artois, "meeting-room", "2026-04-14T08:00:00+02:00",
                         "2026-04-14T09:30:00+02:00")) == "slot-taken");
    // Another resource at the same time is fine.
    CHECK(
        w.request(w.artois, "event-room", "2026-04-14T09:00:00+02:00", "2026-04-14T11:00:00+02:00")
            .ok());
}

TEST_CASE("slot-taken: set-up and clean-up buffers may not overlap another booking", "[rules]") {
    world w;  // meeting room: 15 min before and after
    REQUIRE(w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                      "2026-04-14T11:00:00+02:00")
                .ok());
    CHECK(code(w.request(w.artois, "meeting-room", "2026-04-14T11:15:00+02:00",
                         "2026-04-14T12:00:00+02:00")) == "slot-taken");
    CHECK(w.request(w.artois, "meeting-room", "2026-04-14T11:30:00+02:00",
                    "2026-04-14T12:00:00+02:00")
              .ok());
    CHECK(code(w.request(w.artois, "meeting-room", "2026-04-14T08:15:00+02:00",
                         "2026-04-14T08:45:00+02:00")) == "slot-taken");
    CHECK(w.request(w.artois, "meeting-room", "2026-04-14T08:00:00+02:00",
                    "2026-04-14T08:30:00+02:00")
              .ok());
}

TEST_CASE("slot-taken: a refused or cancelled reservation frees its slot", "[rules]") {
    world w;
    auto a = w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                       "2026-04-14T11:00:00+02:00");
    REQUIRE(w.run(refuse_reservation{world::id_of(a), "Salle indisponible"}, w.llv_admin).ok());
    auto b = w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                       "2026-04-14T11:00:00+02:00");
    REQUIRE(b.ok());
    REQUIRE(w.run(cancel_reservation{world::id_of(b), ""}, w.artois).ok());
    CHECK(w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                    "2026-04-14T11:00:00+02:00")
              .ok());
}

TEST_CASE("closed: outside bookable hours, on a closed day or in a closure", "[rules]") {
    world w;  // event room: Monday to Friday, 08:00-20:00 Paris time
    CHECK(code(w.request(w.artois, "event-room", "2026-04-14T19:00:00+02:00",
                         "2026-04-14T21:00:00+02:00")) == "closed");
    CHECK(code(w.request(w.artois, "event-room", "2026-04-18T10:00:00+02:00",
                         "2026-04-18T12:00:00+02:00")) == "closed");  // a Saturday
    CHECK(code(w.request(w.artois, "event-room", "2026-04-14T10:00:00+02:00",
                         "2026-04-15T10:00:00+02:00")) == "closed");  // through the night
    auto r = w.s.resources.at("event-room");
    r.closures.push_back(
        {at("2026-04-13T00:00:00+02:00"), at("2026-04-20T00:00:00+02:00"), "Travaux"});
    REQUIRE(w.run(define_resource{r}, w.llv_admin).ok());
    CHECK(code(w.request(w.artois, "event-room", "2026-04-14T10:00:00+02:00",
                         "2026-04-14T12:00:00+02:00")) == "closed");
    CHECK(
        w.request(w.artois, "event-room", "2026-04-21T10:00:00+02:00", "2026-04-21T12:00:00+02:00")
            .ok());
}

TEST_CASE("closed: bookable hours follow the site's time zone across summer time", "[rules]") {
    world w;  // 08:00 Paris is 07:00Z in winter and 06:00Z in summer
    CHECK(w.request(w.artois, "meeting-room", "2026-03-10T07:00:00Z", "2026-03-10T08:00:00Z").ok());
    CHECK(code(w.request(w.artois, "meeting-room", "2026-03-10T06:30:00Z",
                         "2026-03-10T07:30:00Z")) == "closed");
    CHECK(w.request(w.artois, "meeting-room", "2026-04-10T06:00:00Z", "2026-04-10T06:45:00Z").ok());
}

TEST_CASE("in-the-past: a period that starts before now is refused", "[rules]") {
    world w;
    w.now = at("2026-04-14T10:00:00+02:00");
    CHECK(code(w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T11:00:00+02:00")) == "in-the-past");
    CHECK(w.request(w.artois, "meeting-room", "2026-04-14T10:30:00+02:00",
                    "2026-04-14T11:00:00+02:00")
              .ok());
}

TEST_CASE(
    "over-capacity: Event room holds 25 in meeting layout and 40 in plenary (docs/domain.md, "
    "places)",
    "[rules]") {
    world w;
    CHECK(code(w.request(w.artois, "event-room", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T10:00:00+02:00", 26, "meeting")) == "over-capacity");
    CHECK(w.request(w.artois, "event-room", "2026-04-14T09:00:00+02:00",
                    "2026-04-14T10:00:00+02:00", 25, "meeting")
              .ok());
    CHECK(w.request(w.artois, "event-room", "2026-04-15T09:00:00+02:00",
                    "2026-04-15T10:00:00+02:00", 40, "plenary")
              .ok());
    CHECK(code(w.request(w.artois, "event-room", "2026-04-16T09:00:00+02:00",
                         "2026-04-16T10:00:00+02:00", 41, "plenary")) == "over-capacity");
    CHECK(code(w.request(w.artois, "meeting-room", "2026-04-16T09:00:00+02:00",
                         "2026-04-16T10:00:00+02:00", 17)) == "over-capacity");
}

TEST_CASE("unknown-layout: a layout the resource does not have", "[rules]") {
    world w;
    CHECK(code(w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T10:00:00+02:00", 5, "cabaret")) == "unknown-layout");
    // The Event room has two layouts: one must be chosen.
    request_reservation r{"event-room",
                          at("2026-04-14T09:00:00+02:00"),
                          at("2026-04-14T10:00:00+02:00"),
                          "",
                          5,
                          "univ-artois",
                          "Réunion",
                          {}};
    CHECK(code(w.run(r, w.artois)) == "unknown-layout");
}

TEST_CASE("notice-too-short: the Lille agreement asks for two months (003, 'au moins deux mois')",
          "[rules]") {
    world w;  // now: 2 March 2026
    CHECK(code(w.request(w.lille, "lille-salon-hotel-de-ville", "2026-05-01T18:00:00+02:00",
                         "2026-05-01T22:00:00+02:00", 100)) == "notice-too-short");
    CHECK(w.request(w.lille, "lille-salon-hotel-de-ville", "2026-05-02T18:00:00+02:00",
                    "2026-05-02T22:00:00+02:00", 100)
              .ok());
    // Reciprocal: the City books the University's amphitheatre under the same agreement.
    CHECK(code(w.request(w.city, "lille-amphi", "2026-04-01T09:00:00+02:00",
                         "2026-04-01T12:00:00+02:00", 100)) == "notice-too-short");
    auto d = w.request(w.city, "lille-amphi", "2026-06-01T09:00:00+02:00",
                       "2026-06-01T12:00:00+02:00", 100);
    REQUIRE(d.ok());
    CHECK(world::quote_of(d).free);
    CHECK(world::quote_of(d).total_cents == 0);
}

TEST_CASE("outside-agreement: no agreement covers the organisation, resource or date", "[rules]") {
    world w;
    CHECK(code(w.request(w.lille, "atrium", "2026-06-01T09:00:00+02:00",
                         "2026-06-01T12:00:00+02:00")) == "outside-agreement");
    // Artois-LLV ends on 31 December 2029 (art. 10).
    CHECK(code(w.request(w.artois, "atrium", "2030-01-08T09:00:00+01:00",
                         "2030-01-08T12:00:00+01:00")) == "outside-agreement");
}

TEST_CASE("not-bookable: the co-working space shows opening hours only", "[rules]") {
    world w;
    CHECK(code(w.request(w.artois, "coworking", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T10:00:00+02:00")) == "not-bookable");
}

TEST_CASE("bad-request: empty title, end before start, no attendees, too long", "[rules]") {
    world w;
    request_reservation r{"meeting-room",
                          at("2026-04-14T09:00:00+02:00"),
                          at("2026-04-14T10:00:00+02:00"),
                          "",
                          5,
                          "univ-artois",
                          "  ",
                          {}};
    CHECK(code(w.run(r, w.artois)) == "bad-request");
    r.title = "Réunion";
    r.end = r.start;
    CHECK(code(w.run(r, w.artois)) == "bad-request");
    r.end = r.start + std::chrono::hours(1);
    r.attendees = 0;
    CHECK(code(w.run(r, w.artois)) == "bad-request");
    r.attendees = 5;
    r.end = r.start + std::chrono::hours(24 * 15);
    CHECK(code(w.run(r, w.artois)) == "bad-request");
    r.resource = "ballroom";
    r.end = r.start + std::chrono::hours(1);
    CHECK(code(w.run(r, w.artois)) == "not-found");
    CHECK(w.s.reservations.empty());
}

TEST_CASE("forbidden: a partner member acts only for its own organisation", "[rules]") {
    world w;
    CHECK(code(w.request(w.lille, "meeting-room", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T10:00:00+02:00", 5, "", "univ-artois")) == "forbidden");
    // Administrators too act for their own organisation only, the operator's included
    // (docs/authorisation.md): a request is always made by someone of its organisation.
    CHECK(code(w.request(w.llv_admin, "meeting-room", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T10:00:00+02:00", 5, "", "univ-artois")) == "forbidden");
    CHECK(code(w.request(w.city_admin, "meeting-room", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T10:00:00+02:00", 5, "", "univ-artois")) == "forbidden");
}

TEST_CASE("forbidden: only the host's administrators approve or refuse (art. 6)", "[rules]") {
    world w;
    auto d = w.request(w.artois, "atrium", "2026-04-14T09:00:00+02:00", "2026-04-14T12:00:00+02:00",
                       50, "plenary");
    auto id = world::id_of(d);
    CHECK(code(w.run(approve_reservation{id}, w.artois)) == "forbidden");
    CHECK(code(w.run(approve_reservation{id}, w.artois_organiser)) == "forbidden");
    CHECK(code(w.run(approve_reservation{id}, w.city_admin)) ==
          "forbidden");  // admin of another host
    CHECK(code(w.run(refuse_reservation{id, "non"}, w.artois)) == "forbidden");
    CHECK(w.s.reservations.at(id).status == reservation_status::pending);
    CHECK(w.run(approve_reservation{id}, w.llv_admin).ok());
    CHECK(w.s.reservations.at(id).status == reservation_status::approved);
    CHECK(code(w.run(approve_reservation{id}, w.llv_admin)) == "not-pending");
    CHECK(code(w.run(refuse_reservation{id, "trop tard"}, w.llv_admin)) == "not-pending");
}

TEST_CASE("a refusal needs a reason, and records it (art. 6: LLV may refuse any booking)",
          "[rules]") {
    world w;
    auto id = world::id_of(w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                                     "2026-04-14T10:00:00+02:00"));
    CHECK(code(w.run(refuse_reservation{id, ""}, w.llv_admin)) == "bad-request");
    REQUIRE(w.run(refuse_reservation{id, "Salle réservée pour un jury"}, w.llv_admin).ok());
    CHECK(w.s.reservations.at(id).reason == "Salle réservée pour un jury");
    CHECK(w.s.reservations.at(id).status == reservation_status::refused);
}

TEST_CASE("cancel: by the requesting organisation or the host, never by others, never twice",
          "[rules]") {
    world w;
    auto id = world::id_of(w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                                     "2026-04-14T10:00:00+02:00"));
    CHECK(code(w.run(cancel_reservation{id, ""}, w.lille)) == "forbidden");
    CHECK(w.run(cancel_reservation{id, "Plus besoin"}, w.artois_organiser).ok());
    CHECK(code(w.run(cancel_reservation{id, ""}, w.artois)) == "already-ended");
}

TEST_CASE("the host's administrators book their own rooms at no charge, approved at once",
          "[rules]") {
    world w;
    auto d = w.request(w.llv_admin, "atrium", "2026-04-14T09:00:00+02:00",
                       "2026-04-14T12:00:00+02:00", 80, "plenary");
    REQUIRE(d.ok());
    CHECK(world::quote_of(d).total_cents == 0);
    CHECK(world::quote_of(d).agreement.empty());
    CHECK(w.s.reservations.at(world::id_of(d)).status == reservation_status::approved);
}

TEST_CASE("unknown-equipment: an appointment names only the MuséoLab's machines (annex 1)",
          "[rules]") {
    world w;
    CHECK(code(w.request(w.artois, "museolab", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T11:00:00+02:00", 3, "", "", {"flux-capacitor"})) ==
          "unknown-equipment");
    auto d = w.request(w.artois, "museolab", "2026-04-14T09:00:00+02:00",
                       "2026-04-14T11:00:00+02:00", 3, "", "", {"trotec-speedy-400", "artec-leo"});
    REQUIRE(d.ok());
    CHECK(w.s.reservations.at(world::id_of(d)).equipment.size() == 2);
}

TEST_CASE(
    "availability: busy periods carry no personal data, free ones stay within hours less buffers",
    "[rules]") {
    world w;
    auto d = w.request(w.artois, "meeting-room", "2026-04-14T10:00:00+02:00",
                       "2026-04-14T12:00:00+02:00");
    REQUIRE(d.ok());
    auto a = availability_of(w.s, "meeting-room", at("2026-04-14T00:00:00+02:00"),
                             at("2026-04-15T00:00:00+02:00"));
    REQUIRE(a.busy.size() == 1);
    CHECK(a.busy[0].start == at("2026-04-14T10:00:00+02:00"));
    CHECK(a.busy[0].status == reservation_status::pending);
    REQUIRE(a.free.size() == 2);
    CHECK(a.free[0].start == at("2026-04-14T08:00:00+02:00"));
    CHECK(a.free[0].end == at("2026-04-14T09:45:00+02:00"));
    CHECK(a.free[1].start == at("2026-04-14T12:15:00+02:00"));
    CHECK(a.free[1].end == at("2026-04-14T20:00:00+02:00"));
    // The co-working space: its opening hours, nothing busy.
    auto cw = availability_of(w.s, "coworking", at("2026-04-14T00:00:00+02:00"),
                              at("2026-04-15T00:00:00+02:00"));
    CHECK(cw.busy.empty());
    REQUIRE(cw.free.size() == 1);
    CHECK(cw.free[0].start == at("2026-04-14T08:30:00+02:00"));
}

TEST_CASE("availability: a reservation reaching into the window from before it is busy",
          "[rules]") {
    world w;
    REQUIRE(w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                      "2026-04-14T12:00:00+02:00")
                .ok());
    auto a = availability_of(w.s, "meeting-room", at("2026-04-14T11:00:00+02:00"),
                             at("2026-04-14T14:00:00+02:00"));
    REQUIRE(a.busy.size() == 1);
    REQUIRE(a.free.size() == 1);
    CHECK(a.free[0].start == at("2026-04-14T12:15:00+02:00"));
}

TEST_CASE("every change to a reservation is in its history, with who and when", "[rules]") {
    world w;
    auto id = world::id_of(w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                                     "2026-04-14T10:00:00+02:00"));
    w.now = at("2026-03-03T10:00:00Z");
    REQUIRE(w.run(approve_reservation{id}, w.llv_admin).ok());
    w.now = at("2026-03-04T10:00:00Z");
    REQUIRE(w.run(cancel_reservation{id, "Jury déplacé"}, w.artois).ok());
    const auto& h = w.s.reservations.at(id).history;
    REQUIRE(h.size() == 3);
    CHECK(h[0].action == "requested");
    CHECK(h[0].actor == "u-artois");
    CHECK(h[1].action == "approved");
    CHECK(h[1].actor == "u-llv-admin");
    CHECK(h[1].at == at("2026-03-03T10:00:00Z"));
    CHECK(h[2].action == "cancelled");
    CHECK(h[2].detail == "Jury déplacé");
}

TEST_CASE("sessions are opened by the server only, closed by their user, and expire", "[rules]") {
    world w;
    w.append(
        user_added{{"u-artois", "c@univ-artois.fr", "Claire", role::member, "univ-artois", "$h"}});
    CHECK(code(w.run(open_session{"h1", "u-artois", w.now + std::chrono::hours(12)}, w.artois)) ==
          "forbidden");
    REQUIRE(w.run(open_session{"h1", "u-artois", w.now + std::chrono::hours(12)}, w.system).ok());
    CHECK(code(w.run(close_session{"h1"}, w.lille)) == "forbidden");
    REQUIRE(w.run(close_session{"h1"}, w.artois).ok());
    CHECK(w.s.sessions.empty());
    REQUIRE(w.run(open_session{"h2", "u-artois", w.now + std::chrono::hours(1)}, w.system).ok());
    w.now += std::chrono::hours(2);
    REQUIRE(w.run(open_session{"h3", "u-artois", w.now + std::chrono::hours(1)}, w.system).ok());
    CHECK(w.s.sessions.count("h2") == 0);  // expired, pruned
    CHECK(w.s.sessions.count("h3") == 1);
}

TEST_CASE(
    "an account neither made nor signed into for three years is flagged, and a sign-in "
    "clears it",
    "[rules][privacy]") {
    world w;
    w.append(
        user_added{{"u-artois", "c@univ-artois.fr", "Claire", role::member, "univ-artois", "$h"}});
    const auto made = w.now;
    CHECK(w.s.last_active.at("u-artois") == made);
    CHECK_FALSE(long_inactive(w.s, "u-artois", made + std::chrono::days(3 * 365)));
    CHECK(long_inactive(w.s, "u-artois", made + std::chrono::days(3 * 365 + 2)));
    // A sign-in two years on starts the three years again.
    w.now = made + std::chrono::days(2 * 365);
    REQUIRE(w.run(open_session{"h1", "u-artois", w.now + std::chrono::hours(12)}, w.system).ok());
    CHECK_FALSE(long_inactive(w.s, "u-artois", made + std::chrono::days(3 * 365 + 2)));
    CHECK(long_inactive(w.s, "u-artois", made + std::chrono::days(5 * 365 + 3)));
    // Nobody is flagged for an account the state does not know.
    CHECK_FALSE(long_inactive(w.s, "u-nobody", made + std::chrono::days(10 * 365)));
}
