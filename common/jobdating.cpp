#include "common/jobdating.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>

#include <algorithm>
#include <tuple>

namespace creneau::jobdating {
namespace {

using traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, long,
                    boost::property<boost::edge_residual_capacity_t, long,
                                    boost::property<boost::edge_reverse_t, traits::edge_descriptor,
                                                    boost::property<boost::edge_weight_t, double>>>>>;
// Costs are small integers, exact in a double. A double, not a long, because the solver adds
// the "infinite" distances of unreachable vertices to each other (Boost 1.81,
// successive_shortest_path_nonnegative_weights.hpp:112): with an integer type that is a
// signed overflow; with a double it is +inf, and those vertices are never reached again.

struct flow_net {
    graph g;
    traits::edge_descriptor add(std::size_t u, std::size_t v, long capacity, double cost) {
        auto e = boost::add_edge(u, v, g).first;
        auto r = boost::add_edge(v, u, g).first;
        boost::put(boost::edge_capacity, g, e, capacity);
        boost::put(boost::edge_capacity, g, r, 0);
        boost::put(boost::edge_weight, g, e, cost);
        boost::put(boost::edge_weight, g, r, -cost);
        boost::put(boost::edge_reverse, g, e, r);
        boost::put(boost::edge_reverse, g, r, e);
        return e;
    }
};

// The slots a participant can use: within its arrival and leaving, not a break, not past.
std::vector<bool> usable(int first, int last, const problem& p) {
    std::vector<bool> ok(static_cast<std::size_t>(std::max(0, p.slots)), false);
    for (int s = std::max({0, first, p.now_slot}); s <= std::min(last, p.slots - 1); ++s)
        ok[static_cast<std::size_t>(s)] = !p.breaks.count(s);
    return ok;
}

int count(const std::vector<bool>& v) { return static_cast<int>(std::count(v.begin(), v.end(), true)); }

// Meetings kept as they are: pinned ones, and those of the previous timetable in past slots.
std::vector<meeting> kept_meetings(const problem& p) {
    std::vector<meeting> kept = p.pinned;
    for (auto& m : kept) m.pinned = true;
    for (const auto& m : p.previous)
        if (m.slot >= 0 && m.slot < p.now_slot &&
            std::none_of(kept.begin(), kept.end(), [&](const meeting& k) { return k.student == m.student && k.company == m.company; }))
            kept.push_back(m);
    return kept;
}

}  // namespace

int rank_of(const student& s, const std::string& company_id) {
    for (std::size_t i = 0; i < s.ranking.size(); ++i)
        if (s.ranking[i] == company_id) return static_cast<int>(i) + 1;
    return 0;
}

long pair_cost(const student& s, const company& c) {
    long cost = 2L * rank_of(s, c.id);
    if (c.wants.count(s.id)) cost -= 1;  // a mutual wish is favoured
    return cost;
}

namespace {
using pair_set = std::set<std::pair<std::string, std::string>>;
std::vector<std::pair<std::string, std::string>> choose(const problem& p, const pair_set& forbidden);
timetable build_once(const problem& p, const pair_set& forbidden);
}  // namespace

std::vector<std::pair<std::string, std::string>> choose_pairs(const problem& p) { return choose(p, {}); }

timetable build(const problem& p) {
    // Step 1 does not see when people are there together, so a chosen meeting may not fit.
    // Repair: keep what was placed, forbid what was not, and let the flow fill the
    // capacity left with other pairs, a few rounds at most.
    pair_set forbidden;
    timetable t = build_once(p, forbidden);
    const int bound = t.stats.upper_bound;
    std::vector<meeting> dropped = t.dropped;
    for (int round = 0; round < 4 && !t.dropped.empty(); ++round) {
        for (const auto& m : t.dropped) forbidden.insert({m.student, m.company});
        problem again = p;
        again.pinned = t.meetings;
        again.previous.clear();
        timetable next = build_once(again, forbidden);
        if (next.stats.meetings <= t.stats.meetings) break;
        for (auto& m : next.meetings) {
            // Only the caller's pins are pins; the rest stays movable next time.
            m.pinned = std::any_of(p.pinned.begin(), p.pinned.end(), [&](const meeting& x) {
                return x.student == m.student && x.company == m.company;
            });
        }
        t = std::move(next);
    }
    // What was chosen and never placed, replaced or not.
    t.dropped.clear();
    for (const auto& m : dropped)
        if (std::none_of(t.meetings.begin(), t.meetings.end(), [&](const meeting& x) {
                return x.student == m.student && x.company == m.company;
            }))
            t.dropped.push_back(m);
    t.stats.upper_bound = std::max(bound, t.stats.meetings);
    return t;
}

namespace {

std::vector<std::pair<std::string, std::string>> choose(const problem& p, const pair_set& forbidden) {
    const auto kept = kept_meetings(p);
    std::map<std::string, int> kept_by_student, kept_by_company;
    std::set<std::pair<std::string, std::string>> kept_pairs;
    for (const auto& m : kept) {
        kept_by_student[m.student]++;
        kept_by_company[m.company]++;
        kept_pairs.insert({m.student, m.company});
    }

    const std::size_t ns = p.students.size(), nc = p.companies.size();
    const std::size_t source = 0, sink = 1;
    auto student_node = [](std::size_t i) { return 2 + i; };
    auto company_node = [ns](std::size_t j) { return 2 + ns + j; };
    flow_net net;
    for (std::size_t v = 0; v < 2 + ns + nc; ++v) boost::add_vertex(net.g);

    std::map<std::string, std::size_t> company_index;
    std::vector<std::vector<bool>> company_usable(nc);
    for (std::size_t j = 0; j < nc; ++j) {
        const auto& c = p.companies[j];
        company_index[c.id] = j;
        company_usable[j] = usable(c.first_slot, c.last_slot, p);
        // A company holds at most one meeting per table and usable slot.
        int free_slots = count(usable(c.first_slot, c.last_slot, p));
        long cap = std::min<long>(c.max_meetings, static_cast<long>(std::max(1, c.tables)) * free_slots) -
                   kept_by_company[c.id];
        if (cap > 0) net.add(company_node(j), sink, cap, 0);
    }
    std::vector<std::tuple<traits::edge_descriptor, std::size_t, std::size_t>> pair_edges;
    for (std::size_t i = 0; i < ns; ++i) {
        const auto& s = p.students[i];
        const auto mine = usable(s.first_slot, s.last_slot, p);
        int free_slots = count(mine);
        long cap = std::min<long>(s.max_meetings, free_slots) - kept_by_student[s.id];
        if (cap <= 0) continue;
        net.add(source, student_node(i), cap, 0);
        for (const auto& cid : s.ranking) {
            auto it = company_index.find(cid);
            if (it == company_index.end()) continue;
            const auto& c = p.companies[it->second];
            if (c.declines.count(s.id) || kept_pairs.count({s.id, c.id}) || forbidden.count({s.id, c.id}))
                continue;  // a decline forbids it
            // Both must be there at the same time for at least one slot.
            bool overlap = false;
            for (std::size_t k = 0; k < mine.size() && !overlap; ++k) overlap = mine[k] && company_usable[it->second][k];
            if (!overlap) continue;
            pair_edges.emplace_back(net.add(student_node(i), company_node(it->second), 1, static_cast<double>(pair_cost(s, c))), i, it->second);
        }
    }
    boost::successive_shortest_path_nonnegative_weights(net.g, source, sink);

    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [e, i, j] : pair_edges)
        if (boost::get(boost::edge_capacity, net.g, e) - boost::get(boost::edge_residual_capacity, net.g, e) > 0)
            out.emplace_back(p.students[i].id, p.companies[j].id);
    return out;
}

timetable build_once(const problem& p, const pair_set& forbidden) {
    timetable out;
    const auto kept = kept_meetings(p);
    const auto pairs = choose(p, forbidden);
    const int slots = std::max(0, p.slots);

    std::map<std::string, const student*> students;
    std::map<std::string, const company*> companies;
    for (const auto& s : p.students) students[s.id] = &s;
    for (const auto& c : p.companies) companies[c.id] = &c;

    // Vertices of the bipartite meeting graph: students, and each company's tables.
    // busy[v][slot] = index of the meeting there, or -1.
    std::map<std::string, int> student_vertex;
    std::map<std::pair<std::string, int>, int> table_vertex;
    std::vector<std::vector<int>> busy;
    std::vector<std::vector<bool>> allowed;
    auto vertex = [&](int& slot_of, std::vector<bool> ok) {
        slot_of = static_cast<int>(busy.size());
        busy.emplace_back(static_cast<std::size_t>(slots), -1);
        allowed.push_back(std::move(ok));
        return slot_of;
    };
    for (const auto& s : p.students) {
        int v;
        student_vertex[s.id] = vertex(v, usable(s.first_slot, s.last_slot, p));
    }
    for (const auto& c : p.companies)
        for (int t = 0; t < std::max(1, c.tables); ++t) {
            int v;
            table_vertex[{c.id, t}] = vertex(v, usable(c.first_slot, c.last_slot, p));
        }

    struct edge {
        int a, b;  // student vertex, table vertex
        meeting m;
    };
    std::vector<edge> edges;
    auto place = [&](std::size_t e, int slot) {
        busy[static_cast<std::size_t>(edges[e].a)][static_cast<std::size_t>(slot)] = static_cast<int>(e);
        busy[static_cast<std::size_t>(edges[e].b)][static_cast<std::size_t>(slot)] = static_cast<int>(e);
        edges[e].m.slot = slot;
    };
    auto unplace = [&](std::size_t e) {
        int slot = edges[e].m.slot;
        if (slot < 0) return;
        busy[static_cast<std::size_t>(edges[e].a)][static_cast<std::size_t>(slot)] = -1;
        busy[static_cast<std::size_t>(edges[e].b)][static_cast<std::size_t>(slot)] = -1;
        edges[e].m.slot = -1;
    };

    // Kept meetings first, in their slots.
    for (const auto& k : kept) {
        if (!students.count(k.student) || !companies.count(k.company) || k.slot < 0 || k.slot >= slots) continue;
        int table = std::clamp(k.table, 0, std::max(1, companies[k.company]->tables) - 1);
        edge e{student_vertex[k.student], table_vertex[{k.company, table}], k};
        e.m.table = table;
        edges.push_back(e);
        std::size_t idx = edges.size() - 1;
        if (busy[static_cast<std::size_t>(e.a)][static_cast<std::size_t>(k.slot)] < 0 &&
            busy[static_cast<std::size_t>(e.b)][static_cast<std::size_t>(k.slot)] < 0)
            place(idx, k.slot);
        else
            edges.pop_back();  // two kept meetings collide: the first one stays
    }
    const std::size_t first_new = edges.size();

    // The chosen pairs, spread over the company's tables (round robin keeps degrees even).
    std::map<std::string, int> next_table;
    for (const auto& [sid, cid] : pairs) {
        const auto* c = companies[cid];
        int table = next_table[cid]++ % std::max(1, c->tables);
        edges.push_back({student_vertex[sid], table_vertex[{cid, table}], meeting{sid, cid, -1, table, false}});
    }

    auto free_at = [&](int v, int slot) {
        return busy[static_cast<std::size_t>(v)][static_cast<std::size_t>(slot)] < 0 &&
               allowed[static_cast<std::size_t>(v)][static_cast<std::size_t>(slot)];
    };
    // Swaps colours a and b along the alternating path that starts at v with colour a.
    // Returns false (and changes nothing) if a participant on the path cannot take its new slot.
    auto flip = [&](int v, int a, int b) {
        std::vector<std::size_t> path;
        int at = v, colour = a;
        std::set<std::size_t> seen;
        while (true) {
            int e = busy[static_cast<std::size_t>(at)][static_cast<std::size_t>(colour)];
            if (e < 0 || seen.count(static_cast<std::size_t>(e))) break;
            seen.insert(static_cast<std::size_t>(e));
            path.push_back(static_cast<std::size_t>(e));
            at = edges[static_cast<std::size_t>(e)].a == at ? edges[static_cast<std::size_t>(e)].b : edges[static_cast<std::size_t>(e)].a;
            colour = colour == a ? b : a;
        }
        for (auto e : path) {
            if (edges[e].m.pinned || edges[e].m.slot < p.now_slot) return false;
            int to = edges[e].m.slot == a ? b : a;
            if (!allowed[static_cast<std::size_t>(edges[e].a)][static_cast<std::size_t>(to)] ||
                !allowed[static_cast<std::size_t>(edges[e].b)][static_cast<std::size_t>(to)])
                return false;
        }
        std::vector<int> to(path.size());
        for (std::size_t i = 0; i < path.size(); ++i) to[i] = edges[path[i]].m.slot == a ? b : a;
        for (auto e : path) unplace(e);
        for (std::size_t i = 0; i < path.size(); ++i) place(path[i], to[i]);
        return true;
    };

    std::vector<std::size_t> unplaced;
    for (std::size_t e = first_new; e < edges.size(); ++e) {
        const int a = edges[e].a, b = edges[e].b;
        bool done = false;
        // A slot free for both.
        for (int s = 0; s < slots && !done; ++s)
            if (free_at(a, s) && free_at(b, s)) {
                place(e, s);
                done = true;
            }
        // König: a slot alpha free at the student and beta free at the table; flipping the
        // alpha/beta path from the table frees alpha there.
        for (int alpha = 0; alpha < slots && !done; ++alpha) {
            if (!free_at(a, alpha) || !allowed[static_cast<std::size_t>(b)][static_cast<std::size_t>(alpha)]) continue;
            for (int beta = 0; beta < slots && !done; ++beta) {
                if (beta == alpha || !free_at(b, beta)) continue;
                if (flip(b, alpha, beta) && free_at(a, alpha) && free_at(b, alpha)) {
                    place(e, alpha);
                    done = true;
                }
            }
        }
        if (!done) unplaced.push_back(e);
    }

    // Repair: a meeting that found no slot may take one from a movable meeting of the same
    // student or table that can itself move to a slot free for both its participants.
    for (auto e : unplaced) {
        const int a = edges[e].a, b = edges[e].b;
        bool done = false;
        for (int s = 0; s < slots && !done; ++s) {
            if (!allowed[static_cast<std::size_t>(a)][static_cast<std::size_t>(s)] ||
                !allowed[static_cast<std::size_t>(b)][static_cast<std::size_t>(s)])
                continue;
            std::vector<int> blockers;
            for (int v : {a, b})
                if (int x = busy[static_cast<std::size_t>(v)][static_cast<std::size_t>(s)]; x >= 0) blockers.push_back(x);
            std::sort(blockers.begin(), blockers.end());
            blockers.erase(std::unique(blockers.begin(), blockers.end()), blockers.end());
            std::vector<std::pair<std::size_t, int>> moves;
            bool movable = true;
            for (int x : blockers) {
                auto& bx = edges[static_cast<std::size_t>(x)];
                if (bx.m.pinned || bx.m.slot < p.now_slot) {
                    movable = false;
                    break;
                }
                int to = -1;
                for (int t = 0; t < slots && to < 0; ++t)
                    if (t != s && free_at(bx.a, t) && free_at(bx.b, t)) to = t;
                if (to < 0) {
                    movable = false;
                    break;
                }
                moves.emplace_back(static_cast<std::size_t>(x), to);
            }
            if (!movable) continue;
            std::vector<std::pair<std::size_t, int>> undo;
            for (auto [x, to] : moves) {
                undo.emplace_back(x, edges[x].m.slot);
                unplace(x);
                if (!free_at(edges[x].a, to) || !free_at(edges[x].b, to)) {
                    movable = false;
                    break;
                }
                place(x, to);
            }
            if (movable && free_at(a, s) && free_at(b, s)) {
                place(e, s);
                done = true;
            } else {
                for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
                    unplace(it->first);
                    place(it->first, it->second);
                }
            }
        }
        if (!done) out.dropped.push_back(edges[e].m);
    }

    for (const auto& e : edges)
        if (e.m.slot >= 0) out.meetings.push_back(e.m);
    std::sort(out.meetings.begin(), out.meetings.end(), [](const meeting& x, const meeting& y) {
        return std::tie(x.slot, x.company, x.table, x.student) < std::tie(y.slot, y.company, y.table, y.student);
    });

    auto& st = out.stats;
    st.upper_bound = static_cast<int>(pairs.size() + first_new);
    for (const auto& m : out.meetings) {
        ++st.meetings;
        st.per_company[m.company]++;
        st.per_student[m.student]++;
        const auto* s = students[m.student];
        const auto* c = companies[m.company];
        int r = rank_of(*s, m.company);
        st.honoured_by_rank[r]++;
        st.rank_cost += r;
        if (c->wants.count(m.student)) st.mutual++;
    }
    return out;
}

}  // namespace
}  // namespace creneau::jobdating
