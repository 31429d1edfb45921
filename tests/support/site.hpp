#pragma once
// Test support: a running creneau with its people (LLV's administrator, two Université
// d'Artois staff, a Université de Lille member), each signed in.

#include "support/api_client.hpp"

#include <memory>

namespace creneau::test {

struct site {
    temp_dir dir;
    server_options opts;
    std::unique_ptr<server_process> server;
    api_client anonymous, admin, artois, organiser, lille;

    explicit site(std::string redis = {}, std::vector<std::string> extra_args = {}) {
        opts.data_dir = dir.path() / "data";
        opts.redis_url = std::move(redis);
        opts.extra_args = std::move(extra_args);
        add_user(opts, "direction@llv.fr", "Nadia Direction", "admin", "llv");
        add_user(opts, "claire.martin@univ-artois.fr", "Claire Martin", "member", "univ-artois");
        add_user(opts, "jobdating@univ-artois.fr", "Paul Organisateur", "organiser", "univ-artois");
        add_user(opts, "lea@univ-lille.fr", "Léa Lille", "member", "univ-lille");
        server = std::make_unique<server_process>(opts);
        anonymous = api_client{server->port(), ""};
        admin = api_client::sign_in(server->port(), "direction@llv.fr");
        artois = api_client::sign_in(server->port(), "claire.martin@univ-artois.fr");
        organiser = api_client::sign_in(server->port(), "jobdating@univ-artois.fr");
        lille = api_client::sign_in(server->port(), "lea@univ-lille.fr");
    }
    std::uint16_t port() const { return server->port(); }
    std::int64_t head() const {
        return http_get(server->port(), "/healthz").json()["head"].get<std::int64_t>();
    }
};

}  // namespace creneau::test
