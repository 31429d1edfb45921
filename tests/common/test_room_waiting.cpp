// Rooms' waiting lists as rules (docs/domain.md, "Room waiting lists"): a request for a taken
// period may wait; when the period frees up, the waiting requests that now fit become pending
// in the list's order, with the place in the allowance they had when asked; the lender reorders
// the list; the system expires what waited past its start; replay gives the same state.

#include "world.hpp"

#include "common/agreements/quote.hpp"
#include "common/reservations/availability.hpp"

#include <catch2/catch.hpp>

using namespace creneau;
using namespace creneau::test;

namespace {

request_reservation ask(const std::string& room, const char* start, const char* end,
                        const std::string& org, bool wait, const std::string& layout = "") {
    request_reservation r{room, at(start), at(end), layout, 10, org, "Réunion", {}};
    r.wait = wait;
    return r;
}

std::vector<std::string> promoted_by(const decision& d) {
    std::vector<std::string> out;
    for (const auto& f : d.facts)
        if (auto* p = std::get_if<reservation_promoted>(&f)) out.push_back(p->id);
    return out;
}

std::vector<std::string> waiting_list(const world& w, const std::string& room) {
    std::vector<std::string> out;
    if (auto l = w.s.room_waiting.find(room); l != w.s.room_waiting.end())
        for (const auto& [rank, id] : l->second) out.push_back(id);
    return out;
}

const actor llv_member{"u-llv", role::member, "llv", false};

}  // namespace

TEST_CASE("a request for a taken period waits only if asked, and takes nothing while it waits",
          "[waiting]") {
    world w;
    auto block = w.run(
        ask("meeting-room", "2026-04-14T09:00:00+02:00", "2026-04-14T12:00:00+02:00", "llv", false),
        w.llv_admin);
    REQUIRE(block.ok());
    CHECK(code(w.run(ask("meeting-room", "2026-04-14T10:00:00+02:00", "2026-04-14T11:00:00+02:00",
                         "univ-artois", false),
                     w.artois)) == "slot-taken");
    auto waits = w.run(ask("meeting-room", "2026-04-14T10:00:00+02:00", "2026-04-14T11:00:00+02:00",
                           "univ-artois", true),
                       w.artois);
    REQUIRE(waits.ok());
    REQUIRE(waits.facts.size() == 1);  // no approval, no alert
    const auto id = world::id_of(waits);
    const auto& r = w.s.reservations.at(id);
    CHECK(r.status == reservation_status::waiting);
    CHECK(r.history.front().action == "waiting");
    CHECK(waiting_list(w, "meeting-room") == std::vector<std::string>{id});
    // Its place in the allowance is kept: one of the four free meeting-room units is held.
    CHECK(r.holds_unit);
    CHECK(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2026}).held == 1);
    // The calendar still shows one booking; a free period asked with `wait` is simply pending.
    auto a = availability_of(w.s, "meeting-room", at("2026-04-14T00:00:00Z"),
                             at("2026-04-15T00:00:00Z"));
    REQUIRE(a.busy.size() == 1);
    CHECK(a.busy[0].id == world::id_of(block));
    auto free = w.run(ask("meeting-room", "2026-04-14T14:00:00+02:00", "2026-04-14T15:00:00+02:00",
                          "univ-artois", true),
                      w.artois);
    REQUIRE(free.ok());
    CHECK(w.s.reservations.at(world::id_of(free)).status == reservation_status::pending);

    // Every other rule still applies to a waiting request; one place per organisation and
    // period; nobody approves a request that waits.
    CHECK(code(w.run(ask("meeting-room", "2026-04-14T10:00:00+02:00", "2026-04-14T11:00:00+02:00",
                         "univ-artois", true),
                     w.artois)) == "conflict");
    CHECK(code(w.run(ask("meeting-room", "2026-04-14T06:00:00+02:00", "2026-04-14T11:00:00+02:00",
                         "univ-artois", true),
                     w.artois)) == "closed");
    CHECK(code(w.run(approve_reservation{id}, w.llv_admin)) == "not-pending");

    // Its requester withdraws it: the unit comes back, the list empties.
    REQUIRE(w.run(cancel_reservation{id, "Plus besoin"}, w.artois).ok());
    CHECK(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2026}).held == 1);  // `free`
    CHECK(waiting_list(w, "meeting-room").empty());
    CHECK(replay(w.journal) == w.s);
}

TEST_CASE("appointments have no waiting list: a taken MuséoLab period is refused, wait or not",
          "[waiting]") {
    world w;
    REQUIRE(w.run(ask("museolab", "2026-04-14T09:00:00+02:00", "2026-04-14T10:00:00+02:00",
                      "univ-artois", false),
                  w.artois)
                .ok());
    CHECK(code(w.run(ask("museolab", "2026-04-14T09:30:00+02:00", "2026-04-14T10:30:00+02:00",
                         "univ-artois", true),
                     w.artois)) == "slot-taken");
    CHECK(w.s.room_waiting.count("museolab") == 0);
}

TEST_CASE("a freed period goes to the waiting requests that now fit, in the list's order",
          "[waiting]") {
    world w;  // the meeting room: 15 minutes of set-up and of clean-up
    auto block = w.run(
        ask("meeting-room", "2026-04-14T09:00:00+02:00", "2026-04-14T12:00:00+02:00", "llv", false),
        w.llv_admin);
    REQUIRE(block.ok());
    auto a = world::id_of(w.run(ask("meeting-room", "2026-04-14T09:00:00+02:00",
                                    "2026-04-14T10:00:00+02:00", "univ-artois", true),
                                w.artois));
    auto c = world::id_of(w.run(
        ask("meeting-room", "2026-04-14T09:30:00+02:00", "2026-04-14T10:30:00+02:00", "llv", true),
        llv_member));
    // Occupies 10:15-11:45: clear of A (8:45-10:15), not of C (9:15-10:45).
    auto b = world::id_of(w.run(ask("meeting-room", "2026-04-14T10:30:00+02:00",
                                    "2026-04-14T11:30:00+02:00", "univ-artois", true),
                                w.artois));
    REQUIRE(waiting_list(w, "meeting-room") == std::vector<std::string>{a, c, b});

    // Only the lender reorders, with every waiting request once.
    CHECK(code(w.run(reorder_room_waitlist{"meeting-room", {c, a, b}}, w.artois)) == "forbidden");
    CHECK(code(w.run(reorder_room_waitlist{"meeting-room", {c, a}}, w.llv_admin)) == "conflict");
    CHECK(code(w.run(reorder_room_waitlist{"meeting-room", {c, a, a}}, w.llv_admin)) == "conflict");
    REQUIRE(w.run(reorder_room_waitlist{"meeting-room", {c, a, b}}, w.llv_admin).ok());
    CHECK(waiting_list(w, "meeting-room") == std::vector<std::string>{c, a, b});

    // The booking is cancelled: C goes first and takes 9:15-10:45, which A and B overlap.
    auto cancelled = w.run(cancel_reservation{world::id_of(block), ""}, w.llv_admin);
    REQUIRE(cancelled.ok());
    CHECK(promoted_by(cancelled) == std::vector<std::string>{c});
    CHECK(w.s.reservations.at(c).status == reservation_status::pending);
    CHECK(w.s.reservations.at(c).history.back().action == "promoted");
    // The rules promoted it, not whoever freed the period.
    CHECK(w.s.reservations.at(c).history.back().actor == "system");
    CHECK(waiting_list(w, "meeting-room") == std::vector<std::string>{a, b});

    // C refused: A and B both fit, and both become pending.
    auto refused = w.run(refuse_reservation{c, "Priorité aux partenaires"}, w.llv_admin);
    REQUIRE(refused.ok());
    CHECK(promoted_by(refused) == std::vector<std::string>{a, b});
    CHECK(waiting_list(w, "meeting-room").empty());
    CHECK(w.s.reservations.at(a).status == reservation_status::pending);
    CHECK(w.s.reservations.at(b).status == reservation_status::pending);
    CHECK(replay(w.journal) == w.s);
}

TEST_CASE("a promoted request keeps the free unit it held, even once the others are taken",
          "[waiting]") {
    world w;  // Artois: two free Atrium bookings a year
    auto atrium = [&](const char* day, bool wait) {
        std::string s = std::string(day) + "T09:00:00+02:00";
        std::string e = std::string(day) + "T17:00:00+02:00";
        auto r = ask("atrium", s.c_str(), e.c_str(), "univ-artois", wait, "plenary");
        r.attendees = 80;
        return w.run(r, w.artois);
    };
    auto host = w.run(ask("atrium", "2026-04-14T09:00:00+02:00", "2026-04-14T17:00:00+02:00", "llv",
                          false, "plenary"),
                      w.llv_admin);
    REQUIRE(host.ok());
    auto waits = atrium("2026-04-14", true);
    REQUIRE(waits.ok());
    CHECK(world::quote_of(waits).free);
    REQUIRE(atrium("2026-04-15", false).ok());
    auto third = atrium("2026-04-16", false);
    CHECK_FALSE(world::quote_of(third).free);  // the waiting request holds the second unit

    auto freed = w.run(cancel_reservation{world::id_of(host), "Événement reporté"}, w.llv_admin);
    REQUIRE(promoted_by(freed) == std::vector<std::string>{world::id_of(waits)});
    const auto& r = w.s.reservations.at(world::id_of(waits));
    CHECK(r.quote.free);
    CHECK(r.holds_unit);
    auto v = allowance_of(w.s, w.s.agreements.at("artois-llv-2026"), "atrium", 2026);
    CHECK(v.held == 2);
    CHECK(v.left == 0);
    REQUIRE(w.run(approve_reservation{r.id}, w.llv_admin).ok());
    CHECK(allowance_of(w.s, w.s.agreements.at("artois-llv-2026"), "atrium", 2026).used == 1);
}

TEST_CASE("a lender's own request is approved when its period frees up, past periods expire",
          "[waiting]") {
    world w;
    // Whether the requester may approve is read from their account, as it is when they wait.
    user admin;
    admin.id = w.llv_admin.id;
    admin.email = "admin@llv.fr";
    admin.name = "Admin LLV";
    admin.role = role::admin;
    admin.organisation = "llv";
    w.append(user_added{admin});
    auto artois = w.run(ask("meeting-room", "2026-04-14T09:00:00+02:00",
                            "2026-04-14T10:00:00+02:00", "univ-artois", false),
                        w.artois);
    REQUIRE(artois.ok());
    auto mine = world::id_of(w.run(
        ask("meeting-room", "2026-04-14T09:00:00+02:00", "2026-04-14T10:00:00+02:00", "llv", true),
        w.llv_admin));
    auto other = w.run(ask("meeting-room", "2026-04-15T09:00:00+02:00", "2026-04-15T10:00:00+02:00",
                           "univ-artois", false),
                       w.artois);
    auto late = world::id_of(w.run(
        ask("meeting-room", "2026-04-15T09:00:00+02:00", "2026-04-15T10:00:00+02:00", "llv", true),
        llv_member));
    REQUIRE(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2026}).held == 2);

    auto withdrawn = w.run(cancel_reservation{world::id_of(artois), ""}, w.artois);
    REQUIRE(promoted_by(withdrawn) == std::vector<std::string>{mine});
    CHECK(w.s.reservations.at(mine).status == reservation_status::approved);
    // Approved by the rules: nobody of Artois approved LLV's booking.
    for (const auto& h : w.s.reservations.at(mine).history)
        if (h.action != "waiting") CHECK(h.actor == "system");

    // The 15th begins with its room still taken: the request that waited expires (the system
    // only), and a later cancellation promotes nothing.
    w.now = at("2026-04-15T09:00:00+02:00");
    CHECK(code(w.run(expire_waiting{}, w.llv_admin)) == "forbidden");
    auto expired = w.run(expire_waiting{}, w.system);
    REQUIRE(expired.ok());
    REQUIRE(expired.facts.size() == 1);
    CHECK(std::get<reservation_cancelled>(expired.facts[0]).id == late);
    CHECK(w.s.reservations.at(late).status == reservation_status::cancelled);
    CHECK_FALSE(w.s.reservations.at(late).ever_booked());
    CHECK(w.s.room_waiting.empty());
    CHECK(w.run(expire_waiting{}, w.system).facts.empty());
    auto gone = w.run(cancel_reservation{world::id_of(other), ""}, w.artois);
    REQUIRE(gone.ok());
    CHECK(promoted_by(gone).empty());
    CHECK(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2026}).held == 0);
    CHECK(replay(w.journal) == w.s);
}

TEST_CASE("a disabled requester is not approved at once, and one organisation cannot fill a list",
          "[waiting]") {
    world w;
    user admin;
    admin.id = w.llv_admin.id;
    admin.email = "admin@llv.fr";
    admin.name = "Admin LLV";
    admin.role = role::admin;
    admin.organisation = "llv";
    admin.disabled = true;
    w.append(user_added{admin});
    auto held = w.run(ask("meeting-room", "2026-04-14T09:00:00+02:00", "2026-04-14T19:00:00+02:00",
                          "univ-artois", false),
                      w.artois);
    REQUIRE(held.ok());
    auto mine = world::id_of(w.run(
        ask("meeting-room", "2026-04-14T09:00:00+02:00", "2026-04-14T10:00:00+02:00", "llv", true),
        w.llv_admin));
    REQUIRE(w.run(cancel_reservation{world::id_of(held), ""}, w.artois).ok());
    CHECK(w.s.reservations.at(mine).status == reservation_status::pending);

    // Ten waiting requests of one organisation on one room, not one more.
    REQUIRE(w.run(ask("meeting-room", "2026-04-15T08:00:00+02:00", "2026-04-15T20:00:00+02:00",
                      "llv", false),
                  llv_member)
                .ok());
    for (int i = 0; i < 10; ++i) {
        auto start = "2026-04-15T" + std::to_string(8 + i) + ":00:00+02:00";
        auto end = "2026-04-15T" + std::to_string(8 + i) + ":30:00+02:00";
        if (start.size() == 24) start.insert(11, "0"), end.insert(11, "0");
        REQUIRE(
            w.run(ask("meeting-room", start.c_str(), end.c_str(), "univ-artois", true), w.artois)
                .ok());
    }
    auto more = w.run(ask("meeting-room", "2026-04-15T19:00:00+02:00", "2026-04-15T19:30:00+02:00",
                          "univ-artois", true),
                      w.artois);
    CHECK(code(more) == "conflict");
    CHECK(more.refused->detail.find("already has 10 requests") != std::string::npos);
}
