#pragma once
// Events (docs/domain.md, "Events"; art. 3): welcome day, Job Dating, Culturathon, talks;
// registrations up to the capacity, then a waiting list; Culturathon teams.

#include "common/core/json.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace creneau {

enum class event_kind { welcome_day, job_dating, culturathon, talk };
template <>
struct enum_names<event_kind> {
    static constexpr std::pair<event_kind, std::string_view> table[] = {
        {event_kind::welcome_day, "welcome-day"},
        {event_kind::job_dating, "job-dating"},
        {event_kind::culturathon, "culturathon"},
        {event_kind::talk, "talk"}};
};

struct event_question {
    std::string id;
    std::string label;
    bool required = false;
    bool operator==(const event_question&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(event_question, id, label, required)

struct event {
    std::string id;
    event_kind kind = event_kind::talk;
    std::string title;
    std::string description;
    std::vector<std::string> reservations;  // the rooms it takes place in (normal reservations)
    int capacity = 0;
    instant opens;  // registration window
    instant closes;
    bool restricted = false;  // only the organisations listed may see it and register
    std::vector<std::string> organisations;
    std::vector<event_question> questions;
    std::string organiser;  // the organisation that runs it
    int team_min = 1;       // Culturathon team sizes
    int team_max = 4;
    // Job Dating day: the first slot's start, slot length, slot count and breaks.
    instant day_start;
    int slot_minutes = 15;
    int slots = 0;
    std::vector<int> breaks;
    // How long after the event its registrations' personal data is kept (docs/privacy.md,
    // "Retention"): months, up to the operator's limit.
    int retention_months = 12;
    bool operator==(const event&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(event, id, kind, title, description, reservations,
                                                capacity, opens, closes, restricted, organisations,
                                                questions, organiser, team_min, team_max, day_start,
                                                slot_minutes, slots, breaks, retention_months)

enum class registration_status { registered, waiting, left, checked_in };
template <>
struct enum_names<registration_status> {
    static constexpr std::pair<registration_status, std::string_view> table[] = {
        {registration_status::registered, "registered"},
        {registration_status::waiting, "waiting"},
        {registration_status::left, "left"},
        {registration_status::checked_in, "checked-in"}};
};

struct registration {
    std::string id;
    std::string event;
    std::string code;  // the registrant's code: leave, check in, join a team
    std::string name;
    std::string email;
    std::string organisation;
    std::string user;  // the signed-in user who registered, if any
    std::map<std::string, std::string> answers;
    registration_status status = registration_status::registered;
    instant created;
    // Job Dating: "student" or "company", wishes, maximum, arrival and leaving slots.
    std::string role;
    std::vector<std::string> ranking;  // a student's companies (registration ids), best first
    std::vector<std::string> wants;    // a company's wished students
    std::vector<std::string> declines;
    int max_meetings = 0;
    int tables = 1;
    int first_slot = 0;
    int last_slot = 1 << 30;
    bool no_show = false;
    std::string description;  // a company's presentation, shown to the students who rank
    std::string lang = "fr";  // the language of the registrant's mails: fr or en
    bool operator==(const registration&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(registration, id, event, code, name, email,
                                                organisation, user, answers, status, created, role,
                                                ranking, wants, declines, max_meetings, tables,
                                                first_slot, last_slot, no_show, description, lang)

// What a Job Dating participant may change of their registration until the timetable is
// published: their wishes, how many meetings, when they are there, a company's tables and
// presentation.
struct wishes {
    std::vector<std::string> ranking;
    std::vector<std::string> wants;
    std::vector<std::string> declines;
    int max_meetings = 0;
    int tables = 1;
    int first_slot = 0;
    int last_slot = 1 << 30;
    std::string description;
    bool operator==(const wishes&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(wishes, ranking, wants, declines, max_meetings,
                                                tables, first_slot, last_slot, description)

// What a participant sends to change their wishes: the parts given replace the current ones
// when the change is decided, so that two changes of different parts both stay.
struct wishes_change {
    std::optional<std::vector<std::string>> ranking;
    std::optional<std::vector<std::string>> wants;
    std::optional<std::vector<std::string>> declines;
    std::optional<int> max_meetings;
    std::optional<int> tables;
    std::optional<int> first_slot;
    std::optional<int> last_slot;
    std::optional<std::string> description;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(wishes_change, ranking, wants, declines,
                                                max_meetings, tables, first_slot, last_slot,
                                                description)

struct team {
    std::string id;
    std::string event;
    std::string name;
    std::string code;                  // to join
    std::vector<std::string> members;  // registration ids
    bool pepite = false;               // flagged for Campus PÉPITE follow-up
    bool operator==(const team&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(team, id, event, name, code, members, pepite)

// The counts of an event: registered (checked-in included), waiting, checked in.
struct event_counts {
    int registered = 0;
    int waiting = 0;
    int checked_in = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(event_counts, registered, waiting, checked_in)

}  // namespace creneau
