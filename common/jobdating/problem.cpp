#include "common/jobdating/problem.hpp"

namespace creneau {

jobdating::problem jobdating_problem(const state& s, const event& e,
                                     const std::vector<meeting>& pins,
                                     const std::set<std::pair<std::string, std::string>>& removed,
                                     int now_slot) {
    jobdating::problem p;
    p.slots = e.slots;
    p.breaks.insert(e.breaks.begin(), e.breaks.end());
    p.now_slot = now_slot;
    p.pinned = pins;
    if (auto t = s.timetables.find(e.id); t != s.timetables.end())
        for (const auto& m : t->second.meetings)
            if (!removed.count({m.student, m.company})) p.previous.push_back(m);
    std::map<std::string, const registration*> present;
    for (const auto& [id, r] : s.registrations)
        if (r.event == e.id && takes_part(r)) present[id] = &r;
    for (const auto& [id, r] : present) {
        if (r->role == "company") {
            jobdating::company c;
            c.id = id;
            c.name = r->name;
            c.wants.insert(r->wants.begin(), r->wants.end());
            c.declines.insert(r->declines.begin(), r->declines.end());
            for (const auto& [sid, cid] : removed)
                if (cid == id) c.declines.insert(sid);  // removed by the organiser: not again
            c.max_meetings = r->max_meetings > 0 ? r->max_meetings : e.slots * r->tables;
            c.tables = r->tables;
            c.first_slot = r->first_slot;
            c.last_slot = r->last_slot;
            p.companies.push_back(c);
        } else if (r->role == "student") {
            jobdating::student st;
            st.id = id;
            st.name = r->name;
            for (const auto& cid : r->ranking)
                if (present.count(cid)) st.ranking.push_back(cid);
            st.max_meetings = r->max_meetings > 0 ? r->max_meetings : e.slots;
            st.first_slot = r->first_slot;
            st.last_slot = r->last_slot;
            p.students.push_back(st);
        }
    }
    return p;
}

bool takes_part(const registration& r) {
    return !r.no_show && (r.status == registration_status::registered ||
                          r.status == registration_status::checked_in);
}

bool takes_part(const state& s, const std::string& registration) {
    auto r = s.registrations.find(registration);
    return r != s.registrations.end() && takes_part(r->second);
}

int slot_at(const event& e, instant now) {
    if (e.slot_minutes <= 0) return 0;
    auto since = std::chrono::duration_cast<minutes>(now - e.day_start).count();
    if (since < 0) return 0;
    return static_cast<int>(
        std::min<long long>(e.slots, (since + e.slot_minutes - 1) / e.slot_minutes));
}

instant slot_start(const event& e, int slot) {
    return e.day_start + minutes(std::int64_t{slot} * e.slot_minutes);
}

}  // namespace creneau
