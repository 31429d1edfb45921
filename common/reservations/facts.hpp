#pragma once
// What happens to reservations.

#include "common/reservations/model.hpp"

namespace creneau {

// A request, with its quote; holds a free unit if `value.holds_unit` (a waiting one too: its
// place in the allowance is kept while it waits). `value.status` is `waiting` for a request
// put on the room's waiting list, `pending` otherwise.
struct reservation_requested {
    static constexpr std::string_view type = "reservation-requested";
    reservation value;
    bool operator==(const reservation_requested&) const = default;
};

struct reservation_approved {
    static constexpr std::string_view type = "reservation-approved";
    std::string id;
    std::int64_t quota_minutes = 0;  // minutes consumed from the hour quota
    // Approved by the rules rather than by a person: a waiting request promoted that its
    // requester could have had approved at once. Its history says "system".
    bool automatic = false;
    bool operator==(const reservation_approved&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(reservation_approved, id, quota_minutes, automatic)

struct reservation_refused {
    static constexpr std::string_view type = "reservation-refused";
    std::string id;
    std::string reason;
    bool operator==(const reservation_refused&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(reservation_refused, id, reason)

struct reservation_cancelled {
    static constexpr std::string_view type = "reservation-cancelled";
    std::string id;
    std::string reason;
    bool releases = false;  // before the start: the free unit and quota minutes go back
    bool operator==(const reservation_cancelled&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(reservation_cancelled, id, reason, releases)

// A series requested: its rule and what became of each of its dates; the reservations of
// its occurrences follow it, each a reservation-requested fact of its own.
struct series_requested {
    static constexpr std::string_view type = "series-requested";
    creneau::series value;
    bool operator==(const series_requested&) const = default;
};

// A waiting request whose period freed up: it becomes pending, its unit still held. It is the
// rules' doing, whoever freed the period: its history says "system".
struct reservation_promoted {
    static constexpr std::string_view type = "reservation-promoted";
    std::string id;
    bool operator==(const reservation_promoted&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(reservation_promoted, id)

// A request not yet decided, quoted again because a free unit or quota minutes of its allowance
// came back (docs/domain.md, "Quotes of requests not yet decided"): its new quote, never dearer,
// and whether it now holds a free unit. The rules' doing: its history says "system".
struct reservation_requoted {
    static constexpr std::string_view type = "reservation-requoted";
    std::string id;
    creneau::quote value;
    bool holds_unit = false;
    bool operator==(const reservation_requoted&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(reservation_requoted, id, value, holds_unit)

// A room's waiting list in a new order (every waiting request of the room, once).
struct room_waitlist_reordered {
    static constexpr std::string_view type = "room-waitlist-reordered";
    std::string resource;
    std::vector<std::string> order;
    bool operator==(const room_waitlist_reordered&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(room_waitlist_reordered, resource, order)

}  // namespace creneau
