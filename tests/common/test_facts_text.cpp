// A fact's body as the journal stores it, written as text (common/facts_text.hpp), is byte for
// byte its document's dump, over every shape a reservation takes (shapes.hpp), and refuses
// what the document refuses.

#include "shapes.hpp"

#include "common/facts_text.hpp"

#include <catch2/catch.hpp>

#include <functional>

using namespace creneau;
using namespace creneau::test;

namespace {

std::optional<std::string> dumped(const fact_body& body) {
    try {
        return to_json(body).dump();
    } catch (const json::exception&) {
        return std::nullopt;  // a string that is not well-formed UTF-8
    }
}

}  // namespace

TEST_CASE("a reservation request is stored as its document's dump, byte for byte", "[facts]") {
    world w;
    book_every_shape(w);
    const auto every = shapes(w.s);
    auto variants = every;
    for (const auto& r : every) {
        auto kept = r;  // odd text, well-formed: escaped, not refused; other counters
        kept.reason = "ill-formed no more: \xC3\xA9 \"x\" \x7f";
        for (auto& line : kept.quote.lines) line.label = "Tarif \"membre fondateur\"\n";
        kept.holds_unit = !r.holds_unit;
        kept.rank = r.rank + 1234567890123;
        kept.quota_minutes = -r.quota_minutes - 1;
        kept.quote.hours.reset();
        kept.quote.allowance.reset();
        kept.quote.agreement.clear();
        variants.push_back(kept);
    }
    int compared = 0, refused = 0;
    for (const auto& r : variants) {
        const fact_body body = reservation_requested{r};
        const auto dump = dumped(body);
        INFO(r.id << " " << r.title);
        if (dump) {
            const auto text = stored_body(body);
            CHECK(text == *dump);
            auto stored = r;  // read back: all but the history, which the facts fold
            stored.history.clear();
            CHECK(fact_body_from_json(json::parse(text)) ==
                  fact_body{reservation_requested{stored}});
            ++compared;
        } else {
            CHECK_THROWS(stored_body(body));
            ++refused;
        }
    }
    CHECK(compared >= 36);
    CHECK(refused >= 9);
}

TEST_CASE("a reservation request with one ill-formed string is refused as its document refuses it",
          "[facts]") {
    // Every string the stored form holds, one at a time: the text must not write it with its
    // bytes replaced where the document's dump throws.
    world w;
    book_every_shape(w);
    auto base = w.s.reservations.begin()->second;
    base.equipment = {"micro", "écran"};
    base.series = "s-1";
    REQUIRE(!base.quote.lines.empty());
    REQUIRE(dumped(reservation_requested{base}));
    const std::string bad = "ok \xC3\x28 ok";
    const std::vector<std::pair<const char*, std::function<void(reservation&)>>> members = {
        {"id", [&](reservation& r) { r.id = bad; }},
        {"resource", [&](reservation& r) { r.resource = bad; }},
        {"layout", [&](reservation& r) { r.layout = bad; }},
        {"organisation", [&](reservation& r) { r.organisation = bad; }},
        {"requester", [&](reservation& r) { r.requester = bad; }},
        {"title", [&](reservation& r) { r.title = bad; }},
        {"reason", [&](reservation& r) { r.reason = bad; }},
        {"agreement", [&](reservation& r) { r.agreement = bad; }},
        {"series", [&](reservation& r) { r.series = bad; }},
        {"equipment", [&](reservation& r) { r.equipment.back() = bad; }},
        {"quote.agreement", [&](reservation& r) { r.quote.agreement = bad; }},
        {"quote line kind", [&](reservation& r) { r.quote.lines.back().kind = bad; }},
        {"quote line label", [&](reservation& r) { r.quote.lines.front().label = bad; }},
    };
    for (const auto& [name, spoil] : members) {
        auto r = base;
        spoil(r);
        const fact_body body = reservation_requested{r};
        INFO(name);
        CHECK_FALSE(dumped(body));
        CHECK_THROWS(stored_body(body));
    }
}

TEST_CASE("the other facts are stored as their documents' dumps", "[facts]") {
    const std::vector<fact_body> bodies = {
        reservation_approved{"r-1", 30, true},
        reservation_refused{"r-2", "Salle \"B\" en travaux\n"},
        reservation_cancelled{"r-3", "", true},
    };
    for (const auto& body : bodies) {
        const auto text = stored_body(body);
        CHECK(fact_body_from_json(json::parse(text)) == body);
        CHECK(json::parse(text) == to_json(body));
    }
}
