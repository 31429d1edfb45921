#include "common/events/queries.hpp"

#include <algorithm>

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

int waiting_position(const state& s, const registration& r) {
    auto w = s.waiting.find(r.event);
    if (w == s.waiting.end()) return 0;
    auto it = std::find(w->second.begin(), w->second.end(), r.id);
    return it == w->second.end() ? 0 : static_cast<int>(it - w->second.begin()) + 1;
}

}  // namespace creneau
