// Series of reservations as rules (docs/domain.md, "Series"): the dates a rule gives in Paris
// wall-clock time (across summer-time changes), skipped and moved dates, each occurrence
// checked on its own and quoted against its own year's allowance, all or nothing or what is
// free, and decisions on one occurrence, the following ones or the whole series.

#include "world.hpp"

#include "common/agreements/quote.hpp"

#include <catch2/catch.hpp>

using namespace creneau;
using namespace creneau::test;

namespace {

recurrence weekly(int count, std::vector<int> days = {}) {
    recurrence r;
    r.frequency = frequency::weekly;
    r.count = count;
    r.weekdays = std::move(days);
    return r;
}

std::vector<std::string> starts(const expansion& e) {
    std::vector<std::string> out;
    for (const auto& o : e.occurrences) out.push_back(format_in_zone(o.start, "Europe/Paris"));
    return out;
}

request_series series_request(const char* start, const char* end, recurrence rule,
                              bool all = true) {
    request_reservation first{"meeting-room", at(start), at(end), "", 6,
                              "univ-artois",  "Cours",   {}};
    return request_series{first, std::move(rule), all};
}

const series_requested& series_of(const decision& d) {
    return std::get<series_requested>(d.facts.front());
}

}  // namespace

TEST_CASE("a weekly series keeps its Paris wall-clock time across the October change", "[series]") {
    // Tuesdays at 10:00 in Paris from 20 October 2026; summer time ends on the 25th.
    auto e = expand_series(weekly(4), at("2026-10-20T10:00:00+02:00"),
                           at("2026-10-20T12:00:00+02:00"), "Europe/Paris");
    REQUIRE(e.error.empty());
    CHECK(starts(e) ==
          std::vector<std::string>{"2026-10-20T10:00:00+02:00", "2026-10-27T10:00:00+01:00",
                                   "2026-11-03T10:00:00+01:00", "2026-11-10T10:00:00+01:00"});
    CHECK(e.occurrences[1].end - e.occurrences[1].start == std::chrono::hours(2));
    // Every two weeks on Mondays and Thursdays, until a date (included).
    recurrence two;
    two.interval = 2;
    two.weekdays = {1, 4};
    two.until = "2026-11-19";
    auto f = expand_series(two, at("2026-10-22T18:00:00+02:00"), at("2026-10-22T19:00:00+02:00"),
                           "Europe/Paris");
    REQUIRE(f.error.empty());
    CHECK(starts(f) ==
          std::vector<std::string>{"2026-10-22T18:00:00+02:00", "2026-11-02T18:00:00+01:00",
                                   "2026-11-05T18:00:00+01:00", "2026-11-16T18:00:00+01:00",
                                   "2026-11-19T18:00:00+01:00"});
}

TEST_CASE("monthly series: by day of the month, by nth and by last weekday", "[series]") {
    recurrence by_day;
    by_day.frequency = frequency::monthly;
    by_day.month_day = 31;
    by_day.count = 3;
    // Months without a 31st are left out, as RFC 5545 does.
    auto a = expand_series(by_day, at("2027-01-31T09:00:00+01:00"), at("2027-01-31T10:00:00+01:00"),
                           "Europe/Paris");
    REQUIRE(a.error.empty());
    CHECK(starts(a) == std::vector<std::string>{"2027-01-31T09:00:00+01:00",
                                                "2027-03-31T09:00:00+02:00",
                                                "2027-05-31T09:00:00+02:00"});
    recurrence quarterly;  // the Lille technical committee: every three months, 2nd Tuesday
    quarterly.frequency = frequency::monthly;
    quarterly.interval = 3;
    quarterly.nth = 2;
    quarterly.weekday = 2;
    quarterly.count = 4;
    auto b = expand_series(quarterly, at("2027-01-12T14:00:00+01:00"),
                           at("2027-01-12T16:00:00+01:00"), "Europe/Paris");
    REQUIRE(b.error.empty());
    CHECK(starts(b) ==
          std::vector<std::string>{"2027-01-12T14:00:00+01:00", "2027-04-13T14:00:00+02:00",
                                   "2027-07-13T14:00:00+02:00", "2027-10-12T14:00:00+02:00"});
    recurrence last;
    last.frequency = frequency::monthly;
    last.nth = -1;
    last.weekday = 5;
    last.until = "2027-03-31";
    auto c = expand_series(last, at("2027-01-29T12:00:00+01:00"), at("2027-01-29T13:00:00+01:00"),
                           "Europe/Paris");
    REQUIRE(c.error.empty());
    CHECK(starts(c) == std::vector<std::string>{"2027-01-29T12:00:00+01:00",
                                                "2027-02-26T12:00:00+01:00",
                                                "2027-03-26T12:00:00+01:00"});
}

TEST_CASE("skipped and moved dates, and the rules a rule must follow", "[series]") {
    auto rule = weekly(4);
    rule.skip = {"2026-11-03"};
    rule.moves = {{"2026-11-10", at("2026-11-12T14:00:00+01:00"), at("2026-11-12T16:00:00+01:00")}};
    auto e = expand_series(rule, at("2026-10-20T10:00:00+02:00"), at("2026-10-20T12:00:00+02:00"),
                           "Europe/Paris");
    REQUIRE(e.error.empty());
    REQUIRE(e.occurrences.size() == 4);
    CHECK(e.occurrences[2].skipped);
    CHECK(e.occurrences[3].moved);
    CHECK(e.occurrences[3].date == "2026-11-10");
    CHECK(format_in_zone(e.occurrences[3].start, "Europe/Paris") == "2026-11-12T14:00:00+01:00");

    auto error_of = [](recurrence r, const char* start = "2026-10-20T10:00:00+02:00") {
        auto x = expand_series(r, at(start), at(start) + std::chrono::hours(1), "Europe/Paris");
        return x.field;
    };
    CHECK(error_of(weekly(105)) == "recurrence.count");
    CHECK(error_of(weekly(0)) == "recurrence.until");
    auto both = weekly(3);
    both.until = "2026-12-01";
    CHECK(error_of(both) == "recurrence.until");
    CHECK(error_of(weekly(3, {1, 3})) == "recurrence.weekdays");  // a Tuesday is neither
    CHECK(error_of(weekly(3, {2, 2})) == "recurrence.weekdays");
    CHECK(error_of(weekly(3, {2, 8})) == "recurrence.weekdays");
    auto far = weekly(0);
    far.until = "2030-01-01";
    CHECK(error_of(far) == "recurrence.until");
    auto every = weekly(2);
    every.interval = 53;
    CHECK(error_of(every) == "recurrence.interval");
    auto nowhere = weekly(2);
    nowhere.skip = {"2026-10-21"};
    CHECK(error_of(nowhere) == "recurrence.skip");
    auto all_skipped = weekly(2);
    all_skipped.skip = {"2026-10-20", "2026-10-27"};
    CHECK(error_of(all_skipped) == "recurrence.skip");
    recurrence monthly;
    monthly.frequency = frequency::monthly;
    monthly.month_day = 15;
    monthly.count = 2;
    CHECK(error_of(monthly) == "start");  // the 20th is not the 15th
    recurrence neither;
    neither.frequency = frequency::monthly;
    neither.count = 2;
    CHECK(error_of(neither) == "recurrence.month_day");
}

TEST_CASE("each occurrence is checked on its own: all or nothing, or what is free", "[series]") {
    world w;
    // LLV holds Tuesday 17 November 2026 in the morning.
    REQUIRE(w.run(request_reservation{"meeting-room",
                                      at("2026-11-17T09:00:00+01:00"),
                                      at("2026-11-17T12:00:00+01:00"),
                                      "",
                                      8,
                                      "llv",
                                      "Conseil",
                                      {}},
                  w.llv_admin)
                .ok());
    auto rule = weekly(6);
    rule.skip = {"2026-11-10"};
    // Tuesdays 10:00-12:00 from 27 October: the 17th is taken.
    auto all = w.run(series_request("2026-10-27T10:00:00+01:00", "2026-10-27T12:00:00+01:00", rule),
                     w.artois);
    REQUIRE(all.refused);
    CHECK(code(all) == "series-refused");
    CHECK(all.refused->detail.find("1 of the series' 5 dates") == 0);
    CHECK(w.s.series.empty());

    auto some =
        w.run(series_request("2026-10-27T10:00:00+01:00", "2026-10-27T12:00:00+01:00", rule, false),
              w.artois);
    REQUIRE(some.ok());
    const auto& sr = series_of(some).value;
    REQUIRE(sr.occurrences.size() == 6);
    CHECK(sr.occurrences[2].skipped);
    CHECK(sr.occurrences[3].code == "slot-taken");
    CHECK(sr.occurrences[3].reservation.empty());
    int made = 0;
    for (const auto& o : sr.occurrences)
        if (!o.reservation.empty()) {
            ++made;
            const auto& r = w.s.reservations.at(o.reservation);
            CHECK(r.series == sr.id);
            CHECK(r.status == reservation_status::pending);
        }
    CHECK(made == 4);
    // Four free meeting-room bookings a year: these four hold them all.
    CHECK(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2026}).held == 4);
    CHECK(w.s.series.at(sr.id) == sr);
    CHECK(replay(w.journal) == w.s);

    // A series none of whose dates can be booked is refused as its one refusal says.
    auto closed = w.run(
        series_request("2026-11-01T10:00:00+01:00", "2026-11-01T12:00:00+01:00", weekly(1), false),
        w.artois);
    CHECK(code(closed) == "closed");
}

TEST_CASE("a series across two years counts each occurrence against its own year", "[series]") {
    world w;
    // Tuesdays from 24 November 2026: six in 2026 (four free, two billed), two in 2027 (free).
    auto d =
        w.run(series_request("2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00", weekly(8)),
              w.artois);
    REQUIRE(d.ok());
    std::vector<bool> free;
    std::vector<int> years;
    for (const auto& o : series_of(d).value.occurrences) {
        const auto& r = w.s.reservations.at(o.reservation);
        free.push_back(r.quote.free);
        years.push_back(r.year);
    }
    CHECK(free == std::vector<bool>{true, true, true, true, false, false, true, true});
    CHECK(years == std::vector<int>{2026, 2026, 2026, 2026, 2026, 2026, 2027, 2027});
    CHECK(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2026}).held == 4);
    CHECK(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2027}).held == 2);
}

TEST_CASE("approval, refusal and cancellation of one occurrence, the following ones, or all",
          "[series]") {
    world w;
    auto d =
        w.run(series_request("2026-10-20T10:00:00+02:00", "2026-10-20T12:00:00+02:00", weekly(5)),
              w.artois);
    REQUIRE(d.ok());
    std::vector<std::string> ids;
    for (const auto& o : series_of(d).value.occurrences) ids.push_back(o.reservation);
    auto status = [&](int i) { return w.s.reservations.at(ids[i]).status; };

    REQUIRE(w.run(approve_reservation{ids[0]}, w.llv_admin).ok());
    CHECK(status(1) == reservation_status::pending);
    CHECK(code(w.run(approve_reservation{ids[1], series_scope::all}, w.artois)) == "forbidden");
    auto rest = w.run(approve_reservation{ids[1], series_scope::all}, w.llv_admin);
    REQUIRE(rest.ok());
    CHECK(rest.facts.size() == 4);  // the pending ones only
    for (int i = 0; i < 5; ++i) CHECK(status(i) == reservation_status::approved);
    CHECK(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2026}).used == 4);

    // Somebody waits for the fourth date; the series is cancelled from the third on, once the
    // first is over: the first two stay, the waiting request gets its period.
    auto waiting = request_reservation{"meeting-room",
                                       at("2026-11-03T10:00:00+01:00"),
                                       at("2026-11-03T11:00:00+01:00"),
                                       "",
                                       8,
                                       "llv",
                                       "Atelier",
                                       {}};
    waiting.wait = true;
    auto waits = w.run(waiting, w.llv_admin);
    REQUIRE(waits.ok());
    const auto waiting_id = world::id_of(waits);
    w.now = at("2026-10-21T08:00:00Z");
    auto cut = w.run(cancel_reservation{ids[2], "Fin du cours", series_scope::following}, w.artois);
    REQUIRE(cut.ok());
    CHECK(status(0) == reservation_status::approved);
    CHECK(status(1) == reservation_status::approved);
    for (int i = 2; i < 5; ++i) CHECK(status(i) == reservation_status::cancelled);
    CHECK(w.s.reservations.at(waiting_id).status == reservation_status::pending);
    // The free units of the third and fourth come back (the fifth was billed).
    CHECK(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2026}).used == 2);
    // Cancelling "all" now touches the second only: the first is over.
    auto rest_all = w.run(cancel_reservation{ids[4], "", series_scope::all}, w.artois);
    REQUIRE(rest_all.ok());
    CHECK(status(0) == reservation_status::approved);
    CHECK(status(1) == reservation_status::cancelled);
    CHECK(w.s.allowances.at({"artois-llv-2026", "meeting-room", 2026}).used == 1);
    CHECK(code(w.run(cancel_reservation{ids[0], "", series_scope::all}, w.artois)) ==
          "already-ended");
    CHECK(replay(w.journal) == w.s);
}
