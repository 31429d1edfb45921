#pragma once
// What the state says of an event: its counts, a registration by its code, a registrant's team.

#include "common/state.hpp"

namespace creneau {

event_counts counts_of(const state& s, const std::string& event_id);
// The registration of an event with this code (codes are compared as given), or nullptr.
const registration* registration_by_code(const state& s, const std::string& event_id,
                                         const std::string& code);
// The team a registration belongs to, or nullptr.
const team* team_of(const state& s, const std::string& registration_id);
// 1 for the first person waiting, 0 for someone not waiting.
int waiting_position(const state& s, const registration& r);

// A Job Dating participant's wishes as the registration holds them, and back.
wishes wishes_of(const registration& r);
void set_wishes(registration& r, const wishes& w);

// Whether the event's Job Dating timetable is published (what participants hold).
bool timetable_published(const state& s, const std::string& event_id);

// Codes are typed by people: compared in upper case.
std::string code_upper(std::string code);

}  // namespace creneau
