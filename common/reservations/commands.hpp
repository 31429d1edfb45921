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

}  // namespace creneau
