#include "common/core/time.hpp"

#include <date/date.h>
#include <catch2/catch.hpp>

#include <random>

using namespace creneau;

TEST_CASE("RFC 3339 instants with an offset are read as UTC", "[time]") {
    auto a = parse_rfc3339("2026-03-01T09:00:00+01:00");
    auto b = parse_rfc3339("2026-03-01T08:00:00Z");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(*a == *b);
    CHECK(format_utc(*a) == "2026-03-01T08:00:00Z");
    CHECK(parse_rfc3339("2026-03-01T08:00:00.250Z") == b);
    CHECK(parse_rfc3339("2026-03-01T03:00:00-05:00") == b);
}

TEST_CASE("an offset may not carry an instant past the years RFC 3339 writes", "[time]") {
    // Found by fuzzing: this parsed to 10000-01-01T23:58:59Z, which no RFC 3339 text can say.
    CHECK_FALSE(parse_rfc3339("9999-12-31t23:59:59-23:59"));
    CHECK_FALSE(parse_rfc3339("0001-01-01T00:00:00+00:01"));
    CHECK(parse_rfc3339("9999-12-31T23:59:59Z"));
    CHECK(parse_rfc3339("0001-01-01T00:00:00Z"));
}

TEST_CASE("malformed or impossible instants are refused", "[time]") {
    for (const char* bad :
         {"", "2026-03-01", "2026-03-01T08:00:00", "2026-02-30T08:00:00Z", "2026-13-01T08:00:00Z",
          "2026-03-01T24:00:00Z", "2026-03-01T08:00:00+1:00", "2026-03-01T08:00:00Zjunk",
          "2026-03-01T08:60:00Z", "not a date at all, no"}) {
        INFO(bad);
        CHECK_FALSE(parse_rfc3339(bad));
    }
}

TEST_CASE("instants are written with the zone's offset, summer time included", "[time]") {
    auto winter = *parse_rfc3339("2026-01-15T09:00:00Z");
    auto summer = *parse_rfc3339("2026-07-15T09:00:00Z");
    CHECK(format_in_zone(winter, "Europe/Paris") == "2026-01-15T10:00:00+01:00");
    CHECK(format_in_zone(summer, "Europe/Paris") == "2026-07-15T11:00:00+02:00");
}

TEST_CASE("the year of an instant depends on the zone", "[time]") {
    // 23:30 UTC on New Year's Eve is already the next year in Paris (docs/domain.md, "Time").
    auto t = *parse_rfc3339("2026-12-31T23:30:00Z");
    CHECK(year_in_zone(t, "UTC") == 2026);
    CHECK(year_in_zone(t, "Europe/Paris") == 2027);
    CHECK(known_zone("Europe/Paris"));
    CHECK_FALSE(known_zone("Europe/Atlantis"));
}

TEST_CASE("instants are written in UTC as the calendar library writes them", "[time]") {
    // format_utc writes its digits by hand; date::format is the reference.
    auto reference = [](instant t) { return date::format("%Y-%m-%dT%H:%M:%SZ", t); };
    const auto first = date::sys_days{date::year{0} / 1 / 1};
    const auto last = date::sys_days{date::year{10001} / 1 / 1};
    std::vector<instant> cases = {
        instant{},  // 1970-01-01T00:00:00Z
        instant{} - std::chrono::seconds(1),
        instant{first},
        instant{date::sys_days{date::year{10000} / 1 / 1}} - std::chrono::seconds(1),
        instant{date::sys_days{date::year{10000} / 1 / 1}},
        instant{date::sys_days{date::year{2028} / 2 / 29}} + std::chrono::seconds(86399),
        *parse_rfc3339("2026-03-29T01:00:00Z"),
    };
    std::mt19937_64 rng(20261204);
    const auto span = static_cast<std::int64_t>((last - first).count()) * 86400;
    std::uniform_int_distribution<std::int64_t> any(0, span - 1);
    std::uniform_int_distribution<std::int64_t> near(-86400LL * 800, 86400LL * 40000);
    for (int i = 0; i < 100000; ++i) {
        cases.push_back(instant{first} + std::chrono::seconds(any(rng)));
        cases.push_back(instant{} + std::chrono::seconds(near(rng)));  // 1967 to 2079
    }
    for (auto t : cases) {
        INFO(t.time_since_epoch().count());
        REQUIRE(format_utc(t) == reference(t));
    }
    CHECK(format_utc(instant{}) == "1970-01-01T00:00:00Z");
    CHECK(format_utc(instant{first}) == "0000-01-01T00:00:00Z");
}
