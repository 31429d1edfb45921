#pragma once
// What happens to events, their registrations and teams.

#include "common/events/model.hpp"

namespace creneau {

struct event_defined {
    static constexpr std::string_view type = "event-defined";
    event value;
    bool operator==(const event_defined&) const = default;
};
struct registered {
    static constexpr std::string_view type = "registered";
    registration value;
    bool operator==(const registered&) const = default;
};
struct wishes_changed {
    static constexpr std::string_view type = "wishes-changed";
    std::string id;  // the registration
    wishes value;
    bool operator==(const wishes_changed&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(wishes_changed, id, value)

struct registration_left {
    static constexpr std::string_view type = "registration-left";
    std::string id;
    bool operator==(const registration_left&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(registration_left, id)
// A registration's mail sent again, at its registrant's request (docs/domain.md, "Events").
struct registration_resent {
    static constexpr std::string_view type = "registration-resent";
    std::string id;
    bool operator==(const registration_resent&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(registration_resent, id)
// A place freed up: the first person waiting has it now (and is told).
struct registration_promoted {
    static constexpr std::string_view type = "registration-promoted";
    std::string id;
    bool operator==(const registration_promoted&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(registration_promoted, id)
struct waitlist_reordered {
    static constexpr std::string_view type = "waitlist-reordered";
    std::string event;
    std::vector<std::string> order;
    bool operator==(const waitlist_reordered&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(waitlist_reordered, event, order)
struct checked_in {
    static constexpr std::string_view type = "checked-in";
    std::string id;
    bool operator==(const checked_in&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(checked_in, id)
struct participation_changed {
    static constexpr std::string_view type = "participation-changed";
    std::string id;
    bool no_show = false;
    bool operator==(const participation_changed&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(participation_changed, id, no_show)
struct team_created {
    static constexpr std::string_view type = "team-created";
    team value;
    bool operator==(const team_created&) const = default;
};
struct team_joined {
    static constexpr std::string_view type = "team-joined";
    std::string team;
    std::string registration;
    bool operator==(const team_joined&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(team_joined, team, registration)
struct team_left {
    static constexpr std::string_view type = "team-left";
    std::string team;
    std::string registration;
    bool operator==(const team_left&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(team_left, team, registration)
struct team_flagged {
    static constexpr std::string_view type = "team-flagged";
    std::string team;
    bool pepite = false;
    bool operator==(const team_flagged&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(team_flagged, team, pepite)

}  // namespace creneau
