#pragma once
// What people and the server ask of accounts.

#include "common/accounts/model.hpp"

namespace creneau {

struct add_user {
    user value;
    // The first run's administrator: refused once the operator has one, so that two set-up
    // requests racing (on one instance or several) make one account.
    bool first_administrator = false;
};
// The server opens a session once it has checked the password (system actor only).
struct open_session {
    std::string token_hash;
    std::string user;
    instant expires;
};
struct close_session {
    std::string token_hash;
};
struct issue_calendar_feed {
    std::string organisation;
    std::string token_hash;
};
// An account without a password, and its invitation link (to hand over, or mail).
struct invite_user {
    user value;
    std::string token_hash;
    instant expires;
    std::string sealed_token;  // the token, sealed for the mail (server/mail/outbox.hpp)
};
struct issue_password_reset {
    std::string user;
    std::string token_hash;
    instant expires;
    std::string sealed_token;
};
// Through a link (`token_hash`, by the server once it has the new password), or by the
// signed-in user itself (the server checked the current password).
struct set_password {
    std::string user;
    std::string password_hash;
    std::string token_hash;
    std::string kept_session;
};
// Only what is given changes: the rest is read from the state when the command is decided,
// so that two changes made at once both hold.
struct change_user {
    std::string id;
    std::optional<std::string> name;
    std::optional<creneau::role> role;
    std::optional<std::string> organisation;
    std::optional<bool> disabled;
};

// A user's own notification preferences (docs/notifications.md).
struct set_preferences {
    std::string user;
    std::string lang;
    std::vector<std::string> muted;
    bool copies = false;
};

}  // namespace creneau
