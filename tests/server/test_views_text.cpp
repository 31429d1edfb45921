// Answers written as text (docs/architecture.md, "Answers written as text") are byte for byte
// what dumping their documents gives: JSON strings whatever their bytes, a reservation as the
// API reads it and as a live message carries it, and a reservation request as the journal
// stores it, over every shape a reservation takes.
#include "server/api/views.hpp"

#include "common/facts_text.hpp"

#include "common/world.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace creneau;
using namespace creneau::server;
using namespace creneau::test;

namespace {

std::string dumped(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string written(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
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

// Every reservation of `s`, and variants of each: odd text in every string, unknown names,
// equipment, a series.
std::vector<reservation> shapes(const state& s) {
    std::vector<reservation> out;
    for (const auto& [id, r] : s.reservations) {
        out.push_back(r);
        auto odd = r;
        odd.title = "Réunion \"annuelle\" \\ \t\n\x01\x1f\x7f — 🎉";
        odd.reason = "ill-formed \xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80 \xE2\x82";
        odd.equipment = {"videoprojecteur", "micro \"HF\"", ""};
        odd.series = "s-1";
        odd.layout = "théâtre";
        for (auto& line : odd.quote.lines) line.label += " \"50 %\"\n\xFF";
        out.push_back(odd);
        auto unknown = r;
        unknown.organisation = "nobody\x02";
        unknown.requester = "u-gone";
        unknown.resource = "room-gone";
        out.push_back(unknown);
    }
    return out;
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
    for (const auto& s : samples) {
        std::string hex;
        for (unsigned char c : s)
            hex.append(1, "0123456789abcdef"[c >> 4]) += "0123456789abcdef"[c & 15];
        INFO("bytes: " << hex);
        REQUIRE(written(s) == dumped(json(s)));
    }
}

namespace {

// Reservations of every status: an allowance (Atrium, Artois), an hour quota (MuséoLab), the
// host's own booking, a room's waiting list with places, refusals and cancellations with
// reasons; names with odd text.
void book_every_shape(world& w) {
    const actor llv_member{"u-llv", role::member, "llv", false};
    CHECK(code(w.request(w.artois, "atrium", "2026-04-07T09:00:00+02:00",
                         "2026-04-07T12:00:00+02:00", 50)) == "ok");
    CHECK(code(w.request(w.artois, "museolab", "2026-04-14T09:00:00+02:00",
                         "2026-04-14T10:47:00+02:00", 2)) == "ok");
    CHECK(code(w.request(w.llv_admin, "event-room", "2026-04-08T09:00:00+02:00",
                         "2026-04-08T12:00:00+02:00", 20)) == "ok");
    struct ask {
        const char *start, *end, *org;
        actor who;
    };
    for (const auto& [start, end, org, who] :
         {ask{"2026-04-09T09:00:00+02:00", "2026-04-09T12:00:00+02:00", "llv", w.llv_admin},
          ask{"2026-04-09T09:00:00+02:00", "2026-04-09T10:00:00+02:00", "univ-artois", w.artois},
          ask{"2026-04-09T09:30:00+02:00", "2026-04-09T10:30:00+02:00", "llv", llv_member},
          ask{"2026-04-09T10:30:00+02:00", "2026-04-09T11:30:00+02:00", "univ-artois", w.artois}}) {
        request_reservation r{"meeting-room", at(start), at(end), "", 6, org, "Point d'étape", {}};
        r.wait = who.id != w.llv_admin.id;
        INFO(start << " for " << org);
        CHECK(code(w.run(r, who)) == "ok");
    }
    auto refused = world::id_of(
        w.request(w.artois, "atrium", "2026-05-05T09:00:00+02:00", "2026-05-05T12:00:00+02:00"));
    w.run(refuse_reservation{refused, "Salle en travaux \"B\""}, w.llv_admin);
    auto cancelled = world::id_of(w.request(w.artois, "meeting-room", "2026-05-06T09:00:00+02:00",
                                            "2026-05-06T10:00:00+02:00"));
    w.run(cancel_reservation{cancelled, "Annulé"}, w.artois);

    // Names with odd text too.
    w.s.organisations.at("univ-artois").name += " \"Artois\"\t\x01";
    user artois_staff;
    artois_staff.id = w.artois.id;
    artois_staff.name = "Camille \\ \xC3\xA9\xC0";
    w.s.users[artois_staff.id] = artois_staff;
    w.s.resources.at("meeting-room").name += " \n🎉";
}

}  // namespace

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

TEST_CASE("views: a reservation request is stored as its document's dump, byte for byte",
          "[views]") {
    world w;
    book_every_shape(w);
    int compared = 0, refused = 0;
    auto variants = shapes(w.s);
    for (const auto& r : shapes(w.s)) {
        auto kept = r;  // the odd text, well-formed: escaped, not refused
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
    for (const auto& r : variants) {
        const fact_body body = reservation_requested{r};
        std::optional<std::string> dump;
        try {
            dump = to_json(body).dump();
        } catch (const json::exception&) {
        }
        INFO(r.id << " " << r.title);
        if (dump) {
            CHECK(stored_body(body) == *dump);
            ++compared;
        } else {
            // What the document refuses to write (ill-formed UTF-8), the text refuses too.
            CHECK_THROWS(stored_body(body));
            ++refused;
        }
    }
    CHECK(compared >= 36);
    CHECK(refused >= 9);
    // The other facts are their documents' dumps.
    const fact_body approved = reservation_approved{"r-1", 30, true};
    CHECK(stored_body(approved) == to_json(approved).dump());
}
