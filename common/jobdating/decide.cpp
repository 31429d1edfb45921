#include "common/access.hpp"
#include "common/jobdating/rules.hpp"

#include <set>

namespace creneau {

decision decide_command(const state& s, const set_timetable& c, const context& ctx) {
    auto found = s.events.find(c.event);
    const event* e = found == s.events.end() ? nullptr : &found->second;
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (e->kind != event_kind::job_dating)
        return decision::refuse(error::bad_request, "only a Job Dating has a timetable", "event");
    if (!may_manage_event(ctx.who, *e))
        return decision::refuse(error::forbidden, "only the organisers set the timetable");
    if (c.based_on) {
        auto inputs = s.event_inputs.find(c.event);
        if (*c.based_on != (inputs == s.event_inputs.end() ? 0 : inputs->second))
            return decision::refuse(error::conflict,
                                    "the registrations changed while the timetable was built",
                                    "based_on");
    }
    if (c.value.meetings.size() > 100000)
        return decision::refuse(error::bad_request, "too many meetings", "meetings");
    std::set<std::pair<std::string, int>> busy;
    for (const auto& m : c.value.meetings) {
        auto st = s.registrations.find(m.student);
        auto co = s.registrations.find(m.company);
        if (st == s.registrations.end() || co == s.registrations.end() ||
            st->second.role != "student" || co->second.role != "company" ||
            st->second.event != c.event || co->second.event != c.event)
            return decision::refuse(error::bad_request, "a meeting names someone not registered",
                                    "meetings");
        if (m.slot < 0 || m.slot >= e->slots || m.table < 0 || m.table >= co->second.tables)
            return decision::refuse(error::bad_request,
                                    "a meeting is outside the day's slots or tables", "meetings");
        if (!busy.insert({m.student, m.slot}).second ||
            !busy.insert({m.company + "#" + std::to_string(m.table), m.slot}).second)
            return decision::refuse(error::conflict, "someone would be in two meetings at once",
                                    "meetings");
        if (std::find(co->second.declines.begin(), co->second.declines.end(), m.student) !=
            co->second.declines.end())
            return decision::refuse(error::conflict, "a company declined one of these students",
                                    "meetings");
    }
    auto t = c.value;
    auto old = s.timetables.find(c.event);
    t.revision = old == s.timetables.end() ? 1 : old->second.revision + 1;
    return {{timetable_set{c.event, t}}, {}};
}

}  // namespace creneau
