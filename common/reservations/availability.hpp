#pragma once
// Availability of one resource over a window: what is busy (with no personal data) and
// what is free within the bookable hours.

#include "common/state.hpp"

namespace creneau {

struct busy_period {
    instant start;
    instant end;
    reservation_status status;  // pending or approved
    std::string id;             // the reservation, for those allowed to see it
    bool operator==(const busy_period&) const = default;
};

struct availability {
    std::vector<busy_period> busy;
    // Open periods less the booked ones and their set-up and clean-up buffers.
    std::vector<period> free;
};

// Uses the time index: cost grows with the reservations inside the window, not with all of
// the resource's reservations. An unknown resource gives an empty answer.
availability availability_of(const state& s, const std::string& resource_id, instant from,
                             instant to);

}  // namespace creneau
