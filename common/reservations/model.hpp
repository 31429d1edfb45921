#pragma once
// Reservations (docs/domain.md, "Decisions this project takes where the text is silent"):
// one booking of one resource for one contiguous period, pending until its lender
// approves it, with the quote it was requested with.

#include "common/agreements/model.hpp"
#include "common/reservations/series.hpp"

namespace creneau {

// `waiting`: the period was taken when it was asked for; the request waits on the room's
// waiting list until the period frees up (then pending) or begins (then cancelled).
enum class reservation_status { pending, approved, refused, cancelled, waiting };
template <>
struct enum_names<reservation_status> {
    static constexpr std::pair<reservation_status, std::string_view> table[] = {
        {reservation_status::pending, "pending"},
        {reservation_status::approved, "approved"},
        {reservation_status::refused, "refused"},
        {reservation_status::cancelled, "cancelled"},
        {reservation_status::waiting, "waiting"}};
};

// One line of a reservation's history, from the facts that changed it.
struct history_entry {
    std::int64_t seq = 0;
    instant at;
    std::string actor;   // user id, or "system"
    std::string action;  // requested, waiting, promoted, approved, refused, cancelled
    std::string detail;  // the reason, if any
    bool operator==(const history_entry&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(history_entry, seq, at, actor, action, detail)

struct reservation {
    std::string id;
    std::string resource;
    instant start;
    instant end;
    std::string layout;
    int attendees = 0;
    std::string organisation;
    std::string requester;  // user id
    std::string title;
    std::vector<std::string> equipment;
    reservation_status status = reservation_status::pending;
    std::string reason;              // why refused or cancelled
    std::string agreement;           // empty: host booking
    int year = 0;                    // the allowance year (agreement's zone)
    bool holds_unit = false;         // holds (pending) or uses (approved) one free unit
    std::int64_t quota_minutes = 0;  // minutes consumed from an hour quota once approved
    creneau::quote quote;
    instant created;
    int revision = 0;  // bumped by each change, for iCalendar SEQUENCE
    // A waiting request's place on its room's waiting list: the lowest goes first.
    std::int64_t rank = 0;
    std::string series;  // the series it is an occurrence of, if any
    // Folded from the facts, never written with the reservation itself.
    std::vector<history_entry> history;
    bool operator==(const reservation&) const = default;

    bool active() const {
        return status == reservation_status::pending || status == reservation_status::approved;
    }
    // Ever pending or approved: not a request that only waited (and expired or was withdrawn).
    // Calendars and feeds show only these.
    bool ever_booked() const {
        if (status == reservation_status::waiting) return false;
        if (history.empty() || history.front().action != "waiting") return true;
        for (const auto& h : history)
            if (h.action == "promoted") return true;
        return false;
    }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(reservation, id, resource, start, end, layout,
                                                attendees, organisation, requester, title,
                                                equipment, status, reason, agreement, year,
                                                holds_unit, quota_minutes, quote, created, revision,
                                                rank, series)

}  // namespace creneau
