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

struct approve_reservation {
    std::string id;
};
struct refuse_reservation {
    std::string id;
    std::string reason;
};
struct cancel_reservation {
    std::string id;
    std::string reason;
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
