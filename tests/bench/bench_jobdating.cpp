// Benchmark of the Job Dating timetable: 500 students each ranking 10 of 60 companies, 30
// slots. Time to build, meetings placed against the flow's upper bound, wishes honoured by
// rank — against a greedy round-robin baseline in the same run (each student in turn takes
// its best remaining wish at the first slot free for both). Then the same day with 30 % of
// the participants arriving late or leaving early: today's flow and repair beside the exact
// mode (common/jobdating/exact.hpp) with budgets of 3 and 30 s: meetings against the proven
// bound, proven or the gap, rank cost, idle slots, time. Last, how the time grows from 100 to
// 2,000 students.

#include "common/jobdating/exact.hpp"
#include "common/jobdating/solver.hpp"
#include "support/text.hpp"

using creneau::test::numbered;

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using namespace creneau::jobdating;
using clk = std::chrono::steady_clock;

namespace {

// `students` students each ranking 10 of students / 8.33 companies (60 for 500), 30 slots.
problem make(std::mt19937& rng, int students = 500) {
    problem p;
    p.slots = 30;
    const int companies = std::max(12, students * 60 / 500);
    for (int j = 0; j < companies; ++j) {
        company c;
        c.id = numbered("c", j);
        c.tables = 1 + static_cast<int>(rng() % 3);
        c.max_meetings = 40;
        if (rng() % 5 == 0) c.last_slot = 20;  // leaves early
        p.companies.push_back(c);
    }
    // Some companies are much more popular than others.
    std::vector<double> weight(static_cast<std::size_t>(companies));
    for (int j = 0; j < companies; ++j) weight[static_cast<std::size_t>(j)] = 1.0 / (1 + j % 15);
    for (int i = 0; i < students; ++i) {
        student s;
        s.id = numbered("s", i);
        s.max_meetings = 5;
        if (rng() % 6 == 0) s.first_slot = 10;  // arrives late
        std::discrete_distribution<int> pick(weight.begin(), weight.end());
        while (s.ranking.size() < 10) {
            auto c = numbered("c", pick(rng));
            if (std::find(s.ranking.begin(), s.ranking.end(), c) == s.ranking.end())
                s.ranking.push_back(c);
        }
        p.students.push_back(s);
    }
    for (auto& c : p.companies)
        for (int k = 0; k < 15; ++k)
            c.wants.insert(
                numbered("s", static_cast<int>(rng() % static_cast<unsigned>(students))));
    return p;
}

solution greedy(const problem& p) {
    solution t;
    std::map<std::string, std::vector<int>> student_busy;
    std::map<std::string, std::vector<std::vector<int>>> table_busy;
    std::map<std::string, int> company_count;
    std::map<std::string, const company*> cs;
    for (const auto& c : p.companies) {
        cs[c.id] = &c;
        table_busy[c.id].assign(static_cast<std::size_t>(c.tables),
                                std::vector<int>(static_cast<std::size_t>(p.slots), 0));
    }
    std::vector<std::size_t> next(p.students.size(), 0);
    bool progress = true;
    while (progress) {
        progress = false;
        for (std::size_t i = 0; i < p.students.size(); ++i) {
            const auto& s = p.students[i];
            auto& mine = student_busy[s.id];
            mine.resize(static_cast<std::size_t>(p.slots), 0);
            if (static_cast<int>(std::count(mine.begin(), mine.end(), 1)) >= s.max_meetings)
                continue;
            while (next[i] < s.ranking.size()) {
                const auto& cid = s.ranking[next[i]++];
                const auto* c = cs[cid];
                if (company_count[cid] >= c->max_meetings) continue;
                bool placed = false;
                for (int slot = std::max(s.first_slot, c->first_slot);
                     slot <= std::min({s.last_slot, c->last_slot, p.slots - 1}) && !placed;
                     ++slot) {
                    if (mine[static_cast<std::size_t>(slot)]) continue;
                    for (int tb = 0; tb < c->tables && !placed; ++tb)
                        if (!table_busy[cid][static_cast<std::size_t>(tb)]
                                       [static_cast<std::size_t>(slot)]) {
                            table_busy[cid][static_cast<std::size_t>(tb)]
                                      [static_cast<std::size_t>(slot)] = 1;
                            mine[static_cast<std::size_t>(slot)] = 1;
                            company_count[cid]++;
                            t.meetings.push_back({s.id, cid, slot, tb, false});
                            int r = rank_of(s, cid);
                            t.stats.honoured_by_rank[r]++;
                            t.stats.rank_cost += r;
                            placed = true;
                        }
                }
                if (placed) {
                    progress = true;
                    break;
                }
            }
        }
    }
    t.stats.meetings = static_cast<int>(t.meetings.size());
    return t;
}

void print(const char* name, const solution& t, double ms) {
    std::printf("%-28s %5d meetings in %8.1f ms; rank cost %ld, mean rank %.2f; by rank:", name,
                t.stats.meetings, ms, t.stats.rank_cost,
                t.stats.meetings ? double(t.stats.rank_cost) / t.stats.meetings : 0.0);
    for (int r = 1; r <= 10; ++r)
        std::printf(" %d:%d", r,
                    t.stats.honoured_by_rank.count(r) ? t.stats.honoured_by_rank.at(r) : 0);
    std::printf("\n");
}

}  // namespace

void print_exact(const char* name, const solution& t, double ms) {
    std::printf(
        "%-28s %5d meetings (bound %d, %s, gap %d), rank cost %ld, idle slots mean %.2f worst "
        "%d total %d, in %.0f ms\n",
        name, t.stats.meetings, t.stats.upper_bound, t.stats.proven ? "proven" : "not proven",
        t.stats.upper_bound - t.stats.meetings, t.stats.rank_cost, t.stats.idle_mean,
        t.stats.idle_worst, t.stats.idle_total, ms);
}

// 30 % of the participants arrive late or leave early.
problem with_windows(problem p, std::mt19937& rng) {
    auto window = [&](int& first, int& last) {
        if (rng() % 10 >= 3) return;
        if (rng() % 2)
            first = 5 + static_cast<int>(rng() % 15);
        else
            last = 10 + static_cast<int>(rng() % 15);
    };
    for (auto& s : p.students) {
        s.first_slot = 0;
        s.last_slot = 1 << 30;
        window(s.first_slot, s.last_slot);
    }
    for (auto& c : p.companies) {
        c.first_slot = 0;
        c.last_slot = 1 << 30;
        window(c.first_slot, c.last_slot);
    }
    return p;
}

void windows_day(std::mt19937& rng, const problem& base) {
    auto p = with_windows(base, rng);
    std::printf("\nthe same day, 30 %% arriving late or leaving early\n");
    auto t0 = clk::now();
    auto flow = build(p);
    double flow_ms = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
    print_exact("flow + colouring + repair", flow, flow_ms);
    auto flow_figures = figures_of(p, flow.meetings);
    std::printf("  (its idle slots: mean %.2f, worst %d)\n", flow_figures.idle_mean,
                flow_figures.idle_worst);
    for (int budget : {3, 30}) {
        t0 = clk::now();
        auto best = build_best(p, {std::chrono::seconds(budget)});
        double ms = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
        char name[64];
        std::snprintf(name, sizeof name, "exact, budget %d s", budget);
        print_exact(name, best, ms);
        std::printf("  meetings exact / flow: %.4f; exact / bound: %.4f\n",
                    double(best.stats.meetings) / std::max(1, flow.stats.meetings),
                    double(best.stats.meetings) / std::max(1, best.stats.upper_bound));
    }
}

int main() {
    std::mt19937 rng(2026);
    auto p = make(rng);
    auto t0 = clk::now();
    auto flow = build(p);
    double flow_ms = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
    t0 = clk::now();
    auto base = greedy(p);
    double greedy_ms = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
    std::printf("500 students x 10 wishes of 60 companies, 30 slots\n");
    std::printf("flow upper bound: %d meetings\n", flow.stats.upper_bound);
    print("min-cost flow + colouring", flow, flow_ms);
    print("greedy round-robin baseline", base, greedy_ms);
    std::printf("placed / upper bound: flow %.3f, greedy %.3f; dropped by the repair: %zu\n",
                double(flow.stats.meetings) / flow.stats.upper_bound,
                double(base.stats.meetings) / flow.stats.upper_bound, flow.dropped.size());
    std::printf(
        "ratio meetings flow / greedy: %.3f; first choices flow / greedy: %.3f; time flow / "
        "greedy: %.1f\n",
        double(flow.stats.meetings) / base.stats.meetings,
        double(flow.stats.honoured_by_rank[1]) / std::max(1, base.stats.honoured_by_rank[1]),
        flow_ms / greedy_ms);
    auto t1 = clk::now();
    auto compacted = build_best(p);
    print_exact("flow + fewer waits", compacted,
                std::chrono::duration<double, std::milli>(clk::now() - t1).count());
    std::printf("idle slots flow / with fewer waits: %d / %d\n", flow.stats.idle_total,
                compacted.stats.idle_total);
    windows_day(rng, p);

    std::printf(
        "\ngrowth: flow + colouring against the number of students (companies in proportion)\n");
    double per_meeting_first = 0;
    for (int n : {100, 250, 500, 1000, 2000}) {
        std::mt19937 g(2026);
        auto day = make(g, n);
        auto t = clk::now();
        auto built = build(day);
        double ms = std::chrono::duration<double, std::milli>(clk::now() - t).count();
        double per = ms * 1000 / std::max(1, built.stats.meetings);
        if (per_meeting_first == 0) per_meeting_first = per;
        std::printf(
            "  %5d students, %3zu companies: %5d meetings (bound %d) in %7.1f ms; %.1f us per "
            "meeting, %.2f x that at 100 students\n",
            n, day.companies.size(), built.stats.meetings, built.stats.upper_bound, ms, per,
            per / per_meeting_first);
    }
}
