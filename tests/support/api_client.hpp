#pragma once
// Test support: the HTTP API as a user sees it, with users made by `creneau user add`.

#include "support/http_client.hpp"
#include "support/server_process.hpp"

#include <nlohmann/json.hpp>

namespace creneau::test {

// Runs `creneau user add` on the journal the options name; returns the new user's id.
std::string add_user(const server_options& where, const std::string& email, const std::string& name,
                     const std::string& role, const std::string& org,
                     const std::string& password = "motdepasse-solide");

// A signed-in (or anonymous) client of one server.
struct api_client {
    std::uint16_t port = 0;
    std::string token;  // empty: anonymous

    static api_client sign_in(std::uint16_t port, const std::string& email,
                              const std::string& password = "motdepasse-solide");

    http_reply get(const std::string& target) const;
    http_reply post(const std::string& target,
                    const nlohmann::json& body = nlohmann::json::object()) const;
    http_reply put(const std::string& target, const nlohmann::json& body) const;
    http_reply del(const std::string& target) const;
    http_reply send(boost::beast::http::verb v, const std::string& target,
                    const std::string& body) const;
};

// An account invited by `admin` (POST /api/users), its password set through its one-time link,
// signed in. Throws naming the step that failed.
api_client invited_account(const api_client& admin, const std::string& email,
                           const std::string& name, const std::string& role, const std::string& org,
                           const std::string& password = "motdepasse-solide");

// A reservation request body.
nlohmann::json booking(const std::string& resource, const std::string& start,
                       const std::string& end, int attendees = 10, const std::string& layout = "",
                       const std::string& title = "Réunion");

}  // namespace creneau::test
