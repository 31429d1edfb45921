#pragma once
// The fact of an erasure (docs/privacy.md, "Erasure"): whose personal data was erased, and
// why. It never says what was erased; the envelope says by whom and when.

#include "common/core/json.hpp"

#include <string>

namespace creneau {

struct personal_data_erased {
    static constexpr std::string_view type = "personal-data-erased";
    std::string subject;  // "user:ID", "registration:ID" or "reservation:ID" (its requester)
    std::string reason;   // "request", "retention" or "inactivity"
    bool operator==(const personal_data_erased&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(personal_data_erased, subject, reason)

// An administrator keeps an account that was flagged as unused: its three years start again.
struct account_kept {
    static constexpr std::string_view type = "account-kept";
    std::string user;
    bool operator==(const account_kept&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(account_kept, user)

}  // namespace creneau
