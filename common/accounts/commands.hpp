#pragma once
// What people and the server ask of accounts.

#include "common/accounts/model.hpp"

namespace creneau {

struct add_user {
    user value;
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

}  // namespace creneau
