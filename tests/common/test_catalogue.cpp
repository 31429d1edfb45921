// The default catalogue encodes docs/domain.md; malformed or inconsistent catalogues are refused
// with the file, the place and the problem.

#include "world.hpp"

#include <catch2/catch.hpp>

using namespace creneau;
using namespace creneau::test;
using nlohmann::json;

TEST_CASE("the default catalogue encodes LLV's rooms and the Artois-LLV agreement (art. 5, 6, 10)",
          "[catalogue]") {
    world w;
    for (const char* id : {"atrium", "event-room", "meeting-room", "museolab", "coworking"})
        CHECK(w.s.resources.count(id));
    for (const char* id : {"llv", "univ-artois", "ville-lille", "univ-lille"})
        CHECK(w.s.organisations.count(id));
    const auto& ev = w.s.resources.at("event-room");
    REQUIRE(ev.find_layout("meeting"));
    CHECK(ev.find_layout("meeting")->capacity == 25);
    CHECK(ev.find_layout("plenary")->capacity == 40);
    CHECK(w.s.resources.at("meeting-room").layouts.at(0).capacity == 16);
    CHECK(w.s.resources.at("museolab").equipment.size() >= 15);

    const auto& a = w.s.agreements.at("artois-llv-2026");
    CHECK(a.provider == "llv");
    CHECK(a.beneficiary == "univ-artois");
    CHECK(a.valid_from == "2026-01-01");
    CHECK(a.valid_to == "2029-12-31");
    CHECK(a.resources.at("atrium").free_per_year == 2);
    CHECK(a.resources.at("event-room").free_per_year == 1);
    CHECK(a.resources.at("meeting-room").free_per_year == 4);
    CHECK(a.resources.at("museolab").hour_quota == 400);
    CHECK(a.resources.at("museolab").alert_percents == std::vector<int>{80, 100});
    CHECK(a.billed_as == member_category::founder_member);
    CHECK(a.approval_required);
    CHECK(w.s.tariffs.at(a.tariff_grid).example);

    const auto& lille = w.s.agreements.at("lille-ville-universite-2022");
    CHECK(lille.reciprocal);
    CHECK(lille.min_notice.months == 2);
}

namespace {

std::string load_error(const json& doc) {
    try {
        catalogue_facts(doc, "cat.json");
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("catalogue errors name the file, the place and the problem", "[catalogue]") {
    auto good = default_catalogue_json();
    CHECK(load_error(good) == "no error");

    auto unknown = good;
    unknown["agreements"][0]["resources"]["ballroom"] = {{"free_per_year", 1}};
    CHECK_THAT(load_error(unknown),
               Catch::StartsWith("cat.json: /agreements/0/resources/ballroom") &&
                   Catch::Contains("unknown resource 'ballroom'"));

    auto negative = good;
    negative["resources"][1]["layouts"][0]["capacity"] = -5;
    CHECK_THAT(
        load_error(negative),
        Catch::StartsWith("cat.json: /resources/1/layouts/0/capacity") && Catch::Contains("-5"));

    auto overlap = good;
    auto second = overlap["agreements"][0];
    second["id"] = "artois-llv-bis";
    second["valid_from"] = "2029-06-01";
    second["valid_to"] = "2031-12-31";
    overlap["agreements"].push_back(second);
    CHECK_THAT(load_error(overlap), Catch::StartsWith("cat.json: /agreements/2") &&
                                        Catch::Contains("already covers") &&
                                        Catch::Contains("artois-llv-2026"));

    auto wrong_type = good;
    wrong_type["resources"][0]["layouts"] = "big";
    CHECK_THAT(load_error(wrong_type), Catch::StartsWith("cat.json: /resources/0/layouts"));

    auto bad_time = good;
    bad_time["resources"][0]["hours"]["mon"] = json::array({json::array({"08:00", "25:00"})});
    CHECK_THAT(load_error(bad_time), Catch::StartsWith("cat.json: /resources/0/hours/mon/0/1"));

    auto bad_zone = good;
    bad_zone["sites"][0]["zone"] = "Europe/Lens";
    CHECK_THAT(load_error(bad_zone),
               Catch::Contains("/sites/0/zone") && Catch::Contains("Europe/Lens"));

    auto extra = good;
    extra["rooms"] = json::array();
    CHECK_THAT(load_error(extra), Catch::Contains("/rooms: unknown section"));

    CHECK_THAT(load_error(json::array()), Catch::Contains("a catalogue is a JSON object"));
}
