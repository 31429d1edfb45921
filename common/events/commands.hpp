#pragma once
// What organisers and registrants ask of events.

#include "common/events/model.hpp"

namespace creneau {

struct define_event {
    event value;
    // The longest retention an organiser may choose, in months (the operator's setting,
    // --retention-limit-months).
    int retention_limit = 36;
};
// `value.id` and `value.code` are chosen by the server; `value.status` by the rules.
struct register_for_event {
    registration value;
};
// A Job Dating participant changes their wishes, by their code.
struct update_wishes {
    std::string event;
    std::string code;
    wishes_change change;
};

struct leave_event {
    std::string event;
    std::string code;
};
// Someone who lost their registration mail asks for it again, by the address they gave.
struct resend_registration {
    std::string event;
    std::string email;
};
struct reorder_waitlist {
    std::string event;
    std::vector<std::string> order;
};
struct check_in {
    std::string event;
    std::string code;
};
struct mark_no_show {
    std::string event;
    std::string registration;
    bool no_show = true;
};
struct create_team {
    std::string event;
    std::string registration_code;
    std::string name;
    std::string team_id;
    std::string team_code;
};
struct join_team {
    std::string event;
    std::string registration_code;
    std::string team_code;
};
struct leave_team {
    std::string event;
    std::string registration_code;
};
struct flag_team {
    std::string team;
    bool pepite = true;
};

}  // namespace creneau
