// Answers written as text (docs/architecture.md, "Answers written as text") are byte for byte
// what dumping their documents gives: JSON strings whatever their bytes, and a reservation as
// the API reads it and as a live message carries it, over every shape a reservation takes
// (common/shapes.hpp).
#include "server/api/views.hpp"

#include "common/core/json_text.hpp"
#include "common/shapes.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using namespace creneau;
using namespace creneau::server;
using namespace creneau::test;

namespace {

std::string dumped(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The text, and whether it was written without replacing anything.
std::pair<std::string, bool> written(std::string_view s) {
    std::string out = "[";  // appended to what is already there
    const bool exact = append_json_string(out, s);
    return {out.substr(1), exact};
}

// Whether a document's strict dump takes the string (it throws on ill-formed UTF-8).
bool strict_dump_takes(const std::string& s) {
    try {
        (void)json(s).dump();
        return true;
    } catch (const json::exception&) {
        return false;
    }
}

// The reservation's document as the API built it before it was written as text: its members
// but its bookkeeping, with the names beside the ids and, waiting, its place among the
// requests waiting for its period. A live message's: without the room's name and the place,
// with the status of its fact.
json document_of(const state& s, const reservation& r, bool as_read, const char* status) {
    json j = r;
    j.erase("holds_unit");
    j.erase("rank");
    auto org = s.organisations.find(r.organisation);
    j["organisation_name"] = org == s.organisations.end() ? r.organisation : org->second.name;
    auto u = s.users.find(r.requester);
    j["requester_name"] = u == s.users.end() ? r.requester : u->second.name;
    if (status) j["status"] = status;
    if (!as_read) return j;
    auto res = s.resources.find(r.resource);
    j["resource_name"] = res == s.resources.end() ? r.resource : res->second.name;
    if (r.status == reservation_status::waiting && res != s.resources.end())
        if (auto w = s.room_waiting.find(r.resource); w != s.room_waiting.end()) {
            const auto before = res->second.setup_minutes;
            const auto after = res->second.cleanup_minutes;
            int place = 1;
            for (const auto& [rank, id] : w->second) {
                if (rank >= r.rank) break;
                const auto& x = s.reservations.at(id);
                if (x.start - before < r.end + after && r.start - before < x.end + after) ++place;
            }
            j["place"] = place;
        }
    return j;
}

}  // namespace

TEST_CASE("views: a JSON string is written as a document writes it, whatever its bytes",
          "[views]") {
    std::vector<std::string> samples = {"",
                                        "plain",
                                        "quote \" backslash \\ slash /",
                                        "é à ç — “” 🎉",
                                        "\x7f",
                                        "\xC3",
                                        "\xC0\xAF",
                                        "\xED\xA0\x80",
                                        "\xED\x9F\xBF",
                                        "\xF4\x8F\xBF\xBF",
                                        "\xF4\x90\x80\x80",
                                        "\xE0\x9F\x80",
                                        "\xF0\x8F\xBF\xBF",
                                        "\xFF\xFE",
                                        "a\xE2\x82",
                                        "\xE2\x82\xAC"};
    for (int c = 0; c < 0x20; ++c) samples.push_back(std::string(1, static_cast<char>(c)));
    // Short strings over an alphabet that favours the bytes where writers differ.
    // Every kind of lead byte (C0-C1, C2-DF, E0, E1-EC, ED, EE-EF, F0, F1-F3, F4, F5-FF) and of
    // continuation byte (80-8F, 90-9F, A0-BF) is among them.
    const std::string alphabet = std::string("a\"\\/\b\f\n\r\t\x01\x1f\x7f ") +
                                 "\x80\x8F\x90\x9F\xA0\xA9\xBF\xC0\xC1\xC2\xC3\xDF\xE0\xE1\xE2" +
                                 "\xEC\xED\xEE\xEF\xF0\xF1\xF3\xF4\xF5\xFF";
    std::mt19937 rng(18);
    for (int i = 0; i < 50000; ++i) {
        std::string s(rng() % 9, ' ');
        for (auto& ch : s) ch = alphabet[rng() % alphabet.size()];
        samples.push_back(s);
    }
    int ill_formed = 0, well_formed_beyond_ascii = 0;
    for (const auto& s : samples) {
        std::string hex;
        for (unsigned char c : s)
            hex.append(1, "0123456789abcdef"[c >> 4]) += "0123456789abcdef"[c & 15];
        INFO("bytes: " << hex);
        const auto [text, exact] = written(s);
        REQUIRE(text == dumped(json(s)));
        // Exact when, and only when, the strict dump the journal uses takes it too.
        REQUIRE(exact == strict_dump_takes(s));
        ill_formed += !exact;
        well_formed_beyond_ascii +=
            exact && std::any_of(s.begin(), s.end(), [](char c) { return c & 0x80; });
    }
    // Both kinds, in numbers (the alphabet's bytes make most of them ill-formed).
    CHECK(ill_formed > 10000);
    CHECK(well_formed_beyond_ascii > 200);
}

TEST_CASE("views: an object written as text says whether each of its strings was written exactly",
          "[views]") {
    const std::string bad = "ok \xC3\x28 ok";
    std::string out;
    object_text good(out);
    good.string("a", "é \"x\"");
    good.strings("b", {"micro", "écran"});
    good.close();
    CHECK(good.exact());
    CHECK(out == R"({"a":"é \"x\"","b":["micro","écran"]})");

    std::string one;
    object_text spoiled(one);
    spoiled.string("a", bad);
    spoiled.string("b", "fine");  // a good string after a bad one leaves it said
    spoiled.close();
    CHECK_FALSE(spoiled.exact());
    CHECK(one == dumped(json{{"a", bad}, {"b", "fine"}}));

    std::string list;
    object_text item(list);
    item.strings("a", {"fine", bad, "fine"});
    item.close();
    CHECK_FALSE(item.exact());
    CHECK(list == dumped(json{{"a", {"fine", bad, "fine"}}}));
}

TEST_CASE("views: a reservation written as text is its document's dump, byte for byte", "[views]") {
    world w;
    book_every_shape(w);

    std::set<reservation_status> seen;
    int places = 0;
    for (const auto& r : shapes(w.s)) {
        seen.insert(r.status);
        const auto text = reservation_view_text(w.s, r);
        const auto parsed = json::parse(text, nullptr, false);
        INFO(text);
        REQUIRE(!parsed.is_discarded());
        places += parsed.contains("place");
        CHECK(parsed.contains("place") ==
              (r.status == reservation_status::waiting && w.s.resources.count(r.resource) > 0));
        CHECK(text == dumped(document_of(w.s, r, true, nullptr)));
        // As a live message carries it, with the status of its fact.
        for (const char* status : {"pending", "waiting"}) {
            std::string live;
            append_reservation(live, w.s, r, {false, status});
            CHECK(live == dumped(document_of(w.s, r, false, status)));
        }
    }
    CHECK(seen.size() >= 4);  // pending, approved, refused, cancelled, waiting
    CHECK(places >= 3);
    CHECK(w.s.reservations.size() >= 9);
}
