#pragma once
// What the events' and the Job Dating's handlers share.

#include "server/api/support.hpp"

namespace creneau::server {

// The event, if the caller may see it (a restricted event is unknown to others); 404 otherwise.
const event& need_event(const state& s, const std::string& id, const caller& who);
// 401 unless signed in, 403 unless one of the event's organisers (docs/authorisation.md).
void need_organiser(const event& e, const caller& who);

// The event as an iCalendar file: one VEVENT per room session, or the Job Dating's day.
std::string event_ics(const state& s, const event& e, instant stamp);
// A Job Dating participant's meetings in `t` as an iCalendar file.
std::string personal_ics(const state& s, const event& e, const timetable& t, const registration& me,
                         instant stamp);

}  // namespace creneau::server
