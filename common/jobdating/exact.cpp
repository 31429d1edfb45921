#include "common/jobdating/exact.hpp"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <tuple>

namespace creneau::jobdating {
namespace {

using clock = std::chrono::steady_clock;

// Beyond this many choices (student, company, slot), the integer programme is not tried.
constexpr std::size_t max_columns = 40000;

// A participant as the programme sees it: the slots it can use, what kept meetings already
// take in each, and how many meetings it may hold at once (a company's tables).
struct side {
    std::string id;
    std::vector<bool> usable;
    std::vector<int> kept_at;  // kept meetings in each slot
    int at_once = 1;
    int left = 0;  // meetings it may still have beyond the kept ones
};

// One variable of the programme: this student meets this company in this slot.
struct choice {
    int student, company, slot;
    long cost;
};

// The rows and columns of one GLPK problem, built once and then given one objective and
// the bounds of the steps before it.
class programme {
  public:
    explicit programme(const problem& p) : p_(p), lp_(glp_create_prob(), glp_delete_prob) {
        const int slots = std::max(0, p.slots);
        const auto kept = kept_meetings(p);
        std::map<std::string, int> s_index, c_index;
        for (const auto& s : p.students) {
            s_index[s.id] = static_cast<int>(students_.size());
            students_.push_back({s.id, usable_slots(s.first_slot, s.last_slot, p),
                                 std::vector<int>(static_cast<std::size_t>(slots), 0), 1, 0});
        }
        for (const auto& c : p.companies) {
            c_index[c.id] = static_cast<int>(companies_.size());
            companies_.push_back({c.id, usable_slots(c.first_slot, c.last_slot, p),
                                  std::vector<int>(static_cast<std::size_t>(slots), 0),
                                  std::max(1, c.tables), 0});
        }
        std::set<std::pair<int, int>> kept_pairs;
        std::vector<int> kept_s(students_.size()), kept_c(companies_.size());
        for (const auto& m : kept) {
            auto si = s_index.find(m.student);
            auto ci = c_index.find(m.company);
            if (si == s_index.end() || ci == c_index.end() || m.slot < 0 || m.slot >= slots)
                continue;
            students_[static_cast<std::size_t>(si->second)]
                .kept_at[static_cast<std::size_t>(m.slot)]++;
            companies_[static_cast<std::size_t>(ci->second)]
                .kept_at[static_cast<std::size_t>(m.slot)]++;
            kept_s[static_cast<std::size_t>(si->second)]++;
            kept_c[static_cast<std::size_t>(ci->second)]++;
            kept_pairs.insert({si->second, ci->second});
        }
        for (std::size_t i = 0; i < students_.size(); ++i)
            students_[i].left = std::max(0, p.students[i].max_meetings - kept_s[i]);
        for (std::size_t j = 0; j < companies_.size(); ++j)
            companies_[j].left = std::max(0, p.companies[j].max_meetings - kept_c[j]);

        for (std::size_t i = 0; i < p.students.size(); ++i) {
            const auto& s = p.students[i];
            std::set<int> seen;
            for (const auto& cid : s.ranking) {
                auto ci = c_index.find(cid);
                if (ci == c_index.end() || !seen.insert(ci->second).second) continue;
                const auto& c = p.companies[static_cast<std::size_t>(ci->second)];
                if (c.declines.count(s.id) || kept_pairs.count({static_cast<int>(i), ci->second}))
                    continue;
                for (int t = 0; t < slots; ++t)
                    if (open_at(students_[i], t) &&
                        open_at(companies_[static_cast<std::size_t>(ci->second)], t))
                        choices_.push_back({static_cast<int>(i), ci->second, t, pair_cost(s, c)});
            }
        }
    }

    std::size_t size() const { return choices_.size(); }

    // The rows, once the size is known to be worth it.
    void build() { build_rows(); }

    // The 0/1 values of the choices for a timetable's movable meetings (others ignored).
    std::vector<double> values_of(const std::vector<meeting>& meetings) const {
        std::map<std::tuple<std::string, std::string, int>, std::size_t> where;
        for (std::size_t k = 0; k < choices_.size(); ++k) {
            const auto& x = choices_[k];
            where[{students_[static_cast<std::size_t>(x.student)].id,
                   companies_[static_cast<std::size_t>(x.company)].id, x.slot}] = k;
        }
        std::vector<double> v(choices_.size(), 0.0);
        for (const auto& m : meetings)
            if (auto it = where.find({m.student, m.company, m.slot}); it != where.end())
                v[it->second] = 1.0;
        return v;
    }

    struct result {
        bool found = false;
        bool proven = false;
        double value = 0;  // of the objective
        double bound = 0;  // best bound on it
        std::vector<double> x;
    };

    // Step 1 (maximise meetings), 2 (minimise rank cost with meetings >= m) or 3 (minimise
    // idle slots with meetings >= m and cost <= cost), from `start`.
    result solve(int step, double min_meetings, double max_cost, const std::vector<double>& start,
                 double seconds) {
        glp_prob* lp = lp_.get();
        const int n = static_cast<int>(choices_.size());
        for (int k = 1; k <= glp_get_num_cols(lp); ++k) glp_set_obj_coef(lp, k, 0.0);
        if (step == 1) {
            glp_set_obj_dir(lp, GLP_MAX);
            for (int k = 1; k <= n; ++k) glp_set_obj_coef(lp, k, 1.0);
        } else if (step == 2) {
            glp_set_obj_dir(lp, GLP_MIN);
            for (int k = 1; k <= n; ++k)
                glp_set_obj_coef(
                    lp, k, static_cast<double>(choices_[static_cast<std::size_t>(k - 1)].cost));
        } else {
            glp_set_obj_dir(lp, GLP_MIN);
            add_idle_columns();
            for (int k : idle_cols_) glp_set_obj_coef(lp, k, 1.0);
        }
        glp_set_row_bnds(lp, meetings_row_, step >= 2 ? GLP_LO : GLP_FR, min_meetings, 0.0);
        glp_set_row_bnds(lp, cost_row_, step >= 3 ? GLP_UP : GLP_FR, 0.0, max_cost);

        // The relaxation first, by the simplex within part of the time (without GLPK's
        // presolver, so that the search sees our columns and can start from our timetable).
        const auto until = clock::now() + std::chrono::duration<double>(seconds);
        glp_smcp lp_parm;
        glp_init_smcp(&lp_parm);
        lp_parm.msg_lev = GLP_MSG_OFF;
        lp_parm.meth = GLP_DUALP;
        lp_parm.tm_lim = std::max(1, static_cast<int>(seconds * 600));
        result r;
        if (glp_simplex(lp, &lp_parm) != 0 || glp_get_status(lp) != GLP_OPT) return r;
        const double relaxation = glp_get_obj_val(lp);  // a bound on any integer solution
        search s;
        s.start = full_start(start);
        // GLPK takes a start as it is (it does not check it): only a feasible one is given.
        if (!feasible(s.start)) s.start.clear();
        glp_iocp parm;
        glp_init_iocp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        parm.presolve = GLP_OFF;
        const double left = std::chrono::duration<double>(until - clock::now()).count();
        parm.tm_lim = std::max(1, static_cast<int>(left * 1000));
        parm.cb_func = &search::callback;
        parm.cb_info = &s;
        int rc = glp_intopt(lp, &parm);
        int status = glp_mip_status(lp);
        r.found = (rc == 0 || rc == GLP_ETMLIM) && (status == GLP_OPT || status == GLP_FEAS);
        r.proven = rc == 0 && status == GLP_OPT;
        if (!r.found) return r;
        r.value = glp_mip_obj_val(lp);
        if (r.proven)
            r.bound = r.value;
        else if (step == 1)
            r.bound = s.has_bound ? std::min(s.bound, relaxation) : relaxation;
        else
            r.bound = s.has_bound ? std::max(s.bound, relaxation) : relaxation;
        r.x.resize(choices_.size());
        for (int k = 1; k <= n; ++k) r.x[static_cast<std::size_t>(k - 1)] = glp_mip_col_val(lp, k);
        return r;
    }

    // The meetings of a solution: the kept ones as they are, the chosen ones with table 0
    // (the compaction gives the tables of each slot).
    std::vector<meeting> meetings_of(const std::vector<double>& x) const {
        std::vector<meeting> out = kept_meetings(p_);
        for (std::size_t k = 0; k < choices_.size(); ++k) {
            if (x[k] < 0.5) continue;
            const auto& c = choices_[k];
            out.push_back({students_[static_cast<std::size_t>(c.student)].id,
                           companies_[static_cast<std::size_t>(c.company)].id, c.slot, 0, false});
        }
        return out;
    }

    long cost_of(const std::vector<double>& x) const {
        long cost = 0;
        for (std::size_t k = 0; k < x.size(); ++k)
            if (x[k] > 0.5) cost += choices_[k].cost;
        return cost;
    }
    static int count_of(const std::vector<double>& x) {
        return static_cast<int>(
            std::count_if(x.begin(), x.end(), [](double v) { return v > 0.5; }));
    }

  private:
    // What GLPK's branch and bound reports to us, and the timetable it starts from.
    struct search {
        std::vector<double> start;  // 1-based, every column
        bool given = false;
        bool has_bound = false;
        double bound = 0;
        static void callback(glp_tree* tree, void* info) {
            auto* s = static_cast<search*>(info);
            switch (glp_ios_reason(tree)) {
                case GLP_IHEUR:
                    if (!s->given && !s->start.empty()) {
                        s->given = true;
                        glp_ios_heur_sol(tree, s->start.data());
                    }
                    break;
                case GLP_IBINGO:
                case GLP_ISELECT: {
                    int best = glp_ios_best_node(tree);
                    if (best) {
                        s->bound = glp_ios_node_bound(tree, best);
                        s->has_bound = true;
                    }
                    break;
                }
                default:
                    break;
            }
        }
    };

    static bool open_at(const side& x, int t) {
        auto i = static_cast<std::size_t>(t);
        return x.usable[i] && x.kept_at[i] < x.at_once;
    }

    void add_row(const std::vector<int>& cols, const std::vector<double>& coefs, int type,
                 double lo, double up) {
        glp_prob* lp = lp_.get();
        int row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, type, lo, up);
        std::vector<int> ind(1, 0);
        std::vector<double> val(1, 0.0);
        ind.insert(ind.end(), cols.begin(), cols.end());
        val.insert(val.end(), coefs.begin(), coefs.end());
        glp_set_mat_row(lp, row, static_cast<int>(cols.size()), ind.data(), val.data());
    }

    void build_rows() {
        glp_prob* lp = lp_.get();
        const int n = static_cast<int>(choices_.size());
        if (n > 0) glp_add_cols(lp, n);
        for (int k = 1; k <= n; ++k) glp_set_col_kind(lp, k, GLP_BV);
        // By participant and slot, by pair, by participant.
        std::map<std::pair<int, int>, std::vector<int>> s_slot, c_slot, pair;
        std::map<int, std::vector<int>> s_all, c_all;
        for (int k = 1; k <= n; ++k) {
            const auto& x = choices_[static_cast<std::size_t>(k - 1)];
            s_slot[{x.student, x.slot}].push_back(k);
            c_slot[{x.company, x.slot}].push_back(k);
            pair[{x.student, x.company}].push_back(k);
            s_all[x.student].push_back(k);
            c_all[x.company].push_back(k);
        }
        auto ones = [](const std::vector<int>& cols) {
            return std::vector<double>(cols.size(), 1.0);
        };
        for (const auto& [key, cols] : s_slot) add_row(cols, ones(cols), GLP_UP, 0, 1);
        for (const auto& [key, cols] : c_slot) {
            const auto& c = companies_[static_cast<std::size_t>(key.first)];
            add_row(cols, ones(cols), GLP_UP, 0,
                    c.at_once - c.kept_at[static_cast<std::size_t>(key.second)]);
        }
        for (const auto& [key, cols] : pair) add_row(cols, ones(cols), GLP_UP, 0, 1);
        for (const auto& [i, cols] : s_all)
            if (static_cast<int>(cols.size()) > students_[static_cast<std::size_t>(i)].left)
                add_row(cols, ones(cols), GLP_UP, 0, students_[static_cast<std::size_t>(i)].left);
        for (const auto& [j, cols] : c_all)
            if (static_cast<int>(cols.size()) > companies_[static_cast<std::size_t>(j)].left)
                add_row(cols, ones(cols), GLP_UP, 0, companies_[static_cast<std::size_t>(j)].left);
        // The bounds of the earlier steps: meetings, and rank cost.
        std::vector<int> all(static_cast<std::size_t>(n));
        std::vector<double> costs(static_cast<std::size_t>(n));
        for (int k = 1; k <= n; ++k) {
            all[static_cast<std::size_t>(k - 1)] = k;
            costs[static_cast<std::size_t>(k - 1)] =
                static_cast<double>(choices_[static_cast<std::size_t>(k - 1)].cost);
        }
        add_row(all, ones(all), GLP_FR, 0, 0);
        meetings_row_ = glp_get_num_rows(lp);
        add_row(all, costs, GLP_FR, 0, 0);
        cost_row_ = glp_get_num_rows(lp);
        s_slot_ = std::move(s_slot);
        c_slot_ = std::move(c_slot);
    }

    // Step 3's columns: for each participant and usable slot, whether its day has begun
    // (f), has not ended (l), and whether it waits there (idle >= f + l - 1 - busy).
    void add_idle_columns() {
        if (idle_added_) return;
        idle_added_ = true;
        glp_prob* lp = lp_.get();
        auto add_col = [&](int kind) {
            int k = glp_add_cols(lp, 1);
            if (kind == GLP_BV) {
                glp_set_col_kind(lp, k, GLP_BV);
            } else {
                glp_set_col_bnds(lp, k, GLP_LO, 0.0, 0.0);
            }
            return k;
        };
        auto chain = [&](const side& who,
                         const std::map<std::pair<int, int>, std::vector<int>>& by_slot,
                         int index) {
            std::vector<int> slots;
            for (int t = 0; t < static_cast<int>(who.usable.size()); ++t)
                if (who.usable[static_cast<std::size_t>(t)]) slots.push_back(t);
            if (slots.size() < 3) return;
            int prev_f = 0, prev_l = 0;
            std::vector<int> ls;
            for (int t : slots) {
                auto it = by_slot.find({index, t});
                const std::vector<int> none;
                const auto& cols = it == by_slot.end() ? none : it->second;
                int kept = who.kept_at[static_cast<std::size_t>(t)];
                int f = add_col(GLP_BV), l = add_col(GLP_BV), idle = add_col(GLP_CV);
                idle_cols_.push_back(idle);
                chains_.push_back({f, l, idle, &who, t, index, &by_slot});
                // at_once * f >= busy, at_once * l >= busy (kept meetings count as busy).
                std::vector<int> c1 = cols;
                std::vector<double> v1(cols.size(), -1.0);
                c1.push_back(f);
                v1.push_back(who.at_once);
                add_row(c1, v1, GLP_LO, kept, 0);
                c1.back() = l;
                add_row(c1, v1, GLP_LO, kept, 0);
                if (prev_f) add_row({f, prev_f}, {1.0, -1.0}, GLP_LO, 0, 0);  // f never falls
                if (prev_l) add_row({prev_l, l}, {1.0, -1.0}, GLP_LO, 0, 0);  // l never rises
                // idle - f - l + busy >= -1 - kept
                std::vector<int> c3 = cols;
                std::vector<double> v3(cols.size(), 1.0);
                c3.insert(c3.end(), {idle, f, l});
                v3.insert(v3.end(), {1.0, -1.0, -1.0});
                add_row(c3, v3, GLP_LO, -1.0 - kept, 0);
                prev_f = f;
                prev_l = l;
            }
        };
        for (std::size_t i = 0; i < students_.size(); ++i)
            chain(students_[i], s_slot_, static_cast<int>(i));
        for (std::size_t j = 0; j < companies_.size(); ++j)
            chain(companies_[j], c_slot_, static_cast<int>(j));
    }

    // Whether a start (1-based, every column) keeps every row's and column's bounds.
    bool feasible(const std::vector<double>& v) const {
        glp_prob* lp = lp_.get();
        const int rows = glp_get_num_rows(lp), cols = glp_get_num_cols(lp);
        if (static_cast<int>(v.size()) != cols + 1) return false;
        auto within = [](int type, double lo, double up, double x) {
            const double eps = 1e-6;
            switch (type) {
                case GLP_LO:
                    return x >= lo - eps;
                case GLP_UP:
                    return x <= up + eps;
                case GLP_DB:
                    return x >= lo - eps && x <= up + eps;
                case GLP_FX:
                    return std::abs(x - lo) <= eps;
                default:
                    return true;
            }
        };
        for (int k = 1; k <= cols; ++k)
            if (!within(glp_get_col_type(lp, k), glp_get_col_lb(lp, k), glp_get_col_ub(lp, k),
                        v[static_cast<std::size_t>(k)]))
                return false;
        std::vector<int> ind(static_cast<std::size_t>(cols) + 1);
        std::vector<double> val(static_cast<std::size_t>(cols) + 1);
        for (int i = 1; i <= rows; ++i) {
            const int len = glp_get_mat_row(lp, i, ind.data(), val.data());
            double sum = 0;
            for (int k = 1; k <= len; ++k)
                sum += val[static_cast<std::size_t>(k)] *
                       v[static_cast<std::size_t>(ind[static_cast<std::size_t>(k)])];
            if (!within(glp_get_row_type(lp, i), glp_get_row_lb(lp, i), glp_get_row_ub(lp, i), sum))
                return false;
        }
        return true;
    }

    // A starting point for every column: the choices, and step 3's columns worked out.
    std::vector<double> full_start(const std::vector<double>& x) const {
        if (x.empty() && !choices_.empty()) return {};
        std::vector<double> v(static_cast<std::size_t>(glp_get_num_cols(lp_.get())) + 1, 0.0);
        for (std::size_t k = 0; k < x.size(); ++k) v[k + 1] = x[k];
        // Busy per chain link, then f (begun), l (not ended) and idle.
        std::map<std::pair<const side*, int>, std::vector<const link*>> by_who;
        for (const auto& c : chains_) by_who[{c.who, c.index}].push_back(&c);
        for (const auto& [who, links] : by_who) {
            std::vector<int> busy;
            for (const auto* c : links) {
                int b = c->who->kept_at[static_cast<std::size_t>(c->slot)];
                if (auto it = c->by_slot->find({c->index, c->slot}); it != c->by_slot->end())
                    for (int k : it->second) b += v[static_cast<std::size_t>(k)] > 0.5 ? 1 : 0;
                busy.push_back(b);
            }
            bool begun = false;
            for (std::size_t i = 0; i < links.size(); ++i) {
                begun = begun || busy[i] > 0;
                v[static_cast<std::size_t>(links[i]->f)] = begun ? 1 : 0;
            }
            bool later = false;
            for (std::size_t i = links.size(); i-- > 0;) {
                later = later || busy[i] > 0;
                v[static_cast<std::size_t>(links[i]->l)] = later ? 1 : 0;
            }
            for (std::size_t i = 0; i < links.size(); ++i) {
                double idle = v[static_cast<std::size_t>(links[i]->f)] +
                              v[static_cast<std::size_t>(links[i]->l)] - 1 - busy[i];
                v[static_cast<std::size_t>(links[i]->idle)] = std::max(0.0, idle);
            }
        }
        return v;
    }

    struct link {
        int f, l, idle;
        const side* who;
        int slot, index;
        const std::map<std::pair<int, int>, std::vector<int>>* by_slot;
    };

    const problem& p_;
    std::unique_ptr<glp_prob, void (*)(glp_prob*)> lp_;
    std::vector<side> students_, companies_;
    std::vector<choice> choices_;
    std::map<std::pair<int, int>, std::vector<int>> s_slot_, c_slot_;
    int meetings_row_ = 0, cost_row_ = 0;
    std::vector<int> idle_cols_;
    std::vector<link> chains_;
    bool idle_added_ = false;
};

// Fewer idle slots by moving meetings, never changing who meets whom: a meeting moves to a
// slot both can use and are free in, two meetings of one company or of one student swap
// slots, whenever that lowers the idle slots of those it concerns; until nothing does.
// Pinned and past meetings stay. Tables are given again in each slot afterwards.
class compaction {
  public:
    compaction(const problem& p, std::vector<meeting>& meetings) : p_(p), ms_(meetings) {
        const auto slots = static_cast<std::size_t>(std::max(0, p.slots));
        for (const auto& s : p.students) add(s.id, usable_slots(s.first_slot, s.last_slot, p), 1);
        for (const auto& c : p.companies)
            add(c.id, usable_slots(c.first_slot, c.last_slot, p), std::max(1, c.tables));
        for (const auto& m : ms_) {
            if (m.slot < 0 || static_cast<std::size_t>(m.slot) >= slots || !who_.count(m.student) ||
                !who_.count(m.company))
                continue;
            who_[m.student].busy[static_cast<std::size_t>(m.slot)]++;
            who_[m.company].busy[static_cast<std::size_t>(m.slot)]++;
        }
    }

    void run(int passes = 50) {
        for (int pass = 0; pass < passes; ++pass) {
            bool better = false;
            for (std::size_t i = 0; i < ms_.size(); ++i)
                if (movable(ms_[i])) better = move_alone(i) || better;
            std::map<std::string, std::vector<std::size_t>> by_company, by_student;
            for (std::size_t i = 0; i < ms_.size(); ++i)
                if (movable(ms_[i])) {
                    by_company[ms_[i].company].push_back(i);
                    by_student[ms_[i].student].push_back(i);
                }
            for (const auto* groups : {&by_company, &by_student})
                for (const auto& [id, list] : *groups)
                    for (std::size_t a = 0; a < list.size(); ++a)
                        for (std::size_t b = a + 1; b < list.size(); ++b)
                            better = swap(list[a], list[b]) || better;
            if (!better) break;
        }
        give_tables();
    }

  private:
    struct side {
        std::vector<bool> usable;
        std::vector<int> busy;
        int at_once = 1;
    };

    void add(const std::string& id, std::vector<bool> usable, int at_once) {
        side s;
        s.busy.assign(usable.size(), 0);
        s.usable = std::move(usable);
        s.at_once = at_once;
        who_[id] = std::move(s);
    }

    bool movable(const meeting& m) const {
        return !m.pinned && m.slot >= p_.now_slot && who_.count(m.student) && who_.count(m.company);
    }

    // Idle slots of one participant, as idle_slots() counts them.
    int idle(const side& s) const {
        int first = -1, last = -1;
        for (int t = 0; t < static_cast<int>(s.busy.size()); ++t)
            if (s.busy[static_cast<std::size_t>(t)] > 0) {
                if (first < 0) first = t;
                last = t;
            }
        int n = 0;
        for (int t = std::max(0, first); first >= 0 && t <= last; ++t)
            if (s.busy[static_cast<std::size_t>(t)] == 0 && could_wait(p_, s.usable, t)) ++n;
        return n;
    }

    bool fits(const side& s, int t) const {
        auto i = static_cast<std::size_t>(t);
        return s.usable[i] && s.busy[i] < s.at_once;
    }

    void shift(const meeting& m, int from, int to) {
        for (const auto* id : {&m.student, &m.company}) {
            who_[*id].busy[static_cast<std::size_t>(from)]--;
            who_[*id].busy[static_cast<std::size_t>(to)]++;
        }
    }

    bool move_alone(std::size_t i) {
        auto& m = ms_[i];
        auto& s = who_[m.student];
        auto& c = who_[m.company];
        const int before = idle(s) + idle(c);
        const int from = m.slot;
        int best = from, best_idle = before;
        for (int t = std::max(0, p_.now_slot); t < p_.slots; ++t) {
            if (t == from || !fits(s, t) || !fits(c, t)) continue;
            shift(m, from, t);
            int now = idle(s) + idle(c);
            shift(m, t, from);
            if (now < best_idle) {
                best = t;
                best_idle = now;
            }
        }
        if (best == from) return false;
        shift(m, from, best);
        m.slot = best;
        return true;
    }

    // Two meetings of one company (or one student) exchange their slots.
    bool swap(std::size_t a, std::size_t b) {
        auto& x = ms_[a];
        auto& y = ms_[b];
        if (x.slot == y.slot) return false;
        // The other participant of each must be able to take the other slot.
        const std::string& ox = x.company == y.company ? x.student : x.company;
        const std::string& oy = x.company == y.company ? y.student : y.company;
        auto& sx = who_[ox];
        auto& sy = who_[oy];
        if (!sx.usable[static_cast<std::size_t>(y.slot)] ||
            !sy.usable[static_cast<std::size_t>(x.slot)])
            return false;
        const int before = idle(sx) + idle(sy);
        const int tx = x.slot, ty = y.slot;
        shift(x, tx, ty);
        shift(y, ty, tx);
        bool ok = sx.busy[static_cast<std::size_t>(ty)] <= sx.at_once &&
                  sy.busy[static_cast<std::size_t>(tx)] <= sy.at_once &&
                  idle(sx) + idle(sy) < before;
        if (!ok) {
            shift(x, ty, tx);
            shift(y, tx, ty);
            return false;
        }
        x.slot = ty;
        y.slot = tx;
        return true;
    }

    void give_tables() {
        std::map<std::pair<std::string, int>, std::set<int>> taken;
        for (const auto& m : ms_)
            if (!movable(m)) taken[{m.company, m.slot}].insert(m.table);
        for (auto& m : ms_) {
            if (!movable(m)) continue;
            auto& used = taken[{m.company, m.slot}];
            int table = 0;
            while (used.count(table)) ++table;
            used.insert(table);
            m.table = table;
        }
        sort_timetable(ms_);
    }

    const problem& p_;
    std::vector<meeting>& ms_;
    std::map<std::string, side> who_;
};

// The rank cost the flow minimises (pair_cost) of a timetable's meetings.
long rank_cost_of(const problem& p, const std::vector<meeting>& meetings) {
    std::map<std::string, const student*> students;
    std::map<std::string, const company*> companies;
    for (const auto& s : p.students) students[s.id] = &s;
    for (const auto& c : p.companies) companies[c.id] = &c;
    long cost = 0;
    for (const auto& m : meetings) {
        auto s = students.find(m.student);
        auto c = companies.find(m.company);
        if (s != students.end() && c != companies.end()) cost += pair_cost(*s->second, *c->second);
    }
    return cost;
}

// Lexicographic order of timetables: more meetings, then lower rank cost, then fewer idle.
bool better(const figures& a, long cost_a, const figures& b, long cost_b) {
    return std::tie(b.meetings, cost_a, a.idle_total) < std::tie(a.meetings, cost_b, b.idle_total);
}

}  // namespace

bool flow_is_exact(const problem& p) {
    auto whole_day = [&](int first, int last) { return first <= 0 && last >= p.slots - 1; };
    for (const auto& s : p.students)
        if (!whole_day(s.first_slot, s.last_slot)) return false;
    for (const auto& c : p.companies)
        if (!whole_day(c.first_slot, c.last_slot)) return false;
    return p.pinned.empty() && (p.now_slot <= 0 || p.previous.empty());
}

namespace {

solution improve(const problem& p, const exact_options& options, solution flow,
                 clock::time_point started) {
    const auto deadline = started + options.budget;
    auto left = [&] {
        return std::max(0.05, std::chrono::duration<double>(deadline - clock::now()).count());
    };
    const bool exact_already = flow_is_exact(p) && flow.dropped.empty();
    // The flow's timetable with fewer waits: the programme's starting point, and the answer
    // where the programme is not tried or finds nothing better.
    const int flow_bound = flow.stats.upper_bound;
    compaction(p, flow.meetings).run();
    flow.stats = figures_of(p, flow.meetings);
    flow.stats.upper_bound = flow_bound;

    programme prog(p);
    // GLPK's simplex alone takes longer than any budget beyond this many columns (a day of
    // 500 students: 115,000); there the flow's bound and the compaction are what we have.
    const bool small = prog.size() > 0 && prog.size() <= max_columns;
    if (!small) {
        flow.stats.proven = exact_already;
        return flow;
    }
    prog.build();
    const int kept = static_cast<int>(kept_meetings(p).size());
    const std::vector<double> flow_x = prog.values_of(flow.meetings);
    std::vector<double> x = flow_x;
    bool proven = exact_already, searched = false;
    int bound = flow_bound;
    if (!exact_already) {
        auto step1 = prog.solve(1, 0, 0, x, left() * 0.6);
        if (step1.found) {
            searched = true;
            if (programme::count_of(step1.x) >= programme::count_of(x)) x = step1.x;
            bound = std::min(bound, kept + static_cast<int>(std::floor(step1.bound + 1e-6)));
        }
        // Step 2 starts from the cheaper of the two timetables with the most meetings.
        const int m = programme::count_of(x);
        if (programme::count_of(flow_x) == m && prog.cost_of(flow_x) < prog.cost_of(x)) x = flow_x;
        auto step2 = prog.solve(2, m, 0, x, left() * 0.7);
        if (step2.found && programme::count_of(step2.x) >= m &&
            prog.cost_of(step2.x) <= prog.cost_of(x))
            x = step2.x;
        proven = step1.proven && step2.proven;
    }
    const int m = programme::count_of(x);
    auto step3 = prog.solve(3, m, static_cast<double>(prog.cost_of(x)), x, left());
    if (step3.found && programme::count_of(step3.x) >= m &&
        prog.cost_of(step3.x) <= prog.cost_of(x))
        x = step3.x;

    solution best;
    best.meetings = prog.meetings_of(x);
    compaction(p, best.meetings).run();
    best.stats = figures_of(p, best.meetings);
    // Never worse than the flow, whatever the search did in its time (then nothing it said
    // is kept).
    if (better(flow.stats, rank_cost_of(p, flow.meetings), best.stats,
               rank_cost_of(p, best.meetings))) {
        best.meetings = flow.meetings;
        best.stats = flow.stats;
        proven = exact_already;
        searched = false;
        bound = flow_bound;
    }
    best.stats.exact = searched;
    best.stats.proven = proven;
    best.stats.upper_bound = proven ? best.stats.meetings : std::max(bound, best.stats.meetings);
    return best;
}

// GLPK keeps an environment per thread, which goes when this does: the solver's threads end
// and take nothing of it with them. No other GLPK problem may be alive on the thread.
struct glpk_environment {
    glpk_environment() { glp_term_out(GLP_OFF); }
    ~glpk_environment() { glp_free_env(); }
    glpk_environment(const glpk_environment&) = delete;
    glpk_environment& operator=(const glpk_environment&) = delete;
};

}  // namespace

solution build_best(const problem& p, const exact_options& options) {
    const auto started = clock::now();
    solution flow = build(p);
    std::vector<meeting> dropped = flow.dropped;
    solution best;
    {
        glpk_environment glpk;
        best = improve(p, options, std::move(flow), started);
    }
    // What the flow chose and could not place, if still not in the timetable.
    best.dropped = still_dropped(dropped, best.meetings);
    best.stats.seconds = std::chrono::duration<double>(clock::now() - started).count();
    return best;
}

}  // namespace creneau::jobdating
