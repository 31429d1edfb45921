// Free allowances, quotes and the MuséoLab hour quota (docs/domain.md, art. 5-4, 6 and 10).

#include "world.hpp"

#include "common/agreements/quote.hpp"
#include "common/agreements/usage.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <date/tz.h>

using namespace creneau;
using namespace creneau::test;

namespace {

decision atrium(world& w, const char* day) {
    std::string s = std::string(day) + "T09:00:00+02:00";
    std::string e = std::string(day) + "T17:00:00+02:00";
    return w.request(w.artois, "atrium", s.c_str(), e.c_str(), 80, "plenary");
}

}  // namespace

TEST_CASE("art. 6: two free Atrium bookings a year, the third billed at the founder-member tariff",
          "[allowance]") {
    world w;
    auto first = atrium(w, "2026-04-14");
    auto second = atrium(w, "2026-04-15");
    auto third = atrium(w, "2026-04-16");
    REQUIRE((first.ok() && second.ok() && third.ok()));
    CHECK(world::quote_of(first).free);
    CHECK(world::quote_of(second).free);
    CHECK_FALSE(world::quote_of(third).free);
    CHECK(world::quote_of(first).allowance->left == 1);
    CHECK(world::quote_of(second).allowance->left == 0);
    CHECK(world::quote_of(third).allowance->left == 0);
    CHECK(world::quote_of(third).allowance->held == 2);
    // One day (8 h) at the founder-member price of the example grid, plus the service fee.
    const auto& q = world::quote_of(third);
    REQUIRE(q.lines.size() == 2);
    CHECK(q.lines[0].kind == "rental");
    CHECK(q.lines[0].amount_cents == 90000);
    CHECK_THAT(q.lines[0].label,
               Catch::Contains("1 journée") && Catch::Contains("membre fondateur"));
    CHECK(q.lines[1].kind == "service-fee");
    CHECK(q.total_cents == 90000 + 25000);
    CHECK(q.billed_as == member_category::founder_member);
}

TEST_CASE("art. 6: Event room once and meeting room four times a year", "[allowance]") {
    world w;
    auto e1 = w.request(w.artois, "event-room", "2026-04-14T09:00:00+02:00",
                        "2026-04-14T10:00:00+02:00", 10, "meeting");
    auto e2 = w.request(w.artois, "event-room", "2026-04-15T09:00:00+02:00",
                        "2026-04-15T10:00:00+02:00", 10, "meeting");
    CHECK(world::quote_of(e1).free);
    CHECK_FALSE(world::quote_of(e2).free);
    for (int day = 1; day <= 5; ++day) {  // Monday 1 to Friday 5 June 2026
        std::string s = numbered("2026-06-0", day) + "T09:00:00+02:00";
        std::string e = numbered("2026-06-0", day) + "T10:00:00+02:00";
        auto d = w.request(w.artois, "meeting-room", s.c_str(), e.c_str());
        REQUIRE(d.ok());
        CHECK(world::quote_of(d).free == (day <= 4));
    }
}

TEST_CASE("art. 6: service fees are billed even when the booking is free", "[allowance]") {
    world w;
    auto d = w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                       "2026-04-14T10:00:00+02:00");
    const auto& q = world::quote_of(d);
    CHECK(q.free);
    CHECK(q.total_cents == 4000);
    REQUIRE(q.lines.size() == 2);
    CHECK(q.lines[0].amount_cents == 0);
    CHECK(q.lines[1].kind == "service-fee");
    CHECK(q.lines[1].amount_cents == 4000);
}

TEST_CASE("the allowance year is the calendar year in the agreement's time zone", "[allowance]") {
    world w;
    // Use up 2026 with two requests, then one that starts on 31 December 2026 at 23:30 UTC,
    // which is already 1 January 2027 in Paris: free again, out of 2027's allowance. The
    // Atrium is closed at that hour, so open it round the clock for this test.
    auto r = w.s.resources.at("atrium");
    for (auto& day : r.hours.days) day = {{0, 24 * 60}};
    REQUIRE(w.run(define_resource{r}, w.llv_admin).ok());
    REQUIRE(atrium(w, "2026-04-14").ok());
    REQUIRE(atrium(w, "2026-04-15").ok());
    auto nye = w.request(w.artois, "atrium", "2026-12-31T23:30:00Z", "2027-01-01T02:00:00Z", 80,
                         "plenary");
    REQUIRE(nye.ok());
    CHECK(world::quote_of(nye).free);
    CHECK(world::quote_of(nye).allowance->year == 2027);
    CHECK(w.s.reservations.at(world::id_of(nye)).year == 2027);
}

TEST_CASE("a refusal releases the held unit for the next request", "[allowance]") {
    world w;
    auto a = atrium(w, "2026-04-14");
    auto b = atrium(w, "2026-04-15");
    REQUIRE(w.run(refuse_reservation{world::id_of(a), "Indisponible"}, w.llv_admin).ok());
    auto c = atrium(w, "2026-04-16");
    CHECK(world::quote_of(c).free);
    CHECK(world::quote_of(c).allowance->held == 2);
    CHECK(w.s.reservations.at(world::id_of(b)).holds_unit);
}

TEST_CASE("a cancellation before the start releases the unit, after the start it stays used",
          "[allowance]") {
    world w;
    auto a = atrium(w, "2026-04-14");
    auto b = atrium(w, "2026-04-15");
    REQUIRE(w.run(approve_reservation{world::id_of(a)}, w.llv_admin).ok());
    REQUIRE(w.run(approve_reservation{world::id_of(b)}, w.llv_admin).ok());
    counter_key key{"artois-llv-2026", "atrium", 2026};
    CHECK(w.s.allowances.at(key).used == 2);

    REQUIRE(w.run(cancel_reservation{world::id_of(a), "Annulé"}, w.artois).ok());
    CHECK(w.s.allowances.at(key).used == 1);

    w.now = at("2026-04-15T12:00:00+02:00");  // during b
    REQUIRE(w.run(cancel_reservation{world::id_of(b), "Écourté"}, w.artois).ok());
    CHECK(w.s.allowances.at(key).used == 1);
    CHECK(w.s.allowances.at(key).held == 0);
}

TEST_CASE("the holder of the last free unit is never beaten to it", "[allowance]") {
    world w;
    REQUIRE(atrium(w, "2026-04-14").ok());
    auto last = atrium(w, "2026-04-15");  // holds the last free unit while pending
    auto later = atrium(w, "2026-04-16");
    CHECK(world::quote_of(last).free);
    CHECK_FALSE(world::quote_of(later).free);
    // Approving the later one first does not move the unit.
    REQUIRE(w.run(approve_reservation{world::id_of(later)}, w.llv_admin).ok());
    REQUIRE(w.run(approve_reservation{world::id_of(last)}, w.llv_admin).ok());
    CHECK(w.s.reservations.at(world::id_of(last)).holds_unit);
    CHECK_FALSE(w.s.reservations.at(world::id_of(later)).holds_unit);
    auto v = allowance_of(w.s, w.s.agreements.at("artois-llv-2026"), "atrium", 2026);
    CHECK(v.used == 1);  // the last unit's holder, approved
    CHECK(v.held == 1);  // the first request, still pending
    CHECK(v.left == 0);
}

TEST_CASE("quotes: the cheapest mix of days, half-days and hours", "[allowance]") {
    world w;
    const auto& grid = w.s.tariffs.at("llv");
    std::string label;
    auto fm = member_category::founder_member;
    CHECK(rental_price(grid, "meeting-room", fm, minutes{60}, label) == 3000);
    CHECK(rental_price(grid, "meeting-room", fm, minutes{61}, label) ==
          6000);  // an hour begun is due
    CHECK(rental_price(grid, "meeting-room", fm, minutes{4 * 60}, label) == 10000);
    CHECK(label == "1 demi-journée");
    CHECK(rental_price(grid, "meeting-room", fm, minutes{5 * 60}, label) == 13000);
    CHECK(rental_price(grid, "meeting-room", fm, minutes{7 * 60}, label) ==
          18000);  // a day is cheaper
    CHECK(label == "1 journée");
    CHECK(rental_price(grid, "meeting-room", member_category::other, minutes{60}, label) == 4500);
    CHECK_FALSE(rental_price(grid, "coworking", fm, minutes{60}, label));
}

TEST_CASE("art. 5-4: MuséoLab appointments consume the 400-hour quota to the minute", "[quota]") {
    world w;
    auto d = w.request(w.artois, "museolab", "2026-04-14T09:00:00+02:00",
                       "2026-04-14T10:47:00+02:00", 3);
    REQUIRE(d.ok());
    CHECK(world::quote_of(d).free);
    CHECK(world::quote_of(d).hours->this_minutes == 107);
    counter_key key{"artois-llv-2026", "museolab", 2026};
    // Pending: nothing consumed yet, the minutes held.
    CHECK(w.s.quotas.at(key).used_minutes == 0);
    CHECK(w.s.quotas.at(key).held_minutes == 107);
    REQUIRE(w.run(approve_reservation{world::id_of(d)}, w.llv_admin).ok());
    CHECK(w.s.quotas.at(key).used_minutes == 107);
    CHECK(w.s.quotas.at(key).held_minutes == 0);
    // A cancellation before the start gives the minutes back.
    REQUIRE(w.run(cancel_reservation{world::id_of(d), ""}, w.artois).ok());
    CHECK(w.s.quotas.at(key).used_minutes == 0);
}

TEST_CASE("art. 5-4: alerts at 80 % and 100 % once each per year, hours beyond billed", "[quota]") {
    world w;
    // Approve 3.5-hour appointments (09:00-12:30 Paris time, Monday to Friday) until the
    // quota is crossed.
    counter_key key{"artois-llv-2026", "museolab", 2026};
    std::vector<int> alerts_seen;
    auto monday = date::local_days{date::year{2026} / 3 / 9};
    int booked = 0;
    while (w.s.quotas[key].used_minutes < 400 * 60 + 210) {
        REQUIRE(booked < 200);
        auto local = monday + date::days{booked / 5 * 7 + booked % 5} + std::chrono::hours(9);
        instant start = date::make_zoned("Europe/Paris", local).get_sys_time();
        auto d = w.run(
            request_reservation{
                "museolab", start, start + minutes{210}, "", 2, "univ-artois", "Atelier", {}},
            w.artois);
        INFO(format_utc(start));
        REQUIRE(d.ok());
        auto before = w.s.quotas[key].used_minutes;
        auto q = world::quote_of(d);
        auto ap = w.run(approve_reservation{world::id_of(d)}, w.llv_admin);
        REQUIRE(ap.ok());
        for (const auto& f : ap.facts)
            if (auto* alert = std::get_if<quota_alert_raised>(&f))
                alerts_seen.push_back(alert->threshold);
        if (before + 210 > 400 * 60) {
            CHECK_FALSE(q.free);
            CHECK(q.hours->beyond_minutes == std::min<std::int64_t>(210, before + 210 - 400 * 60));
            REQUIRE(q.lines.size() >= 1);
            CHECK(q.lines[0].kind == "hours-beyond-quota");
            CHECK(q.lines[0].amount_cents == (6000 * q.hours->beyond_minutes + 30) / 60);
        } else {
            CHECK(q.free);
        }
        ++booked;
    }
    CHECK(alerts_seen == std::vector<int>{80, 100});
    CHECK(w.s.quotas[key].alerts == std::set<int>{80, 100});
}

TEST_CASE(
    "art. 5-4: a pending appointment holds its minutes, so that the last hours of the "
    "quota are never promised twice",
    "[quota]") {
    world w;
    counter_key key{"artois-llv-2026", "museolab", 2026};
    auto monday = date::local_days{date::year{2026} / 3 / 9};
    int booked = 0;
    auto appointment = [&] {
        auto local = monday + date::days{booked / 5 * 7 + booked % 5} + std::chrono::hours(9);
        instant start = date::make_zoned("Europe/Paris", local).get_sys_time();
        ++booked;
        return w.run(
            request_reservation{
                "museolab", start, start + minutes{210}, "", 2, "univ-artois", "Atelier", {}},
            w.artois);
    };
    // Approved appointments until one more fits within the 400 hours, but not two.
    while (w.s.quotas[key].used_minutes + 2 * 210 <= 400 * 60) {
        REQUIRE(booked < 200);
        auto d = appointment();
        REQUIRE(d.ok());
        REQUIRE(w.run(approve_reservation{world::id_of(d)}, w.llv_admin).ok());
    }
    const auto used = w.s.quotas[key].used_minutes;
    auto first = appointment();
    REQUIRE(first.ok());
    CHECK(world::quote_of(first).free);
    CHECK(w.s.quotas[key].held_minutes == 210);
    CHECK(w.s.quotas[key].used_minutes == used);
    // The second, while the first waits for LLV: its minutes beyond what is left are billed.
    auto second = appointment();
    REQUIRE(second.ok());
    const auto& q = world::quote_of(second);
    CHECK_FALSE(q.free);
    CHECK(q.hours->held_minutes == 210);
    CHECK(q.hours->beyond_minutes == used + 420 - 400 * 60);
    CHECK(w.s.quotas[key].held_minutes == 420);
    // Both approved: every minute beyond the quota is on a billable line.
    REQUIRE(w.run(approve_reservation{world::id_of(first)}, w.llv_admin).ok());
    REQUIRE(w.run(approve_reservation{world::id_of(second)}, w.llv_admin).ok());
    CHECK(w.s.quotas[key].held_minutes == 0);
    const auto u = usage_of(w.s, w.s.agreements.at("artois-llv-2026"), 2026);
    std::int64_t billed = 0;
    for (const auto& l : u.billable)
        if (l.kind == "hours-beyond-quota") billed += l.amount_cents;
    CHECK(billed == (6000 * (w.s.quotas[key].used_minutes - 400 * 60) + 30) / 60);
    // A refusal or a cancellation while pending gives the held minutes back.
    auto third = appointment();
    REQUIRE(third.ok());
    CHECK(w.s.quotas[key].held_minutes == 210);
    REQUIRE(w.run(refuse_reservation{world::id_of(third), "Atelier complet"}, w.llv_admin).ok());
    CHECK(w.s.quotas[key].held_minutes == 0);
    auto fourth = appointment();
    REQUIRE(fourth.ok());
    REQUIRE(w.run(cancel_reservation{world::id_of(fourth), ""}, w.artois).ok());
    CHECK(w.s.quotas[key].held_minutes == 0);
}

TEST_CASE("a Lille reciprocal booking is never billed and has no allowance", "[allowance]") {
    world w;
    auto d = w.request(w.lille, "lille-salon-hotel-de-ville", "2026-06-02T18:00:00+02:00",
                       "2026-06-02T22:00:00+02:00", 120);
    REQUIRE(d.ok());
    CHECK(world::quote_of(d).free);
    CHECK(world::quote_of(d).total_cents == 0);
    CHECK_FALSE(world::quote_of(d).allowance);
}

TEST_CASE(
    "a free unit that comes back goes to the oldest request billed for lack of it, quoted again",
    "[allowance]") {
    world w;
    auto a = atrium(w, "2026-04-14");
    auto b = atrium(w, "2026-04-15");
    auto c = atrium(w, "2026-04-16");
    auto d = atrium(w, "2026-04-17");
    REQUIRE((a.ok() && b.ok() && c.ok() && d.ok()));
    REQUIRE_FALSE(world::quote_of(c).free);
    const auto billed = world::quote_of(d).total_cents;
    counter_key key{"artois-llv-2026", "atrium", 2026};

    auto refused = w.run(refuse_reservation{world::id_of(a), "Indisponible"}, w.llv_admin);
    REQUIRE(refused.ok());
    REQUIRE(refused.facts.size() == 2);
    const auto* again = std::get_if<reservation_requoted>(&refused.facts[1]);
    REQUIRE(again);
    CHECK(again->id == world::id_of(c));
    CHECK(again->holds_unit);
    const auto& now_c = w.s.reservations.at(world::id_of(c));
    CHECK(now_c.holds_unit);
    CHECK(now_c.quote.free);
    CHECK(now_c.quote.total_cents == 25000);  // the service fee only
    CHECK(now_c.quote.allowance->left == 0);
    CHECK(now_c.history.back().action == "requoted");
    CHECK(now_c.history.back().actor == "system");
    // The later one stays billed: the unit went to the oldest.
    CHECK_FALSE(w.s.reservations.at(world::id_of(d)).holds_unit);
    CHECK(w.s.reservations.at(world::id_of(d)).quote.total_cents == billed);
    CHECK(w.s.allowances.at(key).held == 2);

    // A cancellation while pending gives the next unit to the next one.
    REQUIRE(w.run(cancel_reservation{world::id_of(b), ""}, w.artois).ok());
    CHECK(w.s.reservations.at(world::id_of(d)).holds_unit);
    CHECK(w.s.reservations.at(world::id_of(d)).quote.free);
    CHECK(w.s.allowances.at(key).held == 2);
    CHECK(allowance_of(w.s, w.s.agreements.at("artois-llv-2026"), "atrium", 2026).left == 0);

    // An approved reservation keeps the quote it was approved with; the unit stays left.
    auto e = atrium(w, "2026-04-20");
    REQUIRE(w.run(approve_reservation{world::id_of(e)}, w.llv_admin).ok());
    REQUIRE_FALSE(w.s.reservations.at(world::id_of(e)).holds_unit);
    auto cancelled = w.run(cancel_reservation{world::id_of(c), ""}, w.artois);
    REQUIRE(cancelled.ok());
    CHECK(cancelled.facts.size() == 1);
    CHECK_FALSE(w.s.reservations.at(world::id_of(e)).holds_unit);
    CHECK(allowance_of(w.s, w.s.agreements.at("artois-llv-2026"), "atrium", 2026).left == 1);
}

TEST_CASE(
    "an allowance raised gives its new free units and hours to the requests billed for lack of "
    "them, in the same decision",
    "[allowance]") {
    world w;
    auto a = atrium(w, "2026-04-14");
    auto b = atrium(w, "2026-04-15");
    auto c = atrium(w, "2026-04-16");
    auto d = atrium(w, "2026-04-17");
    REQUIRE((a.ok() && b.ok() && c.ok() && d.ok()));
    const auto billed = world::quote_of(d).total_cents;
    REQUIRE_FALSE(world::quote_of(c).free);

    // Three free Atrium bookings a year instead of two: the third request takes the new one.
    auto raised = w.s.agreements.at("artois-llv-2026");
    raised.resources.at("atrium").free_per_year = 3;
    auto defined = w.run(define_agreement{raised}, w.llv_admin);
    REQUIRE(defined.ok());
    REQUIRE(defined.facts.size() == 2);
    const auto* again = std::get_if<reservation_requoted>(&defined.facts[1]);
    REQUIRE(again);
    CHECK(again->id == world::id_of(c));
    const auto& now_c = w.s.reservations.at(world::id_of(c));
    CHECK(now_c.holds_unit);
    CHECK(now_c.quote.free);
    CHECK(now_c.quote.allowance->limit == 3);
    CHECK(now_c.quote.allowance->left == 0);
    CHECK(now_c.history.back().action == "requoted");
    CHECK_FALSE(w.s.reservations.at(world::id_of(d)).holds_unit);
    CHECK(w.s.reservations.at(world::id_of(d)).quote.total_cents == billed);
    CHECK(w.s.allowances.at(counter_key{"artois-llv-2026", "atrium", 2026}).held == 3);

    // The same agreement again changes nothing more; a lower allowance takes nothing back.
    auto same = w.run(define_agreement{raised}, w.llv_admin);
    REQUIRE(same.ok());
    CHECK(same.facts.size() == 1);
    raised.resources.at("atrium").free_per_year = 1;
    auto lowered = w.run(define_agreement{raised}, w.llv_admin);
    REQUIRE(lowered.ok());
    CHECK(lowered.facts.size() == 1);
    CHECK(w.s.reservations.at(world::id_of(c)).quote.free);

    // The MuséoLab's quota raised: an appointment billed beyond it is quoted again.
    raised.resources.at("museolab").hour_quota = 1;
    REQUIRE(w.run(define_agreement{raised}, w.llv_admin).ok());
    instant start = at("2026-03-10T09:00:00+01:00");
    auto appointment = w.run(
        request_reservation{
            "museolab", start, start + minutes{90}, "", 2, "univ-artois", "Atelier", {}},
        w.artois);
    REQUIRE(appointment.ok());
    REQUIRE(world::quote_of(appointment).hours->beyond_minutes == 30);
    raised.resources.at("museolab").hour_quota = 2;
    auto more_hours = w.run(define_agreement{raised}, w.llv_admin);
    REQUIRE(more_hours.ok());
    REQUIRE(more_hours.facts.size() == 2);
    const auto& now_m = w.s.reservations.at(world::id_of(appointment));
    CHECK(now_m.quote.hours->beyond_minutes == 0);
    CHECK(now_m.quote.hours->quota_minutes == 120);
    CHECK(now_m.quote.free);

    // A request on a date the agreement no longer covers is not quoted again: the agreement
    // ends with 2026 while giving more; the 2026 request billed takes a unit, the 2027 ones
    // (one free a year by then) stay billed.
    auto next_year = std::vector<decision>{};
    for (const char* day : {"2027-04-13", "2027-04-14", "2027-04-15"})
        next_year.push_back(atrium(w, day));
    REQUIRE(next_year[2].ok());
    REQUIRE_FALSE(world::quote_of(next_year[2]).free);
    auto shortened = raised;
    shortened.valid_to = "2026-12-31";
    shortened.resources.at("atrium").free_per_year = 9;
    auto ended = w.run(define_agreement{shortened}, w.llv_admin);
    REQUIRE(ended.ok());
    REQUIRE(ended.facts.size() == 2);
    CHECK(std::get<reservation_requoted>(ended.facts[1]).id == world::id_of(d));
    CHECK_FALSE(w.s.reservations.at(world::id_of(next_year[2])).quote.free);

    // Lending made free of charge, in force again: the request billed is quoted free, its
    // fees alone.
    auto free_lending = raised;
    free_lending.resources.at("atrium").free_per_year.reset();
    free_lending.resources.at("atrium").unlimited_free = true;
    auto made_free = w.run(define_agreement{free_lending}, w.llv_admin);
    REQUIRE(made_free.ok());
    REQUIRE(made_free.facts.size() == 3);  // the two 2027 requests billed (one free a year then)
    CHECK(w.s.reservations.at(world::id_of(next_year[1])).quote.free);
    const auto& now_2027 = w.s.reservations.at(world::id_of(next_year[2]));
    CHECK(now_2027.quote.free);
    CHECK(now_2027.quote.total_cents == 25000);
    CHECK_FALSE(now_2027.holds_unit);
}

TEST_CASE("MuséoLab minutes that come back go to the oldest request billed beyond the quota",
          "[quota]") {
    world w;
    counter_key key{"artois-llv-2026", "museolab", 2026};
    auto monday = date::local_days{date::year{2026} / 3 / 9};
    int booked = 0;
    auto appointment = [&](std::int64_t length) {
        auto local = monday + date::days{booked / 5 * 7 + booked % 5} + std::chrono::hours(9);
        instant start = date::make_zoned("Europe/Paris", local).get_sys_time();
        ++booked;
        return w.run(
            request_reservation{
                "museolab", start, start + minutes{length}, "", 2, "univ-artois", "Atelier", {}},
            w.artois);
    };
    // Approved until exactly 100 minutes of the quota are left.
    std::string first_approved;
    while (w.s.quotas[key].used_minutes + 210 <= 400 * 60 - 100) {
        REQUIRE(booked < 200);
        const auto id = world::id_of(appointment(210));
        if (first_approved.empty()) first_approved = id;
        REQUIRE(w.run(approve_reservation{id}, w.llv_admin).ok());
    }
    auto filler = appointment(400 * 60 - 100 - w.s.quotas[key].used_minutes);
    REQUIRE(w.run(approve_reservation{world::id_of(filler)}, w.llv_admin).ok());
    REQUIRE(w.s.quotas[key].used_minutes == 400 * 60 - 100);
    auto first = appointment(60);    // free
    auto second = appointment(120);  // 40 minutes free, 80 billed
    auto third = appointment(120);   // all billed
    REQUIRE((first.ok() && second.ok() && third.ok()));
    CHECK(world::quote_of(second).hours->beyond_minutes == 80);
    CHECK(world::quote_of(third).hours->beyond_minutes == 120);
    const auto third_total = world::quote_of(third).total_cents;

    auto refused = w.run(refuse_reservation{world::id_of(first), "Complet"}, w.llv_admin);
    REQUIRE(refused.ok());
    REQUIRE(refused.facts.size() == 2);
    CHECK(std::holds_alternative<reservation_requoted>(refused.facts[1]));
    // The 60 minutes go to the second: it still lacks 20; nothing is left for the third.
    const auto& s2 = w.s.reservations.at(world::id_of(second));
    const auto& s3 = w.s.reservations.at(world::id_of(third));
    CHECK(s2.quote.hours->beyond_minutes == 20);
    CHECK(s2.quote.total_cents == (6000 * 20 + 30) / 60);
    CHECK(s2.history.back().action == "requoted");
    CHECK(s3.quote.hours->beyond_minutes == 120);
    CHECK(s3.quote.total_cents == third_total);
    // Each still holds its own minutes, whatever is billed.
    CHECK(w.s.quotas[key].held_minutes == 240);
    // The new quote's figures add up as a first quote's do: what approved appointments used,
    // what the other requests not yet decided were promised free (the third: nothing), and
    // its own minutes, beyond the quota by what it is billed for.
    auto adds_up = [](const hours_view& h) {
        return h.beyond_minutes == std::clamp<std::int64_t>(h.used_minutes + h.held_minutes +
                                                                h.this_minutes - h.quota_minutes,
                                                            0, h.this_minutes);
    };
    CHECK(s2.quote.hours->used_minutes == 400 * 60 - 100);
    CHECK(s2.quote.hours->held_minutes == 0);
    CHECK(adds_up(*s2.quote.hours));

    // The second cancelled: its 100 free minutes go to the third.
    REQUIRE(w.run(cancel_reservation{world::id_of(second), ""}, w.artois).ok());
    CHECK(s3.quote.hours->beyond_minutes == 20);
    CHECK(s3.quote.hours->held_minutes == 0);
    CHECK(adds_up(*s3.quote.hours));
    CHECK(w.s.quotas[key].held_minutes == 120);

    // Minutes promised to an older request count in a newer one's new quote. The third is
    // promised 100 minutes; a fourth is billed in full. An approved appointment cancelled
    // gives 210 minutes back: the third takes the 20 it lacked, the fourth its 30, and the
    // fourth's quote counts the third's 120 as held.
    auto fourth = appointment(30);
    REQUIRE(fourth.ok());
    CHECK(world::quote_of(fourth).hours->beyond_minutes == 30);
    REQUIRE(w.run(cancel_reservation{first_approved, ""}, w.artois).ok());
    CHECK(s3.quote.hours->beyond_minutes == 0);
    const auto& s4 = w.s.reservations.at(world::id_of(fourth));
    CHECK(s4.quote.hours->beyond_minutes == 0);
    CHECK(s4.quote.hours->held_minutes == 120);
    CHECK(s4.quote.hours->used_minutes == 400 * 60 - 100 - 210);
    CHECK(adds_up(*s4.quote.hours));
}

namespace {

request_reservation atrium_request(const char* day, bool wait) {
    std::string s = std::string(day) + "T09:00:00+02:00";
    std::string e = std::string(day) + "T17:00:00+02:00";
    request_reservation r{"atrium", at(s.c_str()), at(e.c_str()), "plenary",
                          80,       "univ-artois", "Conférence",  {}};
    r.wait = wait;
    return r;
}

}  // namespace

TEST_CASE(
    "a unit that comes back goes to the waiting request whose period it frees, even when "
    "approved at once",
    "[allowance]") {
    world w;
    auto a = w.s.agreements.at("artois-llv-2026");
    a.approval_required = false;
    w.append(agreement_defined{a});
    // The requester's account, in use: a request of hers that is promoted is approved at once.
    w.append(user_added{{w.artois.id, "claire.martin@univ-artois.fr", "Claire", role::member,
                         "univ-artois", "$h"}});
    auto first = w.run(atrium_request("2026-04-14", false), w.artois);
    auto second = w.run(atrium_request("2026-04-15", false), w.artois);
    REQUIRE((first.ok() && second.ok()));
    REQUIRE(w.s.reservations.at(world::id_of(first)).status == reservation_status::approved);
    // Waiting for the first one's period, billed: no unit is left.
    auto waiting = w.run(atrium_request("2026-04-14", true), w.artois);
    REQUIRE(waiting.ok());
    REQUIRE_FALSE(world::quote_of(waiting).free);
    // The first is cancelled before its start: its unit and its period go to the waiting one,
    // approved at once, and free.
    REQUIRE(w.run(cancel_reservation{world::id_of(first), ""}, w.artois).ok());
    const auto& now = w.s.reservations.at(world::id_of(waiting));
    CHECK(now.status == reservation_status::approved);
    CHECK(now.quote.free);
    CHECK(now.holds_unit);
    auto v = allowance_of(w.s, w.s.agreements.at("artois-llv-2026"), "atrium", 2026);
    CHECK(v.used == 2);
    CHECK(v.left == 0);
    CHECK(replay(w.journal).allowances == w.s.allowances);
}

TEST_CASE("a request whose period has begun does not take a unit that comes back", "[allowance]") {
    world w;
    auto first = w.run(atrium_request("2026-04-14", false), w.artois);
    auto second = w.run(atrium_request("2026-04-15", false), w.artois);
    auto waiting = w.run(atrium_request("2026-04-14", true), w.artois);  // billed
    auto later = w.run(atrium_request("2026-05-16", false), w.artois);   // billed
    REQUIRE((first.ok() && second.ok() && waiting.ok() && later.ok()));
    w.now = at("2026-04-14T10:00:00+02:00");  // the waiting one's period began
    REQUIRE(w.run(refuse_reservation{world::id_of(second), "Indisponible"}, w.llv_admin).ok());
    CHECK_FALSE(w.s.reservations.at(world::id_of(waiting)).holds_unit);
    CHECK(w.s.reservations.at(world::id_of(later)).holds_unit);
    CHECK(w.s.reservations.at(world::id_of(later)).quote.free);
}
