// Benchmark of the domain core (common/), printing its figures:
//  1. decide + apply throughput over 1,000,000 commands, against replaying the same facts
//     (apply alone) in the same run;
//  2. the latency of an availability query over one year for a resource holding 100,000
//     reservations, against a linear scan of all its reservations in the same run;
//  3. how one week's availability grows with the room's reservations, 10^3 to 10^6;
//  4. the journal's form of a reservation request and of its approval written as text
//     (stored_body), against dumping its document, over the facts of 1.

#include "common/catalogue/document.hpp"
#include "common/domain.hpp"
#include "common/facts_text.hpp"
#include "common/reservations/availability.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

#include "support/text.hpp"

using creneau::test::numbered;

using namespace creneau;
using clk = std::chrono::steady_clock;

namespace {

double seconds_since(clk::time_point t) {
    return std::chrono::duration<double>(clk::now() - t).count();
}

void append(state& s, std::vector<fact>& journal, const std::vector<fact_body>& bodies, instant now,
            const std::string& who) {
    for (const auto& b : bodies) {
        fact f{s.seq + 1, now, who, b};
        apply(s, f);
        journal.push_back(std::move(f));
    }
}

state catalogue_state(std::vector<fact>& journal) {
    std::ifstream in(std::string(CRENEAU_SOURCE_DIR) + "/server/catalogue/default.json");
    state s;
    append(s, journal, catalogue_facts(nlohmann::json::parse(in), "default.json"), instant{},
           "system");
    return s;
}

// Adds a room open day and night with no buffers.
void add_open_room(state& s, std::vector<fact>& journal, const std::string& id) {
    resource r = s.resources.at("meeting-room");
    r.id = id;
    r.setup_minutes = r.cleanup_minutes = minutes{0};
    for (auto& d : r.hours.days) d = {{0, 24 * 60}};
    auto d = decide(s, define_resource{r}, context{instant{}, actor{}});
    append(s, journal, d.facts, instant{}, "system");
}

// A state whose room "busy-room" (open day and night) holds `n` reservations of 30 minutes,
// one an hour from `now` on; false if a request is refused.
bool busy_room(state& s, int n) {
    std::vector<fact> journal;
    s = catalogue_state(journal);
    add_open_room(s, journal, "busy-room");
    const instant now = *parse_rfc3339("2026-01-05T08:00:00Z");
    const actor admin{"u-admin", role::admin, "llv", false};
    for (int i = 0; i < n; ++i) {
        instant start = now + std::chrono::hours(1 + i);
        auto d = decide(
            s,
            request_reservation{
                "busy-room", start, start + std::chrono::minutes(30), "", 4, "llv", "Réunion", {}},
            context{now, admin});
        if (!d.ok()) {
            std::printf("setup failed: %s\n", d.refused->detail.c_str());
            return false;
        }
        append(s, journal, d.facts, now, admin.id);
        journal.clear();  // only the state is needed
    }
    return true;
}

}  // namespace

int main() {
    const instant now = *parse_rfc3339("2026-01-05T08:00:00Z");
    actor admin{"u-admin", role::admin, "llv", false};
    actor artois{"u-artois", role::member, "univ-artois", false};

    // ---- 1. decide + apply over 1,000,000 commands ----------------------------------
    {
        std::vector<fact> journal;
        state s = catalogue_state(journal);
        std::vector<std::string> rooms;
        for (int i = 0; i < 20; ++i) {
            rooms.push_back(numbered("bench-room-", i));
            add_open_room(s, journal, rooms.back());
        }
        // The rooms are the host's: requests by an administrator are decided, approved at once.
        std::mt19937_64 rng(42);
        const int n = 1'000'000;
        std::vector<command> commands;
        commands.reserve(n);
        std::vector<std::string> recent;
        for (int i = 0; i < n; ++i) {
            if (i % 10 == 9) {
                commands.push_back(cancel_reservation{numbered("r", 1 + rng() % (i / 2 + 1)), ""});
                continue;
            }
            const auto& room = rooms[rng() % rooms.size()];
            instant start = now + std::chrono::hours(1 + rng() % (24 * 365 * 4));
            commands.push_back(
                request_reservation{room,
                                    start,
                                    start + std::chrono::minutes(30 + 30 * (rng() % 4)),
                                    "",
                                    8,
                                    "llv",
                                    "Réunion",
                                    {}});
        }
        std::size_t accepted = 0, refused = 0;
        auto t0 = clk::now();
        for (const auto& c : commands) {
            auto d = decide(s, c, context{now, admin});
            if (d.ok()) {
                append(s, journal, d.facts, now, admin.id);
                ++accepted;
            } else {
                ++refused;
            }
        }
        double decide_s = seconds_since(t0);

        auto t1 = clk::now();
        state rebuilt = replay(journal);
        double replay_s = seconds_since(t1);
        bool same = rebuilt == s;

        std::printf(
            "decide+apply: %d commands in %.3f s = %.0f commands/s (%zu accepted, %zu refused, %zu "
            "facts)\n",
            n, decide_s, n / decide_s, accepted, refused, journal.size());
        std::printf("baseline apply-only replay of the same %zu facts: %.3f s = %.0f facts/s\n",
                    journal.size(), replay_s, journal.size() / replay_s);
        std::printf(
            "ratio decide+apply time / apply-only time: %.2f (replayed state identical: %s)\n",
            decide_s / replay_s, same ? "yes" : "NO");

        // ---- 4. the stored form of the same run's reservation requests and approvals -----
        // Each kind written as text against its document dumped; false if they differ.
        auto stored_form = [](const char* what, const std::vector<const fact_body*>& facts) {
            std::size_t text_bytes = 0, differ = 0;
            auto t2 = clk::now();
            for (const auto* b : facts) text_bytes += stored_body(*b).size();
            double text_s = seconds_since(t2);
            auto t3 = clk::now();
            std::size_t dumped_bytes = 0;
            for (const auto* b : facts) dumped_bytes += to_json(*b).dump().size();
            double dump_s = seconds_since(t3);
            for (const auto* b : facts) differ += stored_body(*b) != to_json(*b).dump();
            std::printf(
                "stored form of %zu %s: as text %.0f ns each; baseline, the document dumped: "
                "%.0f ns each; ratio dump / text: %.1f (%zu bytes each, %zu differing)\n",
                facts.size(), what, text_s * 1e9 / facts.size(), dump_s * 1e9 / facts.size(),
                dump_s / text_s, text_bytes / std::max<std::size_t>(1, facts.size()), differ);
            return !facts.empty() && !differ && dumped_bytes == text_bytes;
        };
        std::vector<const fact_body*> requests, approvals;
        for (const auto& f : journal) {
            if (std::holds_alternative<reservation_requested>(f.body) && requests.size() < 200'000)
                requests.push_back(&f.body);
            if (std::holds_alternative<reservation_approved>(f.body) && approvals.size() < 200'000)
                approvals.push_back(&f.body);
        }
        if (!stored_form("reservation requests", requests) || !stored_form("approvals", approvals))
            return 1;
    }

    // ---- 2. availability over one year with 100,000 reservations --------------------
    {
        state s;
        if (!busy_room(s, 100'000)) return 1;
        const instant from = *parse_rfc3339("2030-01-01T00:00:00+01:00");
        const instant to = *parse_rfc3339("2031-01-01T00:00:00+01:00");
        const int rounds = 50;

        std::vector<double> indexed, scanned;
        std::size_t busy = 0, busy_scan = 0;
        for (int r = 0; r < rounds; ++r) {
            auto t = clk::now();
            auto a = availability_of(s, "busy-room", from, to);
            indexed.push_back(seconds_since(t) * 1e3);
            busy = a.busy.size();

            // Baseline: what an unindexed store does, visiting every reservation.
            t = clk::now();
            std::vector<busy_period> found;
            for (const auto& [id, res] : s.reservations)
                if (res.resource == "busy-room" && res.active() && res.end > from && res.start < to)
                    found.push_back({res.start, res.end, res.status, res.id});
            std::sort(found.begin(), found.end(),
                      [](auto& x, auto& y) { return x.start < y.start; });
            scanned.push_back(seconds_since(t) * 1e3);
            busy_scan = found.size();
        }
        std::sort(indexed.begin(), indexed.end());
        std::sort(scanned.begin(), scanned.end());
        std::printf(
            "availability, 1 year of a resource with %zu reservations (%zu busy in the year, %zu "
            "by scan):\n",
            s.reservations.size(), busy, busy_scan);
        std::printf("  indexed query (busy + free): median %.3f ms, max %.3f ms\n",
                    indexed[rounds / 2], indexed.back());
        std::printf("  baseline linear scan (busy only): median %.3f ms, max %.3f ms\n",
                    scanned[rounds / 2], scanned.back());
        std::printf("  ratio scan / indexed (median): %.1f\n",
                    scanned[rounds / 2] / indexed[rounds / 2]);

        // The calendar's usual question: one week.
        const instant week_from = *parse_rfc3339("2030-06-03T00:00:00+02:00");
        const instant week_to = week_from + std::chrono::days(7);
        std::vector<double> week;
        for (int r = 0; r < 1000; ++r) {
            auto t = clk::now();
            auto a = availability_of(s, "busy-room", week_from, week_to);
            week.push_back(seconds_since(t) * 1e6);
            busy = a.busy.size();
        }
        std::sort(week.begin(), week.end());
        std::printf(
            "  one week (%zu busy): indexed median %.1f us, p99 %.1f us; ratio year scan / week "
            "query: %.0f\n",
            busy, week[500], week[990], scanned[rounds / 2] * 1e3 / week[500]);
    }

    // ---- 3. growth: one week's availability against 10^3 ... 10^6 reservations ----------
    {
        std::printf("availability growth, one week in the middle of the room's reservations:\n");
        double first = 0;
        for (int n : {1'000, 10'000, 100'000, 1'000'000}) {
            state s;
            if (!busy_room(s, n)) return 1;
            // The week in the middle of the reservations (one an hour from 2026-01-05).
            const instant from = *parse_rfc3339("2026-01-05T00:00:00Z") + std::chrono::hours(n / 2);
            std::vector<double> us;
            std::size_t busy = 0;
            for (int r = 0; r < 2000; ++r) {
                auto t = clk::now();
                auto a = availability_of(s, "busy-room", from, from + std::chrono::days(7));
                us.push_back(seconds_since(t) * 1e6);
                busy = a.busy.size();
            }
            std::sort(us.begin(), us.end());
            if (first == 0) first = us[1000];
            std::printf(
                "  %8d reservations: median %.1f us, p99 %.1f us (%zu busy); median / at 1,000: "
                "%.2f (log2 of the growth in reservations: %.1f)\n",
                n, us[1000], us[1980], busy, us[1000] / first, std::log2(n / 1000.0));
        }
    }
    return 0;
}
