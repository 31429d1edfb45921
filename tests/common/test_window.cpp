// The Lille agreement's single window (docs/domain.md, "The single window"): a student
// association asks for a room without choosing one, the window's operator routes it to a room of
// either party, which makes it a reservation request for that party's approval.

#include "world.hpp"

#include "common/window/rules.hpp"

#include <catch2/catch.hpp>

using namespace creneau;
using namespace creneau::test;

namespace {

constexpr const char* lille_agreement = "lille-ville-universite-2022";

struct window_world : world {
    actor lille_admin{"u-lille-admin", role::admin, "univ-lille", false};
    actor asso{"u-asso", role::member, "asso-lille", false};
    window_world() {
        append(organisation_defined{{"asso-lille", "Association des étudiants en musique",
                                     member_category::student_association, "univ-lille"}});
        append(user_added{{"u-asso", "bureau@asso.fr", "Bureau Asso", role::member, "asso-lille",
                           "$argon2id$x"}});
    }
    decision submit(const char* start, const char* end, int attendees = 120,
                    room_kind kind = room_kind::reception, const actor* who = nullptr,
                    std::string org = "asso-lille", std::string agreement = lille_agreement) {
        return run(submit_window_request{agreement, org, "Concert de rentrée", "Scène et bar",
                                         at(start), at(end), attendees, kind},
                   who ? *who : asso);
    }
    static std::string wid(const decision& d) {
        return std::get<window_request_submitted>(d.facts.front()).value.id;
    }
};

}  // namespace

TEST_CASE(
    "an accredited association's request is routed to a room of either party, and becomes "
    "a request for its lender's approval",
    "[window]") {
    window_world w;
    auto d = w.submit("2026-06-12T18:00:00+02:00", "2026-06-12T23:00:00+02:00");
    REQUIRE(code(d) == "ok");
    const auto id = window_world::wid(d);
    const auto& q = w.s.window_requests.at(id);
    CHECK(q.status == window_status::submitted);
    CHECK(q.organisation == "asso-lille");
    CHECK(q.requester == "u-asso");
    CHECK(q.kind == room_kind::reception);

    // Routed by the window's operator (the University) to the City's room.
    auto a = w.run(assign_window_request{id, "lille-salon-hotel-de-ville", ""}, w.lille_admin);
    REQUIRE(code(a) == "ok");
    const auto& routed = w.s.window_requests.at(id);
    CHECK(routed.status == window_status::assigned);
    const auto& r = w.s.reservations.at(routed.reservation);
    CHECK(r.status == reservation_status::pending);  // the City decides
    CHECK(r.organisation == "asso-lille");
    CHECK(r.requester == "u-asso");
    CHECK(r.agreement == lille_agreement);
    CHECK(r.quote.free);
    CHECK(r.layout == "reception");
    CHECK(r.title == "Concert de rentrée");
    CHECK_FALSE(routable(w.s, routed));

    // The City's administrators approve it as any request; the association may cancel it.
    CHECK(code(w.run(approve_reservation{r.id}, w.city_admin)) == "ok");
    CHECK(w.s.reservations.at(r.id).status == reservation_status::approved);
    CHECK(code(w.run(cancel_reservation{r.id, "Annulé"}, w.asso)) == "ok");

    // The fold of the journal is the state built step by step.
    CHECK(replay(w.journal) == w.s);
}

TEST_CASE("only accredited student associations submit, with the agreement's notice, in force",
          "[window]") {
    window_world w;
    const char* start = "2026-06-12T18:00:00+02:00";
    const char* end = "2026-06-12T23:00:00+02:00";
    // Not an association, or not one accredited by a party of the agreement.
    CHECK(code(w.submit(start, end, 120, room_kind::any, &w.lille, "univ-lille")) == "forbidden");
    w.append(organisation_defined{
        {"asso-artois", "BDE Artois", member_category::student_association, "univ-artois"}});
    const actor artois_asso{"u-aa", role::member, "asso-artois", false};
    CHECK(code(w.submit(start, end, 120, room_kind::any, &artois_asso, "asso-artois")) ==
          "forbidden");
    // For another organisation than one's own.
    CHECK(code(w.submit(start, end, 120, room_kind::any, &w.lille, "asso-lille")) == "forbidden");
    // An agreement without a window.
    CHECK(code(w.submit(start, end, 120, room_kind::any, nullptr, "asso-lille",
                        "artois-llv-2026")) == "not-found");
    // Two months' notice, counted from now (2 March): 1 May is too soon, 2 May is not.
    CHECK(code(w.submit("2026-05-01T18:00:00+02:00", "2026-05-01T20:00:00+02:00")) ==
          "notice-too-short");
    CHECK(code(w.submit("2026-05-02T18:00:00+02:00", "2026-05-02T20:00:00+02:00")) == "ok");
    // The agreement ends on 31 December 2026.
    CHECK(code(w.submit("2027-01-08T18:00:00+01:00", "2027-01-08T20:00:00+01:00")) ==
          "outside-agreement");
    CHECK(code(w.submit(end, start)) == "bad-request");
    CHECK(code(w.submit(start, end, 0)) == "bad-request");
    CHECK(code(w.submit(start, end, 5001)) == "bad-request");
    CHECK(code(w.run(
              submit_window_request{lille_agreement, "asso-lille", " ", "", at(start), at(end), 10},
              w.asso)) == "bad-request");
    // A bounded queue per association.
    for (int i = 0; i < 19; ++i) REQUIRE(code(w.submit(start, end)) == "ok");
    CHECK(code(w.submit(start, end)) == "conflict");
}

TEST_CASE("the window's operator alone routes and declines, and every rule of a request applies",
          "[window]") {
    window_world w;
    auto id = window_world::wid(w.submit("2026-06-12T18:00:00+02:00", "2026-06-12T23:00:00+02:00"));
    // The City is a party, not the window's operator; a member of the University is not an admin.
    CHECK(code(w.run(assign_window_request{id, "lille-amphi", ""}, w.city_admin)) == "forbidden");
    CHECK(code(w.run(assign_window_request{id, "lille-amphi", ""}, w.lille)) == "forbidden");
    CHECK(code(w.run(decline_window_request{id, "Non"}, w.asso)) == "forbidden");
    CHECK(code(w.run(assign_window_request{"w99", "lille-amphi", ""}, w.lille_admin)) ==
          "not-found");
    // A room outside the agreement, a layout too small, hours the room is closed.
    CHECK(code(w.run(assign_window_request{id, "atrium", ""}, w.lille_admin)) ==
          "outside-agreement");
    CHECK(code(w.run(assign_window_request{id, "lille-amphi", ""}, w.lille_admin)) == "closed");
    auto big =
        window_world::wid(w.submit("2026-06-15T14:00:00+02:00", "2026-06-15T18:00:00+02:00", 280));
    CHECK(code(w.run(assign_window_request{big, "lille-amphi", ""}, w.lille_admin)) ==
          "over-capacity");
    // A period taken.
    REQUIRE(code(w.request(w.city, "lille-salon-hotel-de-ville", "2026-06-12T19:00:00+02:00",
                           "2026-06-12T20:00:00+02:00")) == "ok");
    CHECK(code(w.run(assign_window_request{id, "lille-salon-hotel-de-ville", ""}, w.lille_admin)) ==
          "slot-taken");
    // The notice is counted again when it is routed: a request left too long in the queue.
    auto late =
        window_world::wid(w.submit("2026-06-15T14:00:00+02:00", "2026-06-15T18:00:00+02:00", 100));
    w.now = at("2026-04-20T08:00:00Z");
    CHECK(code(w.run(assign_window_request{late, "lille-amphi", ""}, w.lille_admin)) ==
          "notice-too-short");
    // Declined, with a reason, once.
    CHECK(code(w.run(decline_window_request{id, " "}, w.lille_admin)) == "bad-request");
    CHECK(code(w.run(decline_window_request{id, "Aucune salle libre"}, w.lille_admin)) == "ok");
    CHECK(w.s.window_requests.at(id).status == window_status::declined);
    CHECK(w.s.window_requests.at(id).reason == "Aucune salle libre");
    CHECK(code(w.run(decline_window_request{id, "Encore"}, w.lille_admin)) == "not-pending");
    CHECK(code(w.run(assign_window_request{id, "lille-amphi", ""}, w.lille_admin)) ==
          "not-pending");
    CHECK(replay(w.journal) == w.s);
}

TEST_CASE(
    "the association withdraws a request in the queue, and a request its lender refused is "
    "routed again",
    "[window]") {
    window_world w;
    auto a = window_world::wid(w.submit("2026-06-12T18:00:00+02:00", "2026-06-12T21:00:00+02:00"));
    auto b = window_world::wid(w.submit("2026-06-19T10:00:00+02:00", "2026-06-19T12:00:00+02:00",
                                        80, room_kind::auditorium));
    CHECK(code(w.run(withdraw_window_request{a, ""}, w.lille)) == "forbidden");
    CHECK(code(w.run(withdraw_window_request{a, "Reporté"}, w.asso)) == "ok");
    CHECK(w.s.window_requests.at(a).status == window_status::withdrawn);
    CHECK(code(w.run(assign_window_request{a, "lille-amphi", ""}, w.lille_admin)) == "not-pending");

    // Routed to the City, refused there, routed again to the University's own amphitheatre.
    REQUIRE(code(w.run(assign_window_request{b, "lille-salon-hotel-de-ville", ""},
                       w.lille_admin)) == "ok");
    const auto first = w.s.window_requests.at(b).reservation;
    CHECK(code(w.run(withdraw_window_request{b, ""}, w.asso)) == "not-pending");
    REQUIRE(code(w.run(refuse_reservation{first, "Salon indisponible"}, w.city_admin)) == "ok");
    CHECK(routable(w.s, w.s.window_requests.at(b)));
    REQUIRE(code(w.run(assign_window_request{b, "lille-amphi", "plenary"}, w.lille_admin)) == "ok");
    const auto& again = w.s.window_requests.at(b);
    CHECK(again.reservation != first);
    CHECK(w.s.reservations.at(again.reservation).resource == "lille-amphi");
    // The University's admins approve it as the amphitheatre's lender.
    CHECK(code(w.run(approve_reservation{again.reservation}, w.lille_admin)) == "ok");
    std::vector<std::string> actions;
    for (const auto& h : again.history) actions.push_back(h.action);
    CHECK(actions == std::vector<std::string>{"submitted", "assigned", "assigned"});
    CHECK(replay(w.journal) == w.s);
}

TEST_CASE(
    "an agreement's window is run by one of its parties, and only associations are "
    "accredited",
    "[window]") {
    window_world w;
    auto g = w.s.agreements.at(lille_agreement);
    g.window_operator = "llv";
    CHECK(code(w.run(define_agreement{g}, w.system)) == "bad-request");
    CHECK(code(w.run(define_organisation{{"club", "Club", member_category::member, "univ-lille"}},
                     w.llv_admin)) == "bad-request");
    CHECK(code(w.run(define_organisation{{"asso-x", "Asso X", member_category::student_association,
                                          "nowhere"}},
                     w.llv_admin)) == "not-found");
}

TEST_CASE("who runs a window, and a reciprocal agreement's approval, are the operator's to change",
          "[window]") {
    window_world w;
    auto g = w.s.agreements.at(lille_agreement);
    g.window_operator = "ville-lille";
    CHECK(code(w.run(define_agreement{g}, w.city_admin)) == "forbidden");
    CHECK(code(w.run(define_agreement{g}, w.lille_admin)) == "forbidden");
    g.window_operator = "";
    CHECK(code(w.run(define_agreement{g}, w.city_admin)) == "forbidden");
    g.window_operator = "univ-lille";
    g.approval_required = false;
    CHECK(code(w.run(define_agreement{g}, w.city_admin)) == "forbidden");
    g.window_operator = "ville-lille";
    CHECK(code(w.run(define_agreement{g}, w.llv_admin)) == "ok");
    CHECK(w.s.agreements.at(lille_agreement).window_operator == "ville-lille");
}

TEST_CASE(
    "a request whose lender cancelled it is routed again, and one the association cancelled or "
    "that lost its accreditation is not",
    "[window]") {
    window_world w;
    auto a = window_world::wid(w.submit("2026-06-12T18:00:00+02:00", "2026-06-12T21:00:00+02:00"));
    REQUIRE(code(w.run(assign_window_request{a, "lille-salon-hotel-de-ville", ""},
                       w.lille_admin)) == "ok");
    const auto first = w.s.window_requests.at(a).reservation;
    REQUIRE(code(w.run(approve_reservation{first}, w.city_admin)) == "ok");
    w.append(user_added{{"u-city-admin", "admin@lille.fr", "Admin Ville", role::admin,
                         "ville-lille", "$argon2id$x"}});
    REQUIRE(code(w.run(cancel_reservation{first, "Salon fermé pour travaux"}, w.city_admin)) ==
            "ok");
    CHECK(routable(w.s, w.s.window_requests.at(a)));
    REQUIRE(code(w.run(assign_window_request{a, "lille-salon-hotel-de-ville", ""},
                       w.lille_admin)) == "ok");
    const auto second = w.s.window_requests.at(a).reservation;
    CHECK(second != first);
    // The association cancels it itself: the request ends with it.
    REQUIRE(code(w.run(cancel_reservation{second, "Plus besoin"}, w.asso)) == "ok");
    CHECK_FALSE(routable(w.s, w.s.window_requests.at(a)));
    auto withdraw = w.run(withdraw_window_request{a, ""}, w.asso);
    CHECK(code(withdraw) == "not-pending");
    CHECK(withdraw.refused->detail == "the request ended with its reservation");

    // An association no longer accredited by a party: its queued request is not routed.
    auto b = window_world::wid(w.submit("2026-06-19T18:00:00+02:00", "2026-06-19T21:00:00+02:00"));
    w.append(organisation_defined{{"asso-lille", "Association des étudiants en musique",
                                   member_category::student_association, "univ-artois"}});
    CHECK(code(w.run(assign_window_request{b, "lille-salon-hotel-de-ville", ""}, w.lille_admin)) ==
          "forbidden");
    CHECK(code(w.run(decline_window_request{b, "Plus agréée"}, w.lille_admin)) == "ok");
    CHECK(replay(w.journal) == w.s);
}
