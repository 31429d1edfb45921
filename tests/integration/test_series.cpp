// Series of reservations through the real creneau (docs/domain.md, "Series"): a weekly series
// across the October change, with a skipped date, a moved one and a taken one; all or nothing
// refused with each date's outcome; what is free booked; decisions on the rest of the series;
// and the organisation's feed read back, recurrences expanded, by python3-recurring-ical-events.

#include "support/ical_readers.hpp"
#include "support/site.hpp"

#include <catch2/catch.hpp>

using namespace creneau::test;
using nlohmann::json;

namespace {

// Tuesdays 10:00-12:00 in Paris from 19 October 2027 (summer time ends on the 31st), six
// dates: the 2 November skipped, the 9th moved to Wednesday the 10th at 14:00.
json tuesdays(const std::string& mode) {
    auto b = booking("meeting-room", "2027-10-19T10:00:00+02:00", "2027-10-19T12:00:00+02:00", 6,
                     "", "Cours de master");
    b["recurrence"] = {{"frequency", "weekly"},
                       {"weekdays", {2}},
                       {"count", 6},
                       {"skip", {"2027-11-02"}},
                       {"moves",
                        {{{"date", "2027-11-09"},
                          {"start", "2027-11-10T14:00:00+01:00"},
                          {"end", "2027-11-10T16:00:00+01:00"}}}}};
    if (!mode.empty()) b["mode"] = mode;
    return b;
}

std::vector<std::string> field_of(const json& occurrences, const char* name) {
    std::vector<std::string> out;
    for (const auto& o : occurrences) out.push_back(o[name].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("series: each date checked on its own, all or nothing or what is free, and its feed",
          "[series]") {
    site s;
    // LLV holds the 16th.
    REQUIRE(
        s.admin
            .post("/api/reservations", booking("meeting-room", "2027-11-16T09:00:00+01:00",
                                               "2027-11-16T11:00:00+01:00", 8, "", "Conseil LLV"))
            .status == 201);

    // The preview says what each date would be.
    auto preview = s.artois.post("/api/series/preview", tuesdays(""));
    REQUIRE(preview.status == 200);
    const auto previewed = preview.json();
    const auto& dates = previewed["occurrences"];
    CHECK(field_of(dates, "date") == std::vector<std::string>{"2027-10-19", "2027-10-26",
                                                              "2027-11-02", "2027-11-09",
                                                              "2027-11-16", "2027-11-23"});
    CHECK(field_of(dates, "status") == std::vector<std::string>{"pending", "pending", "skipped",
                                                                "pending", "not-booked",
                                                                "pending"});
    CHECK(field_of(dates, "start") ==
          std::vector<std::string>{"2027-10-19T08:00:00Z", "2027-10-26T08:00:00Z",
                                   "2027-11-02T09:00:00Z", "2027-11-10T13:00:00Z",
                                   "2027-11-16T09:00:00Z", "2027-11-23T09:00:00Z"});
    CHECK(dates[4]["code"] == "slot-taken");
    CHECK(dates[0]["quote"]["free"] == true);
    CHECK(s.artois.get("/api/reservations?status=pending").json().empty());  // nothing booked

    // All or nothing (the default): refused, saying which date and why.
    auto all = s.artois.post("/api/series", tuesdays(""));
    REQUIRE(all.status == 409);
    CHECK(all.json()["code"] == "series-refused");
    REQUIRE(all.json()["occurrences"].size() == 6);
    CHECK(all.json()["occurrences"][4]["code"] == "slot-taken");
    CHECK(s.artois.get("/api/reservations").json().empty());

    // What is free: four dates booked, each a reservation of its own in the series.
    auto some = s.artois.post("/api/series", tuesdays("book-free"));
    REQUIRE(some.status == 201);
    const auto id = some.json()["id"].get<std::string>();
    CHECK(some.header("location") == "/api/series/" + id);
    CHECK(some.json()["mode"] == "book-free");
    CHECK(field_of(some.json()["occurrences"], "status") ==
          std::vector<std::string>{"pending", "pending", "skipped", "pending", "not-booked",
                                   "pending"});
    auto mine = s.artois.get("/api/reservations?series=" + id).json();
    REQUIRE(mine.size() == 4);
    for (const auto& r : mine) CHECK(r["series"] == id);
    CHECK(s.artois.get("/api/series/" + id).status == 200);
    CHECK(s.admin.get("/api/series/" + id).status == 200);
    CHECK(s.lille.get("/api/series/" + id).status == 404);
    CHECK(s.anonymous.get("/api/series/" + id).status == 401);
    // The calendar shows its dates as a series' to those who see them; to nobody else.
    const std::string week =
        "/api/availability?resource=meeting-room&from=2027-10-18T00:00:00Z&to=2027-10-25T00:00:00Z";
    auto visible = s.artois.get(week).json()["busy"];
    REQUIRE(visible.size() == 1);
    CHECK(visible[0]["series"] == id);
    auto hidden = s.anonymous.get(week).json()["busy"];
    REQUIRE(hidden.size() == 1);
    CHECK_FALSE(hidden[0].contains("series"));

    // LLV approves the whole series from one of its dates.
    const auto second = mine[1]["id"].get<std::string>();
    CHECK(s.artois.post("/api/reservations/" + second + "/approve", {{"scope", "all"}}).status ==
          403);
    CHECK(s.admin.post("/api/reservations/" + second + "/approve", {{"scope", "some"}}).status ==
          400);
    REQUIRE(s.admin.post("/api/reservations/" + second + "/approve", {{"scope", "all"}}).status ==
            200);
    for (const auto& r : s.artois.get("/api/reservations?series=" + id).json())
        CHECK(r["status"] == "approved");

    // The organisation's feed holds the series as one recurring event: expanded by
    // python3-recurring-ical-events, its dates are those booked, at 10:00 in Paris before and
    // after the change, and the moved one.
    auto feed = s.artois.post("/api/calendar-feeds").json();
    auto ics = s.anonymous.get(feed["url"].get<std::string>()).body;
    CHECK(ics.find("RRULE:FREQ=WEEKLY;BYDAY=TU;WKST=MO;COUNT=6") != std::string::npos);
    std::string log;
    auto seen = expand_ical(ics, "2027-10-01T00:00:00Z", "2027-12-31T00:00:00Z", log);
    INFO(log);
    REQUIRE(seen.size() == 4);
    std::vector<std::string> starts;
    for (const auto& o : seen) {
        CHECK(o.uid == id + "@creneau");
        CHECK(o.status == "CONFIRMED");
        starts.push_back(o.start);
    }
    CHECK(starts == std::vector<std::string>{"2027-10-19T08:00:00Z", "2027-10-26T08:00:00Z",
                                             "2027-11-10T13:00:00Z", "2027-11-23T09:00:00Z"});
    CHECK(seen[2].end == "2027-11-10T15:00:00Z");
    CHECK(read_ical(ics).ok);

    // The course stops after October: the rest of the series is cancelled from the moved date.
    const auto moved = mine[2]["id"].get<std::string>();
    REQUIRE(s.artois
                .post("/api/reservations/" + moved + "/cancel",
                      {{"reason", "Fin du cours"}, {"scope", "following"}})
                .status == 200);
    auto after = s.artois.get("/api/reservations?series=" + id).json();
    CHECK(field_of(after, "status") ==
          std::vector<std::string>{"approved", "approved", "cancelled", "cancelled"});
    seen = expand_ical(s.anonymous.get(feed["url"].get<std::string>()).body, "2027-10-01T00:00:00Z",
                       "2027-12-31T00:00:00Z", log);
    CHECK(seen.size() == 2);

    // A rule that cannot be: said at its field.
    auto bad = tuesdays("");
    bad["recurrence"]["count"] = 105;
    auto refused = s.artois.post("/api/series", bad);
    CHECK(refused.status == 400);
    CHECK(refused.json()["field"] == "recurrence.count");
    bad["recurrence"] = {{"frequency", "yearly"}, {"count", 2}};
    CHECK(s.artois.post("/api/series", bad).json()["field"] == "recurrence.frequency");
    bad["recurrence"] = {{"frequency", "weekly"}, {"count", 2}, {"weekdays", {2, 9}}};
    CHECK(s.artois.post("/api/series", bad).json()["field"] == "recurrence.weekdays");
    bad["recurrence"] = "weekly";
    CHECK(s.artois.post("/api/series", bad).json()["field"] == "recurrence");
}
