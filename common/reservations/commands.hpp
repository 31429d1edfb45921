#pragma once
// What people ask of reservations.

#include "common/reservations/model.hpp"

namespace creneau {

struct request_reservation {
    std::string resource;
    instant start;
    instant end;
    std::string layout;  // empty: the resource's only layout
    int attendees = 0;
    std::string organisation;
    std::string title;
    std::vector<std::string> equipment;
    // If the period is taken (and nothing else is wrong): wait on the room's waiting list
    // instead of being refused with slot-taken.
    bool wait = false;
};

// A series: `first` is its first occurrence (its period, room, layout, title …), `rule` how
// it recurs. All or nothing: either every date not skipped is booked, or none; otherwise the
// dates that can be are, and the others are said why not.
struct request_series {
    request_reservation first;
    recurrence rule;
    bool all_or_nothing = true;
};

// What a decision on an occurrence of a series applies to: that occurrence, it and the ones
// after it, or the whole series. A reservation outside a series is its own whole.
enum class series_scope { one, following, all };

struct approve_reservation {
    std::string id;
    series_scope scope = series_scope::one;
};
struct refuse_reservation {
    std::string id;
    std::string reason;
    series_scope scope = series_scope::one;
};
struct cancel_reservation {
    std::string id;
    std::string reason;
    series_scope scope = series_scope::one;
};

// The room's administrators put its waiting list in a new order.
struct reorder_room_waitlist {
    std::string resource;
    std::vector<std::string> order;
};
// The system cancels the waiting requests whose period has begun, at most this many at once.
inline constexpr std::size_t max_expired_per_sweep = 500;
struct expire_waiting {};

}  // namespace creneau
