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

// A one-time link to choose a password: for an invited user, or a reset.
struct account_link_issued {
    static constexpr std::string_view type = "account-link-issued";
    std::string user;
    std::string token_hash;
    link_purpose purpose = link_purpose::invitation;
    instant expires;
    // The token sealed with the outbox's key, so that the mail carrying the link can be made
    // again after a restart; the journal alone cannot open it (docs/notifications.md).
    std::string sealed_token;
    bool operator==(const account_link_issued&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(account_link_issued, user, token_hash, purpose,
                                                expires, sealed_token)

// A password chosen: through a link (which it uses up), or by its user. Every session of
// the user but `kept_session` ends.
struct password_set {
    static constexpr std::string_view type = "password-set";
    std::string user;
    std::string password_hash;
    std::string token_hash;    // the link used, or ""
    std::string kept_session;  // the session that changed it, or ""
    bool operator==(const password_set&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(password_set, user, password_hash, token_hash,
                                                kept_session)

// An account's name, role or organisation changed, or it was disabled (its sessions and
// links end) or enabled again.
struct user_changed {
    static constexpr std::string_view type = "user-changed";
    std::string id;
    std::string name;
    creneau::role role = creneau::role::member;
    std::string organisation;
    bool disabled = false;
    bool operator==(const user_changed&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(user_changed, id, name, role, organisation,
                                                disabled)

// A user chose the language of their mails and which notifications they receive.
struct preferences_set {
    static constexpr std::string_view type = "preferences-set";
    std::string user;
    std::string lang = "fr";
    std::vector<std::string> muted;
    bool copies = false;
    bool operator==(const preferences_set&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(preferences_set, user, lang, muted, copies)

}  // namespace creneau
