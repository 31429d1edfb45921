#pragma once
// Registers every route of the server.

namespace creneau::server {

class shared_state;
void add_routes(shared_state& state);

}  // namespace creneau::server
