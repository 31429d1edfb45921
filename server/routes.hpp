#pragma once
// Registers every route of the server.

#include "server/http.hpp"
#include "server/router.hpp"

namespace creneau::server {

class shared_state;

void add_routes(shared_state& state);

void add_auth_routes(shared_state& state);
void add_catalogue_routes(shared_state& state);
void add_reservation_routes(shared_state& state);
void add_usage_routes(shared_state& state);
void add_event_routes(shared_state& state);

}  // namespace creneau::server
