#pragma once
// Reservations of every shape, for the tests that hold a text writer to its document's dump
// (docs/architecture.md, "Answers written as text").

#include "world.hpp"

#include <catch2/catch.hpp>

#include <vector>

namespace creneau::test {

// Reservations of every status: an allowance (Atrium, Artois), an hour quota (MuséoLab), the
// host's own booking, a room's waiting list with places, refusals and cancellations with
// reasons; names with odd text.
inline void book_every_shape(world& w) {
    const actor llv_member{"u-llv", role::member, "llv", false};
    CHECK(code(w.request(w.artois, "atrium", "2026-04-07T09:00:00+02:00",
                         "2026-04-07T12:00:00+02:00", 50)) == "ok");
    CHECK(code(w.request(w.artois, "museolab", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T10:47:00+02:00", 2)) == "ok");
    CHECK(code(w.request(w.llv_admin, "event-room", "2026-04-08T09:00:00+02:00",
                         "2026-04-08T12:00:00+02:00", 20)) == "ok");
    struct ask {
        const char *start, *end, *org;
        actor who;
    };
    for (const auto& [start, end, org, who] :
         {ask{"2026-04-09T09:00:00+02:00", "2026-04-09T12:00:00+02:00", "llv", w.llv_admin},
          ask{"2026-04-09T09:00:00+02:00", "2026-04-09T10:00:00+02:00", "univ-artois", w.artois},
          ask{"2026-04-09T09:30:00+02:00", "2026-04-09T10:30:00+02:00", "llv", llv_member},
          ask{"2026-04-09T10:30:00+02:00", "2026-04-09T11:30:00+02:00", "univ-artois", w.artois}}) {
        request_reservation r{"meeting-room", at(start), at(end), "", 6, org, "Point d'étape", {}};
        r.wait = who.id != w.llv_admin.id;
        INFO(start << " for " << org);
        CHECK(code(w.run(r, who)) == "ok");
    }
    auto refused = world::id_of(
        w.request(w.artois, "atrium", "2026-05-05T09:00:00+02:00", "2026-05-05T12:00:00+02:00"));
    w.run(refuse_reservation{refused, "Salle en travaux \"B\""}, w.llv_admin);
    auto cancelled = world::id_of(w.request(w.artois, "meeting-room", "2026-05-06T09:00:00+02:00",
                                            "2026-05-06T10:00:00+02:00"));
    w.run(cancel_reservation{cancelled, "Annulé"}, w.artois);

    // Names with odd text too.
    w.s.organisations.at("univ-artois").name += " \"Artois\"\t\x01";
    user artois_staff;
    artois_staff.id = w.artois.id;
    artois_staff.name = "Camille \\ \xC3\xA9\xC0";
    w.s.users[artois_staff.id] = artois_staff;
    w.s.resources.at("meeting-room").name += " \n🎉";
}

// Every reservation of `s`, and variants of each: odd text in every string, unknown names,
// equipment, a series.
inline std::vector<reservation> shapes(const state& s) {
    std::vector<reservation> out;
    for (const auto& [id, r] : s.reservations) {
        out.push_back(r);
        auto odd = r;
        odd.title = "Réunion \"annuelle\" \\ \t\n\x01\x1f\x7f — 🎉";
        odd.reason = "ill-formed \xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80 \xE2\x82";
        odd.equipment = {"videoprojecteur", "micro \"HF\"", ""};
        odd.series = "s-1";
        odd.layout = "théâtre";
        for (auto& line : odd.quote.lines) line.label += " \"50 %\"\n\xFF";
        out.push_back(odd);
        auto unknown = r;
        unknown.organisation = "nobody\x02";
        unknown.requester = "u-gone";
        unknown.resource = "room-gone";
        out.push_back(unknown);
    }
    return out;
}

}  // namespace creneau::test
