#pragma once
// What happens to accounts, sessions and feeds.

#include "common/accounts/model.hpp"

namespace creneau {

struct user_added {
    static constexpr std::string_view type = "user-added";
    user value;
    bool operator==(const user_added&) const = default;
};

// Sign-in: the server checked the password; the session is known by its token's hash.
struct session_opened {
    static constexpr std::string_view type = "session-opened";
    std::string token_hash;
    std::string user;
    instant expires;
    bool operator==(const session_opened&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(session_opened, token_hash, user, expires)

struct session_closed {
    static constexpr std::string_view type = "session-closed";
    std::string token_hash;
    bool operator==(const session_closed&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(session_closed, token_hash)

// A new secret URL for an organisation's private calendar feed (the previous one stops working).
struct calendar_feed_issued {
    static constexpr std::string_view type = "calendar-feed-issued";
    std::string organisation;
    std::string token_hash;
    bool operator==(const calendar_feed_issued&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(calendar_feed_issued, organisation, token_hash)

}  // namespace creneau
