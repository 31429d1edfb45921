#pragma once
// Erasing a person's data (docs/privacy.md, "Erasure").

#include <string>

namespace creneau {

// Erases the personal fields of an account ("user:ID", with the registrations it made) or
// of a registration ("registration:ID"). A registrant without an account proves the
// registration is theirs with its code.
struct erase_personal_data {
    std::string subject;
    std::string reason = "request";
    std::string code;
};

}  // namespace creneau
