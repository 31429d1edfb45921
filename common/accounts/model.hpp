#pragma once
// Accounts (docs/authorisation.md): people, each of one organisation with one role, their
// sessions, and the private calendar feeds of organisations.

#include "common/core/decision.hpp"
#include "common/core/json.hpp"

namespace creneau {

template <>
struct enum_names<role> {
    static constexpr std::pair<role, std::string_view> table[] = {
        {role::admin, "admin"}, {role::member, "member"}, {role::organiser, "organiser"}};
};

struct user {
    std::string id;
    std::string email;
    std::string name;
    creneau::role role = creneau::role::member;
    std::string organisation;
    std::string password_hash;
    bool operator==(const user&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(user, id, email, name, role, organisation,
                                                password_hash)

// The actor a signed-in user acts as.
inline actor actor_of(const user& u) {
    return {u.id, u.role, u.organisation, false};
}

// A signed-in session, known by the hash of its secret token.
struct session {
    std::string user;
    instant expires;
    bool operator==(const session&) const = default;
};

}  // namespace creneau
