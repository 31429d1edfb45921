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
    std::string password_hash;  // empty: invited, the password not chosen yet
    bool disabled = false;      // may not sign in; its sessions are closed
    // Notifications (docs/notifications.md): the language of the mails, and the kinds of
    // notification the user chose not to receive.
    std::string lang = "fr";
    std::vector<std::string> muted;
    bool copies = false;  // an admin's copy of the decisions on their organisation's requests
    bool operator==(const user&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(user, id, email, name, role, organisation,
                                                password_hash, disabled, lang, muted, copies)

// The actor a signed-in user acts as.
inline actor actor_of(const user& u) {
    return {u.id, u.role, u.organisation, false};
}

// A signed-in session, known by the hash of its secret token.
struct session {
    std::string user;
    instant expires;
    instant opened;
    bool operator==(const session&) const = default;
};

// What a one-time link of an account is for: choosing the first password (an invitation),
// or a new one (a reset).
enum class link_purpose { invitation, reset };
template <>
struct enum_names<link_purpose> {
    static constexpr std::pair<link_purpose, std::string_view> table[] = {
        {link_purpose::invitation, "invitation"}, {link_purpose::reset, "reset"}};
};

// A one-time link, known by the hash of its token.
struct account_link {
    std::string user;
    link_purpose purpose = link_purpose::invitation;
    instant expires;
    bool operator==(const account_link&) const = default;
};

}  // namespace creneau
