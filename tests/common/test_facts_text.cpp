// A fact's body as the journal stores it, written as text (common/facts_text.hpp), is byte for
// byte its document's dump, over every shape a reservation takes (shapes.hpp), and refuses
// what the document refuses.

#include "shapes.hpp"

#include "common/facts_text.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

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
        auto counted = r;  // every counter distinct, so that none is written for another
        counted.quote.allowance = allowance_view{2031, 11, 12, 13, 14};
        counted.quote.hours = hours_view{2032, 21, 22, 23, 24};
        counted.quote.total_cents = 31;
        counted.quote.lines = {{"rental", "a", 32}, {"service-fee", "b", 33}};
        counted.attendees = 41;
        counted.year = 42;
        counted.revision = 43;
        counted.rank = 44;
        counted.quota_minutes = 45;
        variants.push_back(counted);
    }
    int compared = 0, refused = 0;
    for (const auto& r : variants) {
        const fact_body body = reservation_requested{r};
        const auto dump = dumped(body);
        INFO(r.id << " " << r.title);
        if (dump) {
            const auto text = stored_body(body);
            CHECK(text == *dump);
            // Written as text, not handed to the document: every string said well-formed.
            const auto written = requested_text(r);
            REQUIRE(written);
            CHECK(*written == *dump);
            std::string quote;
            CHECK(append_quote(quote, r.quote));
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
    CHECK(compared >= 54);
    CHECK(refused >= 9);
}

TEST_CASE("a reservation request with one ill-formed string is refused as its document refuses it",
          "[facts]") {
    // Every string member of the stored form, found by walking its document (a member added
    // later is walked too), spoiled one at a time: the text must not write it with its bytes
    // replaced where the document's dump throws.
    world w;
    book_every_shape(w);
    auto base = w.s.reservations.begin()->second;
    base.equipment = {"micro", "écran"};
    base.series = "s-1";
    REQUIRE(base.quote.lines.size() >= 2);
    const json doc = to_json(fact_body{reservation_requested{base}});
    const std::string bad = "ok \xC3\x28 ok";
    std::set<std::string> spoiled;
    const json flat = doc.flatten();
    for (const auto& [path, leaf] : flat.items()) {
        if (!leaf.is_string()) continue;
        json j = doc;
        j[json::json_pointer(path)] = bad;
        std::optional<fact_body> body;
        try {
            body = fact_body_from_json(j);
        } catch (const std::exception&) {
            continue;  // not free text: an instant, a name from a list, the type
        }
        if (dumped(*body)) continue;  // a constant the reader does not keep: the currency
        INFO(path);
        CHECK_THROWS(stored_body(*body));
        CHECK_FALSE(requested_text(std::get<reservation_requested>(*body).value));
        spoiled.insert(path);
    }
    // The reservation's nine strings, two equipment items, the quote's agreement and its
    // lines' kinds and labels.
    CHECK(spoiled.size() >= 12 + 2 * base.quote.lines.size());
    CHECK(spoiled.count("/title") == 1);
    CHECK(spoiled.count("/quote/lines/1/label") == 1);
}
