#pragma once
// Tells the service manager how the server is doing, when it runs as a systemd service of
// Type=notify (deploy/creneau.service): "READY=1" once it listens, "STOPPING=1" when it
// drains. Speaks the datagram protocol of $NOTIFY_SOCKET itself; without that variable
// (started by hand, in a container, in the tests) it does nothing.

#include <string>

namespace creneau::server {

// Sends `state` (lines of NAME=VALUE) to $NOTIFY_SOCKET. False if there is no manager to
// tell or the datagram could not be sent; never throws.
bool notify_service_manager(const std::string& state);

}  // namespace creneau::server
