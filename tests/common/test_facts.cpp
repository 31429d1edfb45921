// Facts are versioned JSON: every kind round-trips, and facts of the first version load.

#include "world.hpp"

#include "common/facts_text.hpp"
#include "common/state_codec.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

using namespace creneau;
using namespace creneau::test;

namespace {

// A journal with every kind of fact, as the round-trip test and the golden file make it.
world every_kind() {
    world w;
    w.now = at("2026-03-02T08:00:00Z");
    auto a = w.request(w.artois, "museolab", "2026-04-14T09:00:00+02:00",
                       "2026-04-14T10:00:00+02:00", 2, "", "", {"artec-leo"});
    REQUIRE(w.run(approve_reservation{world::id_of(a)}, w.llv_admin).ok());
    auto b = w.request(w.artois, "meeting-room", "2026-04-14T09:00:00+02:00",
                       "2026-04-14T10:00:00+02:00");
    REQUIRE(w.run(refuse_reservation{world::id_of(b), "Occupée"}, w.llv_admin).ok());
    auto c = w.request(w.artois, "meeting-room", "2026-04-15T09:00:00+02:00",
                       "2026-04-15T10:00:00+02:00");
    REQUIRE(w.run(cancel_reservation{world::id_of(c), "Plus besoin"}, w.artois).ok());
    w.append(user_added{{"u1", "a@b.fr", "Ada", role::organiser, "univ-artois", "$argon2id$x"}});
    w.append(quota_alert_raised{"artois-llv-2026", "museolab", 2026, 80, 19200, 24000});
    w.append(session_opened{"abc123", "u1", at("2026-03-03T08:00:00Z")});
    w.append(session_closed{"abc123"});
    w.append(calendar_feed_issued{"univ-artois", "def456"});
    event e;
    e.id = "jd-2027";
    e.kind = event_kind::job_dating;
    e.title = "Job Dating 2027";
    e.capacity = 100;
    e.opens = at("2026-01-01T00:00:00Z");
    e.closes = at("2027-03-01T00:00:00Z");
    e.questions = {{"course", "Formation", true}};
    e.day_start = at("2027-03-10T09:00:00+01:00");
    e.slots = 12;
    e.breaks = {6};
    w.append(event_defined{e});
    registration company{"g1",
                         "jd-2027",
                         "C0DE1",
                         "Start-up",
                         "",
                         "llv",
                         "",
                         {{"course", "-"}},
                         registration_status::registered,
                         at("2026-03-02T08:00:00Z"),
                         "company",
                         {},
                         {"g2"},
                         {},
                         6,
                         2,
                         0,
                         11,
                         false};
    registration student{"g2",
                         "jd-2027",
                         "C0DE2",
                         "Étudiante",
                         "e@univ-artois.fr",
                         "univ-artois",
                         "u1",
                         {{"course", "L3 Info"}},
                         registration_status::waiting,
                         at("2026-03-02T08:00:00Z"),
                         "student",
                         {"g1"},
                         {},
                         {},
                         4,
                         1,
                         2,
                         9,
                         false};
    w.append(registered{company});
    w.append(registered{student});
    w.append(wishes_changed{"g2", wishes{{"g1"}, {}, {}, 3, 1, 0, 9, ""}});
    w.append(registration_promoted{"g2"});
    w.append(waitlist_reordered{"jd-2027", {}});
    w.append(checked_in{"g2"});
    w.append(participation_changed{"g2", true});
    w.append(team_created{{"t1", "jd-2027", "Les Curieux", "TEAM1", {"g2"}, false}});
    w.append(team_joined{"t1", "g1"});
    w.append(team_left{"t1", "g1"});
    w.append(team_flagged{"t1", true});
    w.append(timetable_set{"jd-2027", {{{"g2", "g1", 3, 1, true}}, {}, true, 1}});
    w.append(registration_left{"g2"});
    w.append(request_recorded{"u1:key-1", "5f0c", 1});
    w.append(operator_designated{"llv"});
    w.append(account_link_issued{"u1", "0a1b", link_purpose::reset, at("2026-03-09T08:00:00Z")});
    w.append(password_set{"u1", "$argon2id$y", "0a1b", ""});
    w.append(user_changed{"u1", "Ada L.", role::member, "univ-artois", true});
    w.append(preferences_set{"u1", "en", {"quota-alert"}, true});
    w.append(personal_data_erased{"registration:g1", "request"});
    w.append(account_kept{"u1"});
    w.append(reservation_promoted{"r1"});
    quote again;
    again.free = true;
    again.total_cents = 4000;
    again.lines = {{"rental", "Location : gratuite", 0}, {"service-fee", "Frais", 4000}};
    again.allowance = allowance_view{2026, 4, 0, 2, 2};
    w.append(reservation_requoted{"r1", again, true});
    w.append(registration_resent{"g1"});
    w.append(room_waitlist_reordered{"meeting-room", {"r2", "r1"}});
    series sr;
    sr.id = "s1";
    sr.resource = "meeting-room";
    sr.rule.count = 2;
    sr.rule.moves = {{"2026-03-10", at("2026-03-12T09:00:00Z"), at("2026-03-12T10:00:00Z")}};
    sr.occurrences = {{"2026-03-03", at("2026-03-03T09:00:00Z"), at("2026-03-03T10:00:00Z"), false,
                       false, "r1", "", ""},
                      {"2026-03-10", at("2026-03-12T09:00:00Z"), at("2026-03-12T10:00:00Z"), false,
                       true, "", "slot-taken", "taken"}};
    w.append(series_requested{sr});
    window_request q;
    q.id = "w1";
    q.agreement = "lille-ville-universite-2022";
    q.organisation = "univ-lille";
    q.requester = "u1";
    q.title = "Concert";
    q.start = at("2026-06-12T16:00:00Z");
    q.end = at("2026-06-12T21:00:00Z");
    q.attendees = 120;
    q.kind = room_kind::reception;
    w.append(window_request_submitted{q});
    w.append(window_request_assigned{"w1", "r2"});
    w.append(window_request_declined{"w1", "Aucune salle"});
    w.append(window_request_withdrawn{"w1", "Reporté"});
    return w;
}

}  // namespace

TEST_CASE("every kind of fact round-trips through JSON", "[facts]") {
    auto w = every_kind();
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

TEST_CASE("every kind of fact is stored as its document's dump, byte for byte", "[facts]") {
    // The journal's form (common/facts_text.hpp): a reservation request and its approval written as
    // text, the others dumped, all of them the bytes the document prints.
    std::set<std::string> kinds;
    for (const auto& f : every_kind().journal) {
        kinds.insert(std::string(type_of(f.body)));
        INFO(type_of(f.body));
        CHECK(stored_body(f.body) == to_json(f.body).dump());
    }
    CHECK(kinds.size() == std::variant_size_v<fact_body>);
    // What the document refuses to write, the stored form refuses too.
    CHECK_THROWS(stored_body(reservation_refused{"r-2", "ok \xC3\x28 ok"}));
    CHECK_THROWS(stored_body(reservation_cancelled{"r-3", "\xFF", true}));
    CHECK_THROWS(stored_body(reservation_approved{"r-\xC3\x28", 0, false}));
    CHECK_FALSE(approved_text(reservation_approved{"r-\xC3\x28", 0, false}));
    // An approval, the other fact of a booking approved at once, in each of its shapes.
    for (const auto& a :
         {reservation_approved{"r-1", 0, false}, reservation_approved{"r-2", 90, true},
          reservation_approved{"r-\"é\\", -1, false}}) {
        const fact_body body = a;
        CHECK(approved_text(a) == to_json(body).dump());
        CHECK(stored_body(body) == to_json(body).dump());
    }
}

namespace {

// A golden journal of tests/common/data, read fact by fact.
std::vector<fact> golden_journal(const std::string& name) {
    std::ifstream in(std::string(CRENEAU_SOURCE_DIR) + "/tests/common/data/" + name);
    REQUIRE(in);
    std::vector<fact> facts;
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) facts.push_back(fact_from_json(json::parse(line)));
    return facts;
}

}  // namespace

TEST_CASE("facts written in the first version still load", "[facts]") {
    const auto facts = golden_journal("facts-v1.jsonl");
    REQUIRE(facts.size() >= 10);
    auto s = replay(facts);
    const auto& r = s.reservations.at("r1");
    CHECK(r.status == reservation_status::approved);
    CHECK(r.quote.free);
    CHECK(s.allowances.at(counter_key{"artois-llv-2026", "atrium", 2026}).used == 1);
}

// The journals every_kind() writes, committed as they were written (November and December
// 2026): the facts of each version must load in every version after it. When a new kind of
// fact is added (add it to every_kind() first), write a new one beside the others, never
// over them:
//   CRENEAU_GOLDEN=tests/common/data/facts-YYYY-MM.jsonl build/release/tests/creneau_common_tests
//   "[.golden]"
TEST_CASE("write the golden journal of today's facts", "[.golden]") {
    std::ofstream out(std::getenv("CRENEAU_GOLDEN"));
    REQUIRE(out);
    for (const auto& f : every_kind().journal) out << to_json(f).dump() << "\n";
}

TEST_CASE("facts written in November 2026 still load, into the same state", "[facts]") {
    const auto facts = golden_journal("facts-2026-11.jsonl");
    std::set<std::string> kinds;
    for (const auto& f : facts) kinds.insert(std::string(type_of(f.body)));
    CHECK(kinds.size() >= 28);  // every kind there was in November 2026
    auto s = replay(facts);
    CHECK(s.operator_org == "llv");
    CHECK(s.reservations.at("r1").status == reservation_status::approved);
    CHECK(s.reservations.at("r2").status == reservation_status::refused);
    CHECK(s.reservations.at("r3").status == reservation_status::cancelled);
    CHECK(s.quotas.at(counter_key{"artois-llv-2026", "museolab", 2026}).alerts.count(80) == 1);
    CHECK(s.registrations.at("g2").status == registration_status::left);
    CHECK(s.teams.at("t1").pepite);
    CHECK(s.timetables.at("jd-2027").meetings.size() == 1);
    CHECK(s.requests.count("u1:key-1") == 1);
    CHECK(s.users.at("u1").role == role::organiser);
}

TEST_CASE("facts written in December 2026 still load, into the same state", "[facts]") {
    const auto facts = golden_journal("facts-2026-12.jsonl");
    std::set<std::string> kinds;
    for (const auto& f : facts) kinds.insert(std::string(type_of(f.body)));
    CHECK(kinds.size() >= 32);  // every kind there was in December 2026
    CHECK(kinds.count("wishes-changed") == 1);
    auto s = replay(facts);
    CHECK(s.registrations.at("g2").max_meetings == 3);  // its wishes, changed
    CHECK(s.registrations.at("g2").last_slot == 9);
    CHECK(s.registrations.at("g2").status == registration_status::left);
}

TEST_CASE("facts written on 3 December 2026 still load, into the same state", "[facts]") {
    const auto facts = golden_journal("facts-2026-12-03.jsonl");
    std::set<std::string> kinds;
    for (const auto& f : facts) kinds.insert(std::string(type_of(f.body)));
    CHECK(kinds.size() >= 42);  // every kind there was on 3 December 2026
    auto s = replay(facts);
    CHECK(s.series.at("s1").occurrences.size() == 2);
    CHECK(s.window_requests.at("w1").status == window_status::withdrawn);
    CHECK(s.window_requests.at("w1").kind == room_kind::reception);
    CHECK(s.window_requests.at("w1").history.size() == 4);
}

TEST_CASE("facts written on 6 December 2026 still load, into the same state", "[facts]") {
    const auto facts = golden_journal("facts-2026-12-06.jsonl");
    std::set<std::string> kinds;
    for (const auto& f : facts) kinds.insert(std::string(type_of(f.body)));
    CHECK(kinds.size() >= 44);  // every kind there was on 6 December 2026
    auto s = replay(facts);
    CHECK(s.reservations.at("r1").history.back().action == "requoted");
    CHECK(s.resent.at("g1") == 1);
}

TEST_CASE("a fact of an unknown type or a newer version is refused with a message", "[facts]") {
    using nlohmann::json;
    CHECK_THROWS_WITH(fact_body_from_json(json{{"v", 1}, {"type", "room-painted"}}),
                      Catch::Contains("unknown fact type 'room-painted'"));
    CHECK_THROWS_WITH(
        fact_body_from_json(json{{"v", 99}, {"type", "reservation-approved"}, {"id", "r1"}}),
        Catch::Contains("version 99"));
    CHECK_THROWS_WITH(
        fact_body_from_json(json{{"v", 1}, {"type", "reservation-refused"}, {"id", 5}}),
        Catch::StartsWith("/id:"));
    CHECK_THROWS_WITH(
        fact_body_from_json(json{{"v", 1}, {"type", "registered"}, {"status", "emperor"}}),
        Catch::StartsWith("/status:") && Catch::Contains("emperor"));
    // A member an earlier version did not write takes its default.
    auto older =
        fact_body_from_json(json{{"v", 1}, {"type", "reservation-cancelled"}, {"id", "r1"}});
    CHECK(std::get<reservation_cancelled>(older) == reservation_cancelled{"r1", "", false});
}

TEST_CASE("a fact with a number that has a fraction or does not fit is refused, never read",
          "[facts]") {
    using nlohmann::json;
    // Journals are read from SQLite files and from Redis, which anyone with its password
    // can write to: a float where an integer goes must be refused, not converted (out of
    // range, converting is undefined).
    json quota{{"v", 1},           {"type", "quota-alert-raised"},
               {"agreement", "a"}, {"resource", "museolab"},
               {"year", 7.7e90},   {"threshold", 80}};
    CHECK_THROWS_WITH(fact_body_from_json(quota), Catch::StartsWith("/year:"));
    quota["year"] = 2026.5;
    CHECK_THROWS_WITH(fact_body_from_json(quota), Catch::StartsWith("/year:"));
    json stored{{"seq", 8.3e26},
                {"at", "2026-03-02T08:00:00Z"},
                {"actor", "u"},
                {"fact", {{"v", 1}, {"type", "reservation-approved"}, {"id", "r1"}}}};
    CHECK_THROWS_WITH(fact_from_json(stored), Catch::StartsWith("/seq:"));
    stored["seq"] = 3;
    CHECK(fact_from_json(stored).seq == 3);
}

TEST_CASE("a state written as a snapshot reads back equal, for every kind of fact", "[facts]") {
    std::vector<state> states{every_kind().s};
    for (const char* golden :
         {"facts-v1.jsonl", "facts-2026-11.jsonl", "facts-2026-12.jsonl", "facts-2026-12-03.jsonl"})
        states.push_back(replay(golden_journal(golden)));
    for (const auto& s : states) {
        auto bytes = encode_state(s);
        INFO("fact " << s.seq << ", " << bytes.size() << " bytes");
        CHECK(decode_state(bytes) == s);
        CHECK(encode_state(decode_state(bytes)) == bytes);
    }
    // Every part of the state is there to be written: a field left out of the snapshot would
    // come back empty and the comparisons above would fail.
    const auto& s = states.back();
    CHECK_FALSE(s.reservations.empty());
    CHECK_FALSE(s.reservations.begin()->second.history.empty());
    CHECK_FALSE(s.registrations.empty());
    CHECK_FALSE(s.teams.empty());
    CHECK_FALSE(s.timetables.empty());
    CHECK_FALSE(s.requests.empty());
    CHECK_FALSE(s.quotas.empty());
    CHECK_FALSE(s.audit.empty());
}

TEST_CASE("a snapshot cut short or with bytes after the state is refused, never read", "[facts]") {
    const auto bytes = encode_state(replay(golden_journal("facts-2026-12.jsonl")));
    // Every length short of the whole: each is refused with a message, none crashes.
    for (std::size_t n = 0; n < bytes.size(); n += 1 + n / 64) {
        INFO("first " << n << " of " << bytes.size() << " bytes");
        CHECK_THROWS_AS(decode_state(std::string_view(bytes).substr(0, n)), std::invalid_argument);
    }
    CHECK_THROWS_WITH(decode_state(bytes + "x"), Catch::Contains("bytes left"));
    // A length that claims more than there is.
    std::string lying = bytes;
    lying[15] = '\x7f';  // the operator organisation's length (after the sequence number)
    CHECK_THROWS_AS(decode_state(lying), std::invalid_argument);
}

TEST_CASE("the snapshot's list of each type's fields names as many as the type's JSON", "[facts]") {
    // A field added to a type's JSON but not to its snapshot list would come back empty from
    // every snapshot (common/state_codec.cpp); the types without JSON have size checks there.
    const auto counts = state_codec_fields();
    auto json_fields = [](const auto& v) { return nlohmann::json(v).size(); };
    const std::map<std::string, std::size_t> from_json = {
        {"site", json_fields(site{})},
        {"layout", json_fields(layout{})},
        {"closure", json_fields(closure{})},
        {"resource", json_fields(resource{})},
        {"organisation", json_fields(organisation{})},
        {"service_fee", json_fields(service_fee{})},
        {"tariff_grid", json_fields(tariff_grid{})},
        {"notice", json_fields(notice{})},
        {"agreement", json_fields(agreement{})},
        {"user", json_fields(user{})},
        {"audit_entry", json_fields(audit_entry{})},
        {"history_entry", json_fields(history_entry{})},
        {"allowance_view", json_fields(allowance_view{})},
        {"hours_view", json_fields(hours_view{})},
        {"quote_line", json_fields(quote_line{})},
        // The history is folded from the facts, never written with the reservation.
        {"reservation", json_fields(reservation{}) + 1},
        {"window_request", json_fields(window_request{}) + 1},
        {"event_question", json_fields(event_question{})},
        {"event", json_fields(event{})},
        {"registration", json_fields(registration{})},
        {"team", json_fields(team{})},
        {"meeting", json_fields(meeting{})},
        {"timetable", json_fields(timetable{})},
    };
    for (const auto& [type, n] : from_json) {
        INFO(type);
        REQUIRE(counts.count(type) == 1);
        CHECK(counts.at(type) == n);
    }
}
