#pragma once
// The server program: builds the shared state and the routes, listens, runs the I/O
// threads, and drains on SIGTERM/SIGINT.

#include "server/ops/config.hpp"

namespace creneau::server {

// Runs the server until SIGTERM or SIGINT; returns the process exit code.
int run_server(const config& cfg);

}  // namespace creneau::server
