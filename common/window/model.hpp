#pragma once
// The single window ("guichet unique") of an agreement (docs/domain.md, "The single window"):
// student associations ask for a room for an event without choosing one; the window's
// operator routes each request to a room of either party, which makes it a reservation request
// decided by that room's lender as any other.

#include "common/core/json.hpp"
#include "common/reservations/model.hpp"

#include <string>
#include <vector>

namespace creneau {

// What kind of room the association asks for: a hint for the window's operator, who chooses.
enum class room_kind { any, meeting, auditorium, reception };
template <>
struct enum_names<room_kind> {
    static constexpr std::pair<room_kind, std::string_view> table[] = {
        {room_kind::any, "any"},
        {room_kind::meeting, "meeting"},
        {room_kind::auditorium, "auditorium"},
        {room_kind::reception, "reception"}};
};

// `submitted`: in the window's queue; `assigned`: routed to a room, its reservation
// (`reservation`) now follows its own course; `declined` by the window's operator; `withdrawn`
// by the association.
enum class window_status { submitted, assigned, declined, withdrawn };
template <>
struct enum_names<window_status> {
    static constexpr std::pair<window_status, std::string_view> table[] = {
        {window_status::submitted, "submitted"},
        {window_status::assigned, "assigned"},
        {window_status::declined, "declined"},
        {window_status::withdrawn, "withdrawn"}};
};

struct window_request {
    std::string id;
    std::string agreement;     // whose window
    std::string organisation;  // the student association
    std::string requester;     // user id
    std::string title;         // what
    std::string description;   // what the event is, what it needs
    instant start;             // when
    instant end;
    int attendees = 0;  // how many
    room_kind kind = room_kind::any;
    window_status status = window_status::submitted;
    std::string reason;       // why declined or withdrawn
    std::string reservation;  // once assigned
    instant created;
    // Folded from the facts, never written with the request itself.
    std::vector<history_entry> history;
    bool operator==(const window_request&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(window_request, id, agreement, organisation,
                                                requester, title, description, start, end,
                                                attendees, kind, status, reason, reservation,
                                                created)

}  // namespace creneau
