#include "common/jobdating/solver.hpp"

#include <lemon/network_simplex.h>
#include <lemon/preflow.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace creneau::jobdating {
namespace {

int count(const std::vector<bool>& v) {
    return static_cast<int>(std::count(v.begin(), v.end(), true));
}

}  // namespace

std::vector<bool> usable_slots(int first, int last, const problem& p) {
    std::vector<bool> ok(static_cast<std::size_t>(std::max(0, p.slots)), false);
    for (int s = std::max({0, first, p.now_slot}); s <= std::min(last, p.slots - 1); ++s)
        ok[static_cast<std::size_t>(s)] = !p.breaks.count(s);
    return ok;
}

std::vector<meeting> kept_meetings(const problem& p) {
    // Only what can stand: both participants present in the problem, a slot of the day, one
    // of the company's tables, nobody twice in a slot, no table twice, no pair twice; of two
    // that collide, the first (pins before past meetings) stays.
    std::map<std::string, int> tables;
    std::set<std::string> students;
    for (const auto& c : p.companies) tables[c.id] = std::max(1, c.tables);
    for (const auto& s : p.students) students.insert(s.id);
    std::set<std::pair<std::string, int>> student_slot;
    std::set<std::tuple<std::string, int, int>> table_slot;
    std::set<std::pair<std::string, std::string>> pairs;
    std::vector<meeting> kept;
    auto keep = [&](meeting m, bool pinned) {
        auto t = tables.find(m.company);
        if (t == tables.end() || !students.count(m.student) || m.slot < 0 || m.slot >= p.slots ||
            m.table < 0 || m.table >= t->second)
            return;
        if (student_slot.count({m.student, m.slot}) ||
            table_slot.count({m.company, m.table, m.slot}) || pairs.count({m.student, m.company}))
            return;
        student_slot.insert({m.student, m.slot});
        table_slot.insert({m.company, m.table, m.slot});
        pairs.insert({m.student, m.company});
        m.pinned = pinned;
        kept.push_back(m);
    };
    for (const auto& m : p.pinned) keep(m, true);
    for (const auto& m : p.previous)
        if (m.slot < p.now_slot) keep(m, m.pinned);
    return kept;
}

bool could_wait(const problem& p, const std::vector<bool>& usable, int slot) {
    const auto i = static_cast<std::size_t>(slot);
    // A wait in a slot already past was a wait all the same.
    return slot >= 0 && i < usable.size() &&
           (usable[i] || (slot < p.now_slot && !p.breaks.count(slot)));
}

std::vector<meeting> still_dropped(const std::vector<meeting>& dropped,
                                   const std::vector<meeting>& meetings) {
    std::vector<meeting> out;
    for (const auto& d : dropped)
        if (std::none_of(meetings.begin(), meetings.end(), [&](const meeting& m) {
                return m.student == d.student && m.company == d.company;
            }))
            out.push_back(d);
    return out;
}

void sort_timetable(std::vector<meeting>& meetings) {
    std::sort(meetings.begin(), meetings.end(), [](const meeting& x, const meeting& y) {
        return std::tie(x.slot, x.company, x.table, x.student) <
               std::tie(y.slot, y.company, y.table, y.student);
    });
}

std::map<std::string, int> idle_slots(const problem& p, const std::vector<meeting>& meetings) {
    std::map<std::string, std::vector<bool>> busy;
    std::map<std::string, std::vector<bool>> open;
    const auto slots = static_cast<std::size_t>(std::max(0, p.slots));
    for (const auto& s : p.students) open[s.id] = usable_slots(s.first_slot, s.last_slot, p);
    for (const auto& c : p.companies) open[c.id] = usable_slots(c.first_slot, c.last_slot, p);
    for (const auto& m : meetings) {
        if (m.slot < 0 || static_cast<std::size_t>(m.slot) >= slots) continue;
        for (const auto* who : {&m.student, &m.company}) {
            auto& b = busy[*who];
            b.resize(slots, false);
            b[static_cast<std::size_t>(m.slot)] = true;
        }
    }
    std::map<std::string, int> out;
    for (const auto& [who, b] : busy) {
        const auto first = std::find(b.begin(), b.end(), true) - b.begin();
        const auto last = b.rend() - std::find(b.rbegin(), b.rend(), true) - 1;
        const auto& usable = open[who];
        int idle = 0;
        for (auto t = first; t <= last; ++t)
            if (!b[static_cast<std::size_t>(t)] && could_wait(p, usable, static_cast<int>(t)))
                ++idle;
        out[who] = idle;
    }
    return out;
}

figures figures_of(const problem& p, const std::vector<meeting>& meetings) {
    std::map<std::string, const student*> students;
    std::map<std::string, const company*> companies;
    for (const auto& s : p.students) students[s.id] = &s;
    for (const auto& c : p.companies) companies[c.id] = &c;
    figures st;
    for (const auto& m : meetings) {
        ++st.meetings;
        st.per_company[m.company]++;
        st.per_student[m.student]++;
        auto s = students.find(m.student);
        auto c = companies.find(m.company);
        int r = s == students.end() ? 0 : rank_of(*s->second, m.company);
        st.honoured_by_rank[r]++;
        st.rank_cost += r;
        if (c != companies.end() && c->second->wants.count(m.student)) st.mutual++;
    }
    int with_meetings = 0;
    for (const auto& [who, idle] : idle_slots(p, meetings)) {
        ++with_meetings;
        st.idle_total += idle;
        st.idle_worst = std::max(st.idle_worst, idle);
    }
    st.idle_mean = with_meetings ? static_cast<double>(st.idle_total) / with_meetings : 0;
    return st;
}

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
std::vector<std::pair<std::string, std::string>> choose(const problem& p,
                                                        const pair_set& forbidden);
solution build_once(const problem& p, const pair_set& forbidden);
}  // namespace

std::vector<std::pair<std::string, std::string>> choose_pairs(const problem& p) {
    return choose(p, {});
}

solution build(const problem& p) {
    // Step 1 does not see when people are there together, so a chosen meeting may not fit.
    // Repair: keep what was placed, forbid what was not, and let the flow fill the
    // capacity left with other pairs, a few rounds at most.
    pair_set forbidden;
    solution t = build_once(p, forbidden);
    const int bound = t.stats.upper_bound;
    std::vector<meeting> dropped = t.dropped;
    for (int round = 0; round < 4 && !t.dropped.empty(); ++round) {
        for (const auto& m : t.dropped) forbidden.insert({m.student, m.company});
        problem again = p;
        again.pinned = t.meetings;
        again.previous.clear();
        solution next = build_once(again, forbidden);
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
    t.dropped = still_dropped(dropped, t.meetings);
    t.stats.upper_bound = std::max(bound, t.stats.meetings);
    return t;
}

namespace {

std::vector<std::pair<std::string, std::string>> choose(const problem& p,
                                                        const pair_set& forbidden) {
    const auto kept = kept_meetings(p);
    // What kept meetings take: from a participant's maximum all of them, from its usable
    // slots only those in them (past meetings are not in usable slots), so that the flow
    // stays a bound on what any timetable can hold.
    std::map<std::string, std::vector<int>> kept_slots;  // student or company → slots
    std::set<std::pair<std::string, std::string>> kept_pairs;
    for (const auto& m : kept) {
        kept_slots[m.student].push_back(m.slot);
        kept_slots[m.company].push_back(m.slot);
        kept_pairs.insert({m.student, m.company});
    }
    auto kept_all = [&](const std::string& id) {
        auto it = kept_slots.find(id);
        return it == kept_slots.end() ? 0L : static_cast<long>(it->second.size());
    };
    auto kept_in = [&](const std::string& id, const std::vector<bool>& usable) {
        long n = 0;
        if (auto it = kept_slots.find(id); it != kept_slots.end())
            for (int slot : it->second) n += usable[static_cast<std::size_t>(slot)] ? 1 : 0;
        return n;
    };

    // The network: source → student (its capacity) → company (one per wish, its cost) →
    // sink (the company's capacity). The most meetings first (a maximum flow), then the
    // cheapest way to hold that many (network simplex); both LEMON's.
    using digraph = lemon::SmartDigraph;
    digraph g;
    const auto source = g.addNode(), sink = g.addNode();
    digraph::ArcMap<long> capacity(g), cost(g);
    auto add = [&](digraph::Node u, digraph::Node v, long cap, long c) {
        auto a = g.addArc(u, v);
        capacity[a] = cap;
        cost[a] = c;
        return a;
    };
    const std::size_t nc = p.companies.size();
    std::vector<digraph::Node> company_node(nc);
    std::map<std::string, std::size_t> company_index;
    std::vector<std::vector<bool>> company_usable(nc);
    for (std::size_t j = 0; j < nc; ++j) {
        const auto& c = p.companies[j];
        company_node[j] = g.addNode();
        company_index[c.id] = j;
        company_usable[j] = usable_slots(c.first_slot, c.last_slot, p);
        // A company holds at most one meeting per table and usable slot.
        int free_slots = count(company_usable[j]);
        long cap = std::min<long>(c.max_meetings - kept_all(c.id),
                                  static_cast<long>(std::max(1, c.tables)) * free_slots -
                                      kept_in(c.id, company_usable[j]));
        if (cap > 0) add(company_node[j], sink, cap, 0);
    }
    std::vector<std::tuple<digraph::Arc, std::size_t, std::size_t>> pair_arcs;
    for (std::size_t i = 0; i < p.students.size(); ++i) {
        const auto& s = p.students[i];
        const auto mine = usable_slots(s.first_slot, s.last_slot, p);
        int free_slots = count(mine);
        long cap =
            std::min<long>(s.max_meetings - kept_all(s.id), free_slots - kept_in(s.id, mine));
        if (cap <= 0) continue;
        const auto student_node = g.addNode();
        add(source, student_node, cap, 0);
        for (const auto& cid : s.ranking) {
            auto it = company_index.find(cid);
            if (it == company_index.end()) continue;
            const auto& c = p.companies[it->second];
            if (c.declines.count(s.id) || kept_pairs.count({s.id, c.id}) ||
                forbidden.count({s.id, c.id}))
                continue;  // a decline forbids it
            // Both must be there at the same time for at least one slot.
            bool overlap = false;
            for (std::size_t k = 0; k < mine.size() && !overlap; ++k)
                overlap = mine[k] && company_usable[it->second][k];
            if (!overlap) continue;
            pair_arcs.emplace_back(add(student_node, company_node[it->second], 1, pair_cost(s, c)),
                                   i, it->second);
        }
    }
    lemon::Preflow<digraph, digraph::ArcMap<long>> most(g, capacity, source, sink);
    most.runMinCut();
    lemon::NetworkSimplex<digraph, long, long> cheapest(g);
    cheapest.upperMap(capacity).costMap(cost).stSupply(source, sink, most.flowValue());
    // A flow of that value exists (the maximum flow is one) and costs are bounded, so the
    // simplex finds the optimum; anything else is a bug in the network built above.
    if (cheapest.run() != decltype(cheapest)::OPTIMAL)
        throw std::logic_error("the Job Dating's flow network has no optimum");

    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [a, i, j] : pair_arcs)
        if (cheapest.flow(a) > 0) out.emplace_back(p.students[i].id, p.companies[j].id);
    return out;
}

// The bipartite meeting graph and its colouring with the day's slots. Vertices are the
// students and each company's tables; a meeting is an edge; busy[v][slot] is the meeting a
// vertex has in a slot, or -1.
class colouring {
  public:
    colouring(const problem& p) : p_(p), slots_(std::max(0, p.slots)) {
        for (const auto& s : p.students) {
            student_vertex_[s.id] = add_vertex(usable_slots(s.first_slot, s.last_slot, p));
            students_[s.id] = &s;
        }
        for (const auto& c : p.companies) {
            companies_[c.id] = &c;
            for (int t = 0; t < std::max(1, c.tables); ++t)
                table_vertex_[{c.id, t}] = add_vertex(usable_slots(c.first_slot, c.last_slot, p));
        }
    }

    // Kept meetings first, in their own slots; of two that collide, the first stays.
    void keep(const std::vector<meeting>& kept) {
        for (const auto& k : kept) {
            if (!students_.count(k.student) || !companies_.count(k.company) || k.slot < 0 ||
                k.slot >= slots_)
                continue;
            int table = std::clamp(k.table, 0, std::max(1, companies_[k.company]->tables) - 1);
            edge e{student_vertex_[k.student], table_vertex_[{k.company, table}], k};
            e.m.table = table;
            if (busy_at(e.a, k.slot) >= 0 || busy_at(e.b, k.slot) >= 0) continue;
            edges_.push_back(e);
            place(edges_.size() - 1, k.slot);
        }
        first_new_ = edges_.size();
    }

    // The chosen pairs, spread over the company's tables (round robin keeps degrees even),
    // each in a slot free for both, else by flipping an alternating path (König), else by
    // moving a meeting out of the way; what still does not fit is returned.
    std::vector<meeting> place_pairs(
        const std::vector<std::pair<std::string, std::string>>& pairs) {
        std::map<std::string, int> next_table;
        for (const auto& [sid, cid] : pairs) {
            int table = next_table[cid]++ % std::max(1, companies_[cid]->tables);
            edges_.push_back({student_vertex_[sid], table_vertex_[{cid, table}],
                              meeting{sid, cid, -1, table, false}});
        }
        std::vector<std::size_t> unplaced;
        for (std::size_t e = first_new_; e < edges_.size(); ++e)
            if (!place_free(e) && !place_by_flip(e)) unplaced.push_back(e);
        std::vector<meeting> dropped;
        for (auto e : unplaced)
            if (!place_by_moving(e)) dropped.push_back(edges_[e].m);
        return dropped;
    }

    std::size_t kept_count() const { return first_new_; }

    std::vector<meeting> meetings() const {
        std::vector<meeting> out;
        for (const auto& e : edges_)
            if (e.m.slot >= 0) out.push_back(e.m);
        sort_timetable(out);
        return out;
    }

  private:
    struct edge {
        int a, b;  // student vertex, table vertex
        meeting m;
    };

    int add_vertex(std::vector<bool> ok) {
        busy_.emplace_back(static_cast<std::size_t>(slots_), -1);
        allowed_.push_back(std::move(ok));
        return static_cast<int>(busy_.size()) - 1;
    }
    int& busy_at(int v, int slot) {
        return busy_[static_cast<std::size_t>(v)][static_cast<std::size_t>(slot)];
    }
    bool allowed_at(int v, int slot) const {
        return allowed_[static_cast<std::size_t>(v)][static_cast<std::size_t>(slot)];
    }
    bool free_at(int v, int slot) { return busy_at(v, slot) < 0 && allowed_at(v, slot); }
    bool movable(const edge& e) const { return !e.m.pinned && e.m.slot >= p_.now_slot; }

    void place(std::size_t e, int slot) {
        busy_at(edges_[e].a, slot) = static_cast<int>(e);
        busy_at(edges_[e].b, slot) = static_cast<int>(e);
        edges_[e].m.slot = slot;
    }
    void unplace(std::size_t e) {
        int slot = edges_[e].m.slot;
        if (slot < 0) return;
        busy_at(edges_[e].a, slot) = -1;
        busy_at(edges_[e].b, slot) = -1;
        edges_[e].m.slot = -1;
    }

    // A slot free for both.
    bool place_free(std::size_t e) {
        for (int s = 0; s < slots_; ++s)
            if (free_at(edges_[e].a, s) && free_at(edges_[e].b, s)) {
                place(e, s);
                return true;
            }
        return false;
    }

    // Swaps colours a and b along the alternating path that starts at v with colour a.
    // Returns false (and changes nothing) if a meeting on the path cannot take its new slot.
    bool flip(int v, int a, int b) {
        std::vector<std::size_t> path;
        std::set<std::size_t> seen;
        for (int at = v, colour = a;;) {
            int e = busy_at(at, colour);
            if (e < 0 || !seen.insert(static_cast<std::size_t>(e)).second) break;
            path.push_back(static_cast<std::size_t>(e));
            const auto& ed = edges_[static_cast<std::size_t>(e)];
            at = ed.a == at ? ed.b : ed.a;
            colour = colour == a ? b : a;
        }
        std::vector<int> to(path.size());
        for (std::size_t i = 0; i < path.size(); ++i) {
            const auto& ed = edges_[path[i]];
            to[i] = ed.m.slot == a ? b : a;
            if (!movable(ed) || !allowed_at(ed.a, to[i]) || !allowed_at(ed.b, to[i])) return false;
        }
        for (auto e : path) unplace(e);
        for (std::size_t i = 0; i < path.size(); ++i) place(path[i], to[i]);
        return true;
    }

    // König: a slot alpha free at the student and beta free at the table; flipping the
    // alpha/beta path from the table frees alpha there.
    bool place_by_flip(std::size_t e) {
        const int a = edges_[e].a, b = edges_[e].b;
        for (int alpha = 0; alpha < slots_; ++alpha) {
            if (!free_at(a, alpha) || !allowed_at(b, alpha)) continue;
            for (int beta = 0; beta < slots_; ++beta) {
                if (beta == alpha || !free_at(b, beta)) continue;
                if (flip(b, alpha, beta) && free_at(a, alpha) && free_at(b, alpha)) {
                    place(e, alpha);
                    return true;
                }
            }
        }
        return false;
    }

    // A meeting that found no slot may take one from a movable meeting of the same student
    // or table that can itself move to a slot free for both its participants.
    bool place_by_moving(std::size_t e) {
        const int a = edges_[e].a, b = edges_[e].b;
        for (int s = 0; s < slots_; ++s) {
            if (!allowed_at(a, s) || !allowed_at(b, s)) continue;
            std::vector<std::pair<std::size_t, int>> moves;
            if (!plan_moves(a, b, s, moves)) continue;
            std::vector<std::pair<std::size_t, int>> undo;
            bool ok = true;
            for (auto [x, to] : moves) {
                undo.emplace_back(x, edges_[x].m.slot);
                unplace(x);
                if (!free_at(edges_[x].a, to) || !free_at(edges_[x].b, to)) {
                    ok = false;
                    break;
                }
                place(x, to);
            }
            if (ok && free_at(a, s) && free_at(b, s)) {
                place(e, s);
                return true;
            }
            for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
                unplace(it->first);
                place(it->first, it->second);
            }
        }
        return false;
    }

    // Where the meetings holding slot s at a or b could go instead, if they all can.
    bool plan_moves(int a, int b, int s, std::vector<std::pair<std::size_t, int>>& moves) {
        std::vector<int> blockers;
        for (int v : {a, b})
            if (int x = busy_at(v, s); x >= 0) blockers.push_back(x);
        std::sort(blockers.begin(), blockers.end());
        blockers.erase(std::unique(blockers.begin(), blockers.end()), blockers.end());
        for (int x : blockers) {
            const auto& bx = edges_[static_cast<std::size_t>(x)];
            if (!movable(bx)) return false;
            int to = -1;
            for (int t = 0; t < slots_ && to < 0; ++t)
                if (t != s && free_at(bx.a, t) && free_at(bx.b, t)) to = t;
            if (to < 0) return false;
            moves.emplace_back(static_cast<std::size_t>(x), to);
        }
        return true;
    }

    const problem& p_;
    const int slots_;
    std::map<std::string, int> student_vertex_;
    std::map<std::pair<std::string, int>, int> table_vertex_;
    std::map<std::string, const student*> students_;
    std::map<std::string, const company*> companies_;
    std::vector<std::vector<int>> busy_;
    std::vector<std::vector<bool>> allowed_;
    std::vector<edge> edges_;
    std::size_t first_new_ = 0;
};

solution build_once(const problem& p, const pair_set& forbidden) {
    const auto pairs = choose(p, forbidden);
    colouring graph(p);
    graph.keep(kept_meetings(p));
    solution out;
    out.dropped = graph.place_pairs(pairs);
    out.meetings = graph.meetings();
    out.stats = figures_of(p, out.meetings);
    out.stats.upper_bound = static_cast<int>(pairs.size() + graph.kept_count());
    return out;
}

}  // namespace
}  // namespace creneau::jobdating
