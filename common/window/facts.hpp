#pragma once
// What happens at an agreement's single window.

#include "common/window/model.hpp"

namespace creneau {

struct window_request_submitted {
    static constexpr std::string_view type = "window-request-submitted";
    window_request value;
    bool operator==(const window_request_submitted&) const = default;
};

// Routed to a room: the reservation-requested fact of `reservation` follows it.
struct window_request_assigned {
    static constexpr std::string_view type = "window-request-assigned";
    std::string id;
    std::string reservation;
    bool operator==(const window_request_assigned&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(window_request_assigned, id, reservation)

struct window_request_declined {
    static constexpr std::string_view type = "window-request-declined";
    std::string id;
    std::string reason;
    bool operator==(const window_request_declined&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(window_request_declined, id, reason)

struct window_request_withdrawn {
    static constexpr std::string_view type = "window-request-withdrawn";
    std::string id;
    std::string reason;
    bool operator==(const window_request_withdrawn&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(window_request_withdrawn, id, reason)

}  // namespace creneau
