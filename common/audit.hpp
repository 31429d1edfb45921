#pragma once
// The audit trail: who changed the catalogue, an agreement or an account, and when. Kept in
// the state from the facts themselves, so it is as durable as they are.

#include "common/core/json.hpp"

#include <string>

namespace creneau {

struct audit_entry {
    std::int64_t seq = 0;
    instant at;
    std::string actor;         // user id, or "system"
    std::string action;        // the fact's type, e.g. "resource-defined"
    std::string subject;       // what changed: a resource, a user …
    std::string organisation;  // whose it is: the admins of this organisation see the entry
    bool operator==(const audit_entry&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(audit_entry, seq, at, actor, action, subject,
                                                organisation)

struct state;
struct fact;

// Adds the entry of an audited fact, once it is applied.
void audit_fact(state& s, const fact& f);

}  // namespace creneau
