// Facts are versioned JSON: every kind round-trips, and facts of the first version load.

#include "world.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace creneau;
using namespace creneau::test;

TEST_CASE("every kind of fact round-trips through JSON", "[facts]") {
    world w;
    w.now = at("2026-03-02T08:00:00Z");
    auto a = w.request(w.artois, "museolab", "2026-04-14T09:00:00+02:00", "2026-04-14T10:00:00+02:00", 2, "", "",
                       {"artec-leo"});
    REQUIRE(w.run(approve_reservation{world::id_of(a)}, w.llv_admin).ok());
    auto b = w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00", "2026-04-14T10:00:00+02:00");
    REQUIRE(w.run(refuse_reservation{world::id_of(b), "Occupée"}, w.llv_admin).ok());
    auto c = w.request(w.artois, "meeting-room", "2026-04-15T09:00:00+02:00", "2026-04-15T10:00:00+02:00");
    REQUIRE(w.run(cancel_reservation{world::id_of(c), "Plus besoin"}, w.artois).ok());
    w.append(user_added{{"u1", "a@b.fr", "Ada", role::organiser, "univ-artois", "$argon2id$x"}});
    w.append(quota_alert_raised{"artois-llv-2026", "museolab", 2026, 80, 19200, 24000});
    w.append(session_opened{"abc123", "u1", at("2026-03-03T08:00:00Z")});
    w.append(session_closed{"abc123"});
    w.append(calendar_feed_issued{"univ-artois", "def456"});

    std::set<std::string> kinds;
    for (const auto& f : w.journal) {
        kinds.insert(std::string(type_of(f.body)));
        auto text = to_json(f).dump();
        auto back = fact_from_json(nlohmann::json::parse(text));
        INFO(text);
        CHECK(back == f);
    }
    CHECK(kinds.size() == std::variant_size_v<fact_body>);
    CHECK(replay(w.journal) == w.s);
}

TEST_CASE("facts written in the first version still load", "[facts]") {
    std::ifstream in(std::string(CRENEAU_SOURCE_DIR) + "/tests/common/data/facts-v1.jsonl");
    REQUIRE(in);
    std::vector<fact> facts;
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) facts.push_back(fact_from_json(nlohmann::json::parse(line)));
    REQUIRE(facts.size() >= 10);
    auto s = replay(facts);
    const auto& r = s.reservations.at("r1");
    CHECK(r.status == reservation_status::approved);
    CHECK(r.offer.free);
    CHECK(s.allowances.at(counter_key{"artois-llv-2026", "atrium", 2026}).used == 1);
}

TEST_CASE("a fact of an unknown type or a newer version is refused with a message", "[facts]") {
    using nlohmann::json;
    CHECK_THROWS_WITH(fact_body_from_json(json{{"v", 1}, {"type", "room-painted"}}),
                      Catch::Contains("unknown fact type 'room-painted'"));
    CHECK_THROWS_WITH(fact_body_from_json(json{{"v", 99}, {"type", "reservation-approved"}, {"id", "r1"}}),
                      Catch::Contains("version 99"));
    CHECK_THROWS_WITH(fact_body_from_json(json{{"v", 1}, {"type", "reservation-refused"}}),
                      Catch::Contains("/id: missing"));
}
