#include "common/events/queries.hpp"

#include <algorithm>
#include <cctype>

namespace creneau {

event_counts counts_of(const state& s, const std::string& event_id) {
    event_counts c;
    for (const auto& [id, r] : s.registrations) {
        if (r.event != event_id) continue;
        if (r.status == registration_status::registered ||
            r.status == registration_status::checked_in)
            ++c.registered;
        if (r.status == registration_status::checked_in) ++c.checked_in;
        if (r.status == registration_status::waiting) ++c.waiting;
    }
    return c;
}

const registration* registration_by_code(const state& s, const std::string& event_id,
                                         const std::string& code) {
    if (code.empty()) return nullptr;
    for (const auto& [id, r] : s.registrations)
        if (r.event == event_id && r.code == code) return &r;
    return nullptr;
}

const team* team_of(const state& s, const std::string& registration_id) {
    for (const auto& [id, t] : s.teams)
        if (std::find(t.members.begin(), t.members.end(), registration_id) != t.members.end())
            return &t;
    return nullptr;
}

wishes wishes_of(const registration& r) {
    return {r.ranking, r.wants,      r.declines,  r.max_meetings,
            r.tables,  r.first_slot, r.last_slot, r.description};
}

void set_wishes(registration& r, const wishes& w) {
    r.ranking = w.ranking;
    r.wants = w.wants;
    r.declines = w.declines;
    r.max_meetings = w.max_meetings;
    r.tables = w.tables;
    r.first_slot = w.first_slot;
    r.last_slot = w.last_slot;
    r.description = w.description;
}

bool timetable_published(const state& s, const std::string& event_id) {
    auto t = s.timetables.find(event_id);
    return t != s.timetables.end() && t->second.published;
}

std::string code_upper(std::string code) {
    for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return code;
}

int waiting_position(const state& s, const registration& r) {
    auto w = s.waiting.find(r.event);
    if (w == s.waiting.end()) return 0;
    auto it = std::find(w->second.begin(), w->second.end(), r.id);
    return it == w->second.end() ? 0 : static_cast<int>(it - w->second.begin()) + 1;
}

}  // namespace creneau
