// The Job Dating timetable: min-cost flow for who meets whom, alternating-path colouring for
// when (docs/domain.md, "Events").

#include "common/jobdating/exact.hpp"
#include "common/jobdating/solver.hpp"
#include "support/text.hpp"

using creneau::test::numbered;

#include <catch2/catch.hpp>

#include <functional>
#include <random>

using namespace creneau;
using namespace creneau::jobdating;

namespace {

problem random_problem(std::mt19937& rng, int ns, int nc, int slots, int ranked, bool with_times) {
    problem p;
    p.slots = slots;
    for (int j = 0; j < nc; ++j) {
        company c;
        c.id = numbered("c", j);
        c.name = c.id;
        c.tables = 1 + static_cast<int>(rng() % 2);
        c.max_meetings = 1 + static_cast<int>(rng() % (slots * c.tables));
        if (with_times && rng() % 4 == 0) c.first_slot = static_cast<int>(rng() % (slots / 2 + 1));
        if (with_times && rng() % 4 == 0)
            c.last_slot = slots / 2 + static_cast<int>(rng() % (slots / 2 + 1));
        p.companies.push_back(c);
    }
    for (int i = 0; i < ns; ++i) {
        student s;
        s.id = numbered("s", i);
        s.name = s.id;
        s.max_meetings = 1 + static_cast<int>(rng() % slots);
        std::vector<int> order(static_cast<std::size_t>(nc));
        for (int j = 0; j < nc; ++j) order[static_cast<std::size_t>(j)] = j;
        std::shuffle(order.begin(), order.end(), rng);
        for (int k = 0; k < std::min(ranked, nc); ++k)
            s.ranking.push_back(numbered("c", order[static_cast<std::size_t>(k)]));
        if (with_times && rng() % 4 == 0) s.first_slot = static_cast<int>(rng() % (slots / 2 + 1));
        if (with_times && rng() % 4 == 0)
            s.last_slot = slots / 2 + static_cast<int>(rng() % (slots / 2 + 1));
        p.students.push_back(s);
    }
    for (auto& c : p.companies)
        for (const auto& s : p.students) {
            if (rng() % 5 == 0)
                c.wants.insert(s.id);
            else if (rng() % 7 == 0)
                c.declines.insert(s.id);
        }
    return p;
}

// The best choice by brute force: most meetings, then least cost.
std::pair<int, long> exhaustive(const problem& p) {
    std::vector<std::pair<const student*, const company*>> candidates;
    for (const auto& s : p.students)
        for (const auto& cid : s.ranking)
            for (const auto& c : p.companies)
                if (c.id == cid && !c.declines.count(s.id)) candidates.push_back({&s, &c});
    const int n = static_cast<int>(candidates.size());
    int best_count = -1;
    long best_cost = 0;
    for (long mask = 0; mask < (1L << n); ++mask) {
        std::map<std::string, int> by_s, by_c;
        int count = 0;
        long cost = 0;
        bool ok = true;
        for (int k = 0; k < n && ok; ++k) {
            if (!(mask >> k & 1)) continue;
            auto [s, c] = candidates[static_cast<std::size_t>(k)];
            if (++by_s[s->id] > std::min(s->max_meetings, p.slots)) ok = false;
            if (++by_c[c->id] > std::min(c->max_meetings, c->tables * p.slots)) ok = false;
            ++count;
            cost += pair_cost(*s, *c);
        }
        if (!ok) continue;
        if (count > best_count || (count == best_count && cost < best_cost)) {
            best_count = count;
            best_cost = cost;
        }
    }
    return {best_count, best_cost};
}

// No one twice in a slot, no maximum or table exceeded, no declined pair, within the times.
void check_valid(const problem& p, const solution& t) {
    std::set<std::pair<std::string, int>> student_slot, table_slot;
    std::map<std::string, int> per_s, per_c;
    std::map<std::string, const student*> ss;
    std::map<std::string, const company*> cs;
    for (const auto& s : p.students) ss[s.id] = &s;
    for (const auto& c : p.companies) cs[c.id] = &c;
    std::set<std::pair<std::string, std::string>> pairs;
    for (const auto& m : t.meetings) {
        INFO(m.student << " " << m.company << " slot " << m.slot << " table " << m.table);
        REQUIRE(m.slot >= 0);
        REQUIRE(m.slot < p.slots);
        REQUIRE_FALSE(p.breaks.count(m.slot));
        REQUIRE(student_slot.insert({m.student, m.slot}).second);
        REQUIRE(table_slot.insert({m.company + numbered("#", m.table), m.slot}).second);
        REQUIRE(pairs.insert({m.student, m.company}).second);
        const auto* s = ss.at(m.student);
        const auto* c = cs.at(m.company);
        REQUIRE_FALSE(c->declines.count(m.student));
        REQUIRE(m.table < c->tables);
        if (!m.pinned) {
            REQUIRE(m.slot >= s->first_slot);
            REQUIRE(m.slot <= s->last_slot);
            REQUIRE(m.slot >= c->first_slot);
            REQUIRE(m.slot <= c->last_slot);
        }
        REQUIRE(++per_s[m.student] <= s->max_meetings);
        REQUIRE(++per_c[m.company] <= c->max_meetings);
    }
}

// The best timetable by brute force, with time: each candidate pair in one of the slots
// both can use, or not at all; most meetings, then least cost, then fewest idle slots.
struct best_timetable {
    int meetings = -1;
    long cost = 0;
    int idle = 0;
};

best_timetable exhaustive_with_slots(const problem& p) {
    struct candidate {
        const student* s;
        const company* c;
        std::vector<int> slots;
    };
    std::vector<candidate> candidates;
    for (const auto& s : p.students)
        for (const auto& cid : s.ranking)
            for (const auto& c : p.companies) {
                if (c.id != cid || c.declines.count(s.id)) continue;
                auto a = usable_slots(s.first_slot, s.last_slot, p);
                auto b = usable_slots(c.first_slot, c.last_slot, p);
                std::vector<int> both;
                for (int t = 0; t < p.slots; ++t)
                    if (a[static_cast<std::size_t>(t)] && b[static_cast<std::size_t>(t)])
                        both.push_back(t);
                candidates.push_back({&s, &c, both});
            }
    best_timetable best;
    std::vector<meeting> chosen;
    std::map<std::pair<std::string, int>, int> busy;  // student or company, slot → meetings
    std::map<std::string, int> count;
    std::function<void(std::size_t, long)> walk = [&](std::size_t k, long cost) {
        if (k == candidates.size()) {
            int n = static_cast<int>(chosen.size());
            if (n < best.meetings || (n == best.meetings && cost > best.cost)) return;
            int idle = 0;
            for (const auto& [who, i] : idle_slots(p, chosen)) idle += i;
            if (n > best.meetings || cost < best.cost || idle < best.idle) best = {n, cost, idle};
            return;
        }
        walk(k + 1, cost);
        const auto& x = candidates[k];
        if (count[x.s->id] >= x.s->max_meetings || count[x.c->id] >= x.c->max_meetings) return;
        for (int t : x.slots) {
            if (busy[{x.s->id, t}] >= 1 || busy[{x.c->id, t}] >= x.c->tables) continue;
            busy[{x.s->id, t}]++;
            busy[{x.c->id, t}]++;
            count[x.s->id]++;
            count[x.c->id]++;
            chosen.push_back({x.s->id, x.c->id, t, 0, false});
            walk(k + 1, cost + pair_cost(*x.s, *x.c));
            chosen.pop_back();
            busy[{x.s->id, t}]--;
            busy[{x.c->id, t}]--;
            count[x.s->id]--;
            count[x.c->id]--;
        }
    };
    walk(0, 0);
    return best;
}

long cost_of(const problem& p, const std::vector<meeting>& meetings) {
    long cost = 0;
    for (const auto& m : meetings)
        for (const auto& s : p.students)
            for (const auto& c : p.companies)
                if (s.id == m.student && c.id == m.company) cost += pair_cost(s, c);
    return cost;
}

}  // namespace

TEST_CASE(
    "job dating: with arrival and leaving times, the exact timetable equals an exhaustive search "
    "(meetings, rank cost, idle slots), and is never worse than the flow",
    "[jobdating]") {
    std::mt19937 rng(20);
    for (int round = 0; round < 60; ++round) {
        auto p =
            random_problem(rng, 2 + static_cast<int>(rng() % 2), 2 + static_cast<int>(rng() % 2),
                           3 + static_cast<int>(rng() % 2), 1 + static_cast<int>(rng() % 2), true);
        // Late arrivals and early departures for sure, so that the exact mode runs.
        p.students[0].first_slot = 1;
        INFO("round " << round);
        auto flow = build(p);
        auto best = build_best(p, {std::chrono::seconds(10)});
        check_valid(p, best);
        auto truth = exhaustive_with_slots(p);
        CHECK(best.stats.exact);
        CHECK(best.stats.proven);
        CHECK(best.stats.meetings == truth.meetings);
        CHECK(best.stats.upper_bound == truth.meetings);
        CHECK(cost_of(p, best.meetings) == truth.cost);
        CHECK(best.stats.idle_total == truth.idle);
        CHECK(best.stats.meetings >= flow.stats.meetings);
        if (best.stats.meetings == flow.stats.meetings)
            CHECK(cost_of(p, best.meetings) <= cost_of(p, flow.meetings));
        // The flow's bound is a bound.
        CHECK(flow.stats.upper_bound >= truth.meetings);
    }
}

TEST_CASE(
    "job dating: pins of people who left, colliding pins and a search out of time still "
    "give a valid timetable with an honest bound",
    "[jobdating]") {
    std::mt19937 rng(23);
    auto p = random_problem(rng, 30, 5, 8, 3, true);
    auto flow = build(p);
    REQUIRE(flow.meetings.size() >= 2);
    // A pin of a student who is gone, two pins in one student's slot, two at one table, a pin
    // beyond the day, and a past meeting of a company that is gone.
    auto first = flow.meetings[0];
    auto second = flow.meetings[1];
    p.pinned = {meeting{"gone", first.company, first.slot, 0, true}, first,
                meeting{first.student, second.company, first.slot, 0, true},
                meeting{second.student, first.company, first.slot, first.table, true},
                meeting{second.student, second.company, 99, 0, true}};
    p.now_slot = 1;
    p.previous = {meeting{first.student, "gone", 0, 0, false}};
    for (auto budget : {std::chrono::milliseconds(1), std::chrono::milliseconds(5000)}) {
        auto best = build_best(p, {budget});
        check_valid(p, best);
        CHECK(std::any_of(best.meetings.begin(), best.meetings.end(), [&](const meeting& m) {
            return m.student == first.student && m.company == first.company &&
                   m.slot == first.slot && m.pinned;
        }));
        CHECK(best.stats.upper_bound >= best.stats.meetings);
        CHECK(best.stats.meetings >= build(p).stats.meetings);
        if (best.stats.proven) CHECK(best.stats.upper_bound == best.stats.meetings);
    }
}

TEST_CASE(
    "job dating: 48 students, 6 companies, 8 slots with arrival and leaving times: proven best, "
    "never fewer meetings than the flow, more where the flow falls short",
    "[jobdating]") {
    int beaten = 0;
    // Seeds whose proof takes a second or two (others take longer: deploy/bench.sh runs them).
    for (unsigned seed : {7u, 9u, 10u}) {
        std::mt19937 rng(seed);
        auto p = random_problem(rng, 48, 6, 8, 4, true);
        for (auto& s : p.students) s.max_meetings = 3;
        for (std::size_t i = 0; i < p.students.size(); i += 3) {
            p.students[i].first_slot = static_cast<int>(rng() % 4);
            p.students[i].last_slot = 4 + static_cast<int>(rng() % 4);
        }
        INFO("seed " << seed);
        auto flow = build(p);
        auto best = build_best(p, {std::chrono::seconds(30)});
        check_valid(p, best);
        CHECK(best.stats.proven);
        CHECK(best.stats.upper_bound == best.stats.meetings);
        CHECK(best.stats.meetings >= flow.stats.meetings);
        if (best.stats.meetings == flow.stats.meetings)
            CHECK(cost_of(p, best.meetings) <= cost_of(p, flow.meetings));
        if (best.stats.meetings > flow.stats.meetings) ++beaten;
    }
    CHECK(beaten > 0);
}

TEST_CASE(
    "job dating: the exact mode keeps pins and past meetings, and the flow's timetable "
    "when everybody is there all day",
    "[jobdating]") {
    std::mt19937 rng(21);
    auto p = random_problem(rng, 12, 4, 6, 3, false);
    auto flow = build(p);
    REQUIRE(flow_is_exact(p));
    auto best = build_best(p);
    check_valid(p, best);
    CHECK_FALSE(best.stats.exact);
    CHECK(best.stats.proven);
    CHECK(best.stats.meetings == flow.stats.meetings);
    CHECK(cost_of(p, best.meetings) == cost_of(p, flow.meetings));
    CHECK(best.stats.idle_total <= flow.stats.idle_total);
    // Pin two meetings of that timetable and say the first two slots are past.
    problem q = p;
    q.pinned = {flow.meetings[0], flow.meetings[1]};
    q.now_slot = 2;
    q.previous = flow.meetings;
    REQUIRE_FALSE(flow_is_exact(q));
    auto again = build_best(q);
    check_valid(q, again);
    CHECK(again.stats.exact);
    for (const auto& kept : q.pinned)
        CHECK(std::any_of(again.meetings.begin(), again.meetings.end(), [&](const meeting& m) {
            return m.student == kept.student && m.company == kept.company && m.slot == kept.slot &&
                   m.pinned;
        }));
    for (const auto& m : flow.meetings)
        if (m.slot < 2)
            CHECK(std::any_of(again.meetings.begin(), again.meetings.end(), [&](const meeting& x) {
                return x.student == m.student && x.company == m.company && x.slot == m.slot;
            }));
    for (const auto& m : again.meetings)
        if (!m.pinned && m.slot < 2)
            CHECK(std::any_of(flow.meetings.begin(), flow.meetings.end(), [&](const meeting& x) {
                return x.student == m.student && x.company == m.company && x.slot == m.slot;
            }));
}

TEST_CASE(
    "job dating: a day too large for the integer programme keeps the flow's meetings and "
    "ranks, with fewer waits between meetings",
    "[jobdating]") {
    std::mt19937 rng(22);
    auto p = random_problem(rng, 400, 40, 20, 8, true);
    auto flow = build(p);
    auto best = build_best(p, {std::chrono::seconds(2)});
    check_valid(p, best);
    CHECK_FALSE(best.stats.exact);
    CHECK_FALSE(best.stats.proven);
    CHECK(best.stats.upper_bound >= best.stats.meetings);
    CHECK(best.stats.meetings == flow.stats.meetings);
    CHECK(cost_of(p, best.meetings) == cost_of(p, flow.meetings));
    CHECK(best.stats.idle_total < flow.stats.idle_total);
}

TEST_CASE(
    "job dating: on small instances the flow finds as many meetings, as cheaply, as an exhaustive "
    "search",
    "[jobdating]") {
    std::mt19937 rng(8);
    for (int round = 0; round < 300; ++round) {
        auto p =
            random_problem(rng, 2 + static_cast<int>(rng() % 3), 2 + static_cast<int>(rng() % 3),
                           1 + static_cast<int>(rng() % 3), 1 + static_cast<int>(rng() % 3), false);
        auto [best_count, best_cost] = exhaustive(p);
        auto pairs = choose_pairs(p);
        long cost = 0;
        for (const auto& [sid, cid] : pairs) {
            const student* s = nullptr;
            const company* c = nullptr;
            for (const auto& x : p.students)
                if (x.id == sid) s = &x;
            for (const auto& x : p.companies)
                if (x.id == cid) c = &x;
            cost += pair_cost(*s, *c);
        }
        INFO("round " << round);
        CHECK(static_cast<int>(pairs.size()) == best_count);
        CHECK(cost == best_cost);
        // König: with no arrival or leaving times, every chosen meeting finds a slot.
        auto t = build(p);
        CHECK(t.dropped.empty());
        CHECK(t.stats.meetings == best_count);
        check_valid(p, t);
    }
}

TEST_CASE(
    "job dating: large instances never put anyone in two meetings at once and keep pinned meetings",
    "[jobdating]") {
    std::mt19937 rng(2027);
    for (int round = 0; round < 6; ++round) {
        auto p = random_problem(rng, 120, 20, 12, 6, true);
        p.breaks = {5};
        auto first = build(p);
        check_valid(p, first);
        CHECK(first.stats.meetings <= first.stats.upper_bound);
        // Pin a few meetings, remove one, and re-run the future slots only.
        problem again = p;
        again.now_slot = 3;
        again.previous = first.meetings;
        std::vector<meeting> pinned;
        for (const auto& m : first.meetings)
            if (m.slot >= 3 && pinned.size() < 10 && rng() % 3 == 0) pinned.push_back(m);
        again.pinned = pinned;
        auto second = build(again);
        check_valid(again, second);
        for (const auto& pin : pinned) {
            INFO(pin.student << " " << pin.company);
            CHECK(
                std::any_of(second.meetings.begin(), second.meetings.end(), [&](const meeting& m) {
                    return m.student == pin.student && m.company == pin.company &&
                           m.slot == pin.slot;
                }));
        }
        // What was already past stays where it was.
        for (const auto& m : first.meetings)
            if (m.slot < 3)
                CHECK(std::any_of(
                    second.meetings.begin(), second.meetings.end(), [&](const meeting& x) {
                        return x.student == m.student && x.company == m.company && x.slot == m.slot;
                    }));
    }
}

TEST_CASE(
    "job dating: a decline forbids the meeting, a mutual wish is preferred, first choices first",
    "[jobdating]") {
    problem p;
    p.slots = 1;
    company a{"a", "Start-up A", {"s2"}, {"s1"}, 1, 1};
    company b{"b", "Start-up B", {}, {}, 1, 1};
    p.companies = {a, b};
    p.students = {student{"s1", "S1", {"a", "b"}, 1}, student{"s2", "S2", {"b", "a"}, 1}};
    auto t = build(p);
    // s1 declined by A: s1 meets B; s2 then meets A (mutual: A wants s2), its second choice.
    REQUIRE(t.meetings.size() == 2);
    CHECK(t.stats.mutual == 1);
    for (const auto& m : t.meetings) {
        if (m.student == "s1") CHECK(m.company == "b");
        if (m.student == "s2") CHECK(m.company == "a");
    }
    CHECK(t.stats.honoured_by_rank[2] == 2);
}

TEST_CASE("job dating: arrival and leaving times are honoured, what cannot fit is reported",
          "[jobdating]") {
    problem p;
    p.slots = 4;
    // One company, one table, present for slots 0-1 only; three students want it.
    p.companies = {company{"a", "A", {}, {}, 10, 1, 0, 1}};
    p.students = {student{"s1", "S1", {"a"}, 1}, student{"s2", "S2", {"a"}, 1},
                  student{"s3", "S3", {"a"}, 1, 2, 3}};
    auto t = build(p);
    check_valid(p, t);
    CHECK(t.stats.meetings == 2);  // capacity: two slots while the company is there
    CHECK(t.dropped.empty());
    for (const auto& m : t.meetings) CHECK(m.student != "s3");  // s3 arrives after it leaves
    // Three students for two slots of one table, each present for one slot only: one is dropped.
    problem q;
    q.slots = 2;
    q.companies = {company{"a", "A", {}, {}, 10, 1}};
    q.students = {student{"s1", "S1", {"a"}, 1, 0, 0}, student{"s2", "S2", {"a"}, 1, 0, 0},
                  student{"s3", "S3", {"a"}, 1, 1, 1}};
    auto u = build(q);
    check_valid(q, u);
    // The flow may first choose s1 and s2, who can only come at slot 0: the repair drops one
    // and gives slot 1 to s3 instead.
    CHECK(u.stats.meetings == 2);
    CHECK(u.dropped.size() <= 1);
}
