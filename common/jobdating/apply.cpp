#include "common/events/rules.hpp"
#include "common/jobdating/rules.hpp"

namespace creneau {

void apply_fact(state& s, const fact& f, const timetable_set& x) {
    touch_event_inputs(s, f, x.event);
    s.timetables[x.event] = x.value;
}

void to_json(json& j, const timetable_set& f) {
    j = f.value;
    j["event"] = f.event;
}

void from_json(const json& j, timetable_set& f) {
    j.get_to(f.value);
    f.event = j.at("event").get<std::string>();
}

}  // namespace creneau
