#pragma once
// Erasing a person's data (docs/privacy.md, "Erasure").

#include <cstddef>
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

// The server's retention sweep (system only, docs/privacy.md, "Retention"): erases what has
// outlived its retention at the decision's instant, at most `limit` subjects at a time.
struct sweep_retention {
    std::size_t limit = 500;
};

// An administrator keeps an account flagged as unused.
struct keep_account {
    std::string user;
};

}  // namespace creneau
