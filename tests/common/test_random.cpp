// A seeded random walk of 100,000 commands across organisations, resources and years, with
// rooms' waiting lists, checking the ledger's invariants after every step
// (docs/architecture.md, "The ledger of facts").

#include "world.hpp"

#include "common/agreements/quote.hpp"
#include "common/state_codec.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace creneau;
using namespace creneau::test;

namespace {

// Independent bookkeeping of the occupied periods, per resource, kept from the facts alone.
struct occupancy {
    // occupied start → occupied end and reservation id
    std::map<std::string, std::map<instant, std::pair<instant, std::string>>> by_resource;

    bool overlaps(const std::string& r, period p) const {
        auto it = by_resource.find(r);
        if (it == by_resource.end()) return false;
        auto next = it->second.lower_bound(p.start);
        if (next != it->second.end() && next->first < p.end) return true;
        if (next != it->second.begin() && std::prev(next)->second.first > p.start) return true;
        return false;
    }

    // What a decision's facts change, read from the state after them.
    void follow(const state& s, const decision& d) {
        for (const auto& body : d.facts) {
            std::string id;
            bool takes = false;
            if (auto* x = std::get_if<reservation_requested>(&body)) {
                id = x->value.id;
                takes = x->value.status != reservation_status::waiting;
            } else if (auto* p = std::get_if<reservation_promoted>(&body)) {
                id = p->id;
                takes = true;
            } else if (auto* r = std::get_if<reservation_refused>(&body)) {
                id = r->id;
            } else if (auto* c = std::get_if<reservation_cancelled>(&body)) {
                id = c->id;
            } else {
                continue;
            }
            const auto& r = s.reservations.at(id);
            const auto& res = s.resources.at(r.resource);
            period p{r.start - res.setup_minutes, r.end + res.cleanup_minutes};
            auto& list = by_resource[r.resource];
            if (takes) {
                REQUIRE_FALSE(overlaps(r.resource, p));
                list[p.start] = {p.end, id};
            } else if (auto it = list.find(p.start); it != list.end() && it->second.second == id) {
                list.erase(it);
            }
        }
    }
};

// Eight more meeting rooms, so that the walk fills a calendar rather than saturating one.
std::vector<std::string> add_rooms(world& w) {
    std::vector<std::string> ids;
    auto artois = w.s.agreements.at("artois-llv-2026");
    for (int i = 1; i <= 8; ++i) {
        resource r = w.s.resources.at("meeting-room");
        r.id = numbered("room-", i);
        r.setup_minutes = minutes{5 * i};
        r.cleanup_minutes = minutes{10 * (i % 3)};
        REQUIRE(w.run(define_resource{r}, w.system).ok());
        artois.resources[r.id] = resource_terms{i % 4};
        ids.push_back(r.id);
    }
    REQUIRE(w.run(define_agreement{artois}, w.system).ok());
    return ids;
}

void add_partner_agreements(world& w) {
    agreement lille = w.s.agreements.at("artois-llv-2026");
    lille.id = "lille-llv";
    lille.beneficiary = "univ-lille";
    lille.billed_as = member_category::member;
    lille.resources = {{"atrium", {1}},
                       {"meeting-room", {2}},
                       {"event-room", {0}},
                       {"room-1", {1}},
                       {"room-2", {}}};
    REQUIRE(w.run(define_agreement{lille}, w.system).ok());
    agreement city = lille;
    city.id = "city-llv";
    city.beneficiary = "ville-lille";
    city.resources = {{"meeting-room", {3}},
                      {"museolab", resource_terms{std::nullopt, false, 20, {50, 100}}}};
    REQUIRE(w.run(define_agreement{city}, w.system).ok());
}

}  // namespace

TEST_CASE("random commands never break the invariants, and replay rebuilds the same state",
          "[random]") {
    world w;
    auto extra_rooms = add_rooms(w);
    add_partner_agreements(w);
    std::mt19937_64 rng(20260301);
    auto pick = [&](auto& v) -> auto& {
        return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
    };
    auto chance = [&](double p) { return std::uniform_real_distribution<>(0, 1)(rng) < p; };

    std::vector<actor> people = {w.artois, w.artois_organiser, w.lille, w.city, w.llv_admin};
    std::vector<std::string> rooms = {"atrium", "event-room", "meeting-room", "museolab",
                                      "coworking"};
    rooms.insert(rooms.end(), extra_rooms.begin(), extra_rooms.end());
    std::vector<std::string> ids;
    occupancy occ;
    std::map<std::string, int> refusals;
    int promotions = 0, waited = 0, series_made = 0;
    const instant horizon_start = w.now;
    const int steps = 100'000;

    for (int step = 0; step < steps; ++step) {
        int what = std::uniform_int_distribution<>(0, 99)(rng);
        decision d;
        if (what < 55) {
            const actor& who = pick(people);
            std::string room = pick(rooms);
            auto day = std::chrono::floor<std::chrono::days>(horizon_start) +
                       std::chrono::days(std::uniform_int_distribution<>(0, 3 * 365)(rng));
            instant start =
                day + std::chrono::minutes(15 * std::uniform_int_distribution<>(28, 68)(rng));
            instant end =
                start + std::chrono::minutes(15 * std::uniform_int_distribution<>(1, 16)(rng));
            std::string org =
                who.organisation == "llv" && chance(0.5) ? "univ-artois" : who.organisation;
            int attendees = chance(0.1) ? std::uniform_int_distribution<>(17, 45)(rng)
                                        : std::uniform_int_distribution<>(1, 16)(rng);
            std::string lay = room == "event-room" ? (chance(0.5) ? "meeting" : "plenary")
                              : room == "atrium"   ? (chance(0.95) ? "plenary" : "ballroom")
                                                   : "";
            request_reservation c{
                room, start, end, lay, attendees, org, numbered("Événement ", step), {}};
            if (what < 5) {
                // A weekly series, all or nothing or what is free, a date skipped now and then.
                recurrence rule;
                rule.count = std::uniform_int_distribution<>(2, 8)(rng);
                if (chance(0.3))
                    rule.skip = {local_date(start + std::chrono::days(7), "Europe/Paris")};
                d = w.run(request_series{c, rule, chance(0.5)}, who);
                if (d.ok()) ++series_made;
                for (const auto& f : d.facts)
                    if (const auto* r = std::get_if<reservation_requested>(&f))
                        ids.push_back(r->value.id);
            } else {
                c.wait = chance(0.3);
                d = w.run(c, who);
                if (d.ok())
                    ids.push_back(std::get<reservation_requested>(d.facts.front()).value.id);
            }
        } else if (what >= 97 && what < 99 && !w.s.room_waiting.empty()) {
            // A room's waiting list in reverse order, by its lender or by someone who may not.
            auto list = std::next(
                w.s.room_waiting.begin(),
                std::uniform_int_distribution<std::size_t>(0, w.s.room_waiting.size() - 1)(rng));
            std::vector<std::string> order;
            for (const auto& [rank, id] : list->second) order.insert(order.begin(), id);
            d = w.run(reorder_room_waitlist{list->first, order},
                      chance(0.8) ? w.llv_admin : pick(people));
        } else if (!ids.empty()) {
            const std::string& id = pick(ids);
            // A decision on an occurrence of a series may apply to the rest of it, or all.
            auto scope = static_cast<series_scope>(std::uniform_int_distribution<>(0, 2)(rng));
            if (what < 75)
                d = w.run(approve_reservation{id, scope}, chance(0.9) ? w.llv_admin : w.artois);
            else if (what < 85)
                d = w.run(refuse_reservation{id, "Indisponible", scope}, w.llv_admin);
            else if (what < 97)
                d = w.run(cancel_reservation{id, "", scope},
                          chance(0.5) ? w.llv_admin : pick(people));
            else {
                w.now += std::chrono::hours(std::uniform_int_distribution<>(1, 3)(rng));
                d = w.run(expire_waiting{}, chance(0.9) ? w.system : w.llv_admin);
            }
        }
        if (d.ok()) occ.follow(w.s, d);
        for (const auto& body : d.facts) {
            if (std::holds_alternative<reservation_promoted>(body)) ++promotions;
            if (auto* x = std::get_if<reservation_requested>(&body);
                x && x->value.status == reservation_status::waiting)
                ++waited;
        }
        if (d.refused) refusals[std::string(code_of(d.refused->code))]++;

        // After every step: no year's allowance is over-used, and held + used + left = limit.
        for (const auto& [key, c] : w.s.allowances) {
            auto v = allowance_of(w.s, w.s.agreements.at(key.agreement), key.resource, key.year);
            REQUIRE(v.held >= 0);
            REQUIRE(v.used >= 0);
            REQUIRE(v.left >= 0);
            REQUIRE(v.held + v.used + v.left == v.limit);
        }
        // Every so often, recount everything from the reservations themselves.
        if (step % 5000 == 0 || step == steps - 1) {
            std::map<counter_key, int> held;
            std::map<counter_key, std::int64_t> minutes_used, minutes_held;
            std::map<std::string, std::vector<period>> active;
            for (const auto& [id, r] : w.s.reservations) {
                counter_key key{r.agreement, r.resource, r.year};
                const bool waits = r.status == reservation_status::waiting;
                if ((r.status == reservation_status::pending || waits) && r.holds_unit) held[key]++;
                if ((r.status == reservation_status::pending || waits) && r.quote.hours)
                    minutes_held[key] += r.quote.hours->this_minutes;
                // A waiting request is on its room's list, at its rank, and nowhere else.
                if (waits) REQUIRE(w.s.room_waiting.at(r.resource).at(r.rank) == id);
                if (r.status == reservation_status::approved) minutes_used[key] += r.quota_minutes;
                const auto& res = w.s.resources.at(r.resource);
                if (r.active())
                    active[r.resource].push_back(
                        {r.start - res.setup_minutes, r.end + res.cleanup_minutes});
            }
            for (const auto& [key, c] : w.s.allowances) REQUIRE(c.held == held[key]);
            for (const auto& [room, list] : w.s.room_waiting)
                for (const auto& [rank, id] : list)
                    REQUIRE(w.s.reservations.at(id).status == reservation_status::waiting);
            for (const auto& [key, q] : w.s.quotas) {
                REQUIRE(q.used_minutes >= minutes_used[key]);
                REQUIRE(q.held_minutes == minutes_held[key]);
            }
            for (auto& [room, list] : active) {
                std::sort(list.begin(), list.end(),
                          [](auto& a, auto& b) { return a.start < b.start; });
                for (std::size_t i = 1; i < list.size(); ++i)
                    REQUIRE(list[i - 1].end <= list[i].start);
            }
        }
    }
    INFO("reservations: " << w.s.reservations.size());
    for (auto& [k, n] : refusals) UNSCOPED_INFO(k << ": " << n);
    CHECK(w.s.reservations.size() > 10'000);
    CHECK(refusals["unknown-layout"] > 0);
    CHECK(refusals["slot-taken"] > 0);
    CHECK(refusals["over-capacity"] > 0);
    CHECK(refusals["closed"] > 0);
    CHECK(refusals["forbidden"] > 0);
    CHECK(refusals["not-bookable"] > 0);
    // The waiting lists were used: requests waited, some were promoted, some refused as a
    // second place of one organisation, and reorders by others than the lender refused.
    INFO("waited " << waited << ", promoted " << promotions);
    CHECK(waited > 500);
    CHECK(promotions > 100);
    CHECK(refusals["conflict"] > 0);
    INFO("series " << series_made);
    CHECK(series_made > 500);
    CHECK(refusals["series-refused"] > 0);
    // Allowances ran out somewhere: billed requests exist.
    bool billed = false;
    for (const auto& [id, r] : w.s.reservations) billed = billed || !r.quote.free;
    CHECK(billed);
    CHECK(replay(w.journal) == w.s);

    // A snapshot taken halfway, read back, then the rest of the journal: the same state as the
    // whole replay (docs/architecture.md, "Snapshots").
    const std::size_t half = w.journal.size() / 2;
    auto from_snapshot = decode_state(
        encode_state(replay(std::vector<fact>(w.journal.begin(), w.journal.begin() + half))));
    for (std::size_t i = half; i < w.journal.size(); ++i) apply(from_snapshot, w.journal[i]);
    CHECK(from_snapshot == w.s);
    CHECK(decode_state(encode_state(w.s)) == w.s);
}
