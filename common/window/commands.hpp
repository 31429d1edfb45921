#pragma once
// What people ask of an agreement's single window (docs/domain.md, "The single window").

#include "common/window/model.hpp"

namespace creneau {

// A student association's request, to the window of `agreement`.
struct submit_window_request {
    std::string agreement;
    std::string organisation;
    std::string title;
    std::string description;
    instant start;
    instant end;
    int attendees = 0;
    room_kind kind = room_kind::any;
};

// The window's operator routes a request to a room (and layout) of either party.
struct assign_window_request {
    std::string id;
    std::string resource;
    std::string layout;  // empty: the room's only layout
};

struct decline_window_request {
    std::string id;
    std::string reason;
};

// The association takes back a request not yet routed.
struct withdraw_window_request {
    std::string id;
    std::string reason;
};

}  // namespace creneau
