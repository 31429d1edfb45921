#pragma once
// The server's configuration: a plain struct with typed defaults. Values come, lowest
// precedence first, from the defaults below, a JSON config file, the environment
// (CRENEAU_*) and the command line.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace creneau::server {

struct endpoint_spec {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;
};

struct config {
    // Where the HTTP server listens. Port 0 asks the system for a free port.
    endpoint_spec listen;
    // Folder holding the SQLite journal (created if missing). Used unless `redis_url` is set.
    std::filesystem::path data_dir = "data";
    // redis://[:password@]host[:port][/db]: use the Redis journal instead of SQLite.
    std::string redis_url;
    // Folder of the browser app served at `/`.
    std::filesystem::path web_root;
    // Catalogue loaded into an empty journal on first start (empty: the shipped default).
    std::filesystem::path catalogue;
    // Threads running the I/O context (0: one per core).
    unsigned threads = 0;
    // Log level: debug, info, warn, error.
    std::string log_level = "info";
    // Longest a client may take to send one request's header and body.
    std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
    // How long a keep-alive connection may stay idle between requests.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
    // How long a new connection may wait before the first byte of its first request.
    std::chrono::milliseconds first_byte_timeout{std::chrono::seconds(10)};
    // On SIGTERM/SIGINT, how long in-flight requests get before the process exits anyway.
    std::chrono::milliseconds drain_timeout{std::chrono::milliseconds(1500)};
    // Open HTTP connections accepted at once; further ones are closed at accept.
    std::size_t max_connections = 10000;
    // Open HTTP connections from one client address (a campus behind one NAT needs many).
    std::size_t max_connections_per_address = 512;
    // The live channel (GET /live): per-connection send queue bounds, ping interval, caps.
    std::size_t live_queue_messages = 1024;
    std::size_t live_queue_bytes = 4 * 1024 * 1024;
    std::chrono::milliseconds live_idle_timeout{std::chrono::seconds(30)};
    std::size_t live_max_connections = 10000;
    std::size_t live_max_per_address = 64;
    // Kernel send buffer of a live connection: bounds the memory a stalled client holds
    // (the kernel would otherwise grow it to megabytes), so that the send queue fills.
    std::size_t live_socket_buffer = 64 * 1024;
    // Mark the session cookie Secure (behind HTTPS).
    bool secure_cookies = false;
    // Origins, besides the server's own, from which cookie-authenticated writes are accepted.
    std::vector<std::string> allowed_origins;
    // Reverse proxies (addresses and networks, comma-separated) whose Forwarded and
    // X-Forwarded-For headers name the client (net/forwarded.hpp); empty: trust none.
    std::string trusted_proxies;
    // The one header those proxies set to name the client: "x-forwarded-for" or "forwarded".
    std::string forwarded_header = "x-forwarded-for";

    // Notifications (docs/notifications.md): the SMTP server (none: mails are held in the
    // outbox), the sender, and the app's public address for the links.
    std::string smtp_url;
    std::string mail_from;
    std::string public_url;
    std::chrono::seconds mail_retry{30};  // first delay after a failed attempt

    // Facts between two snapshots of the state, which spare a start the replay of the facts
    // before them (docs/architecture.md, "Snapshots"); 0: none.
    std::size_t snapshot_every = 50000;
    // Seconds at least between two of them, the first after a start excepted: under a
    // sustained flood of writes, one snapshot's cost per interval (docs/operations.md,
    // "Sizing"); 0: every snapshot_every facts, however fast they come.
    unsigned snapshot_interval_seconds = 30;
    // Retention of personal data (docs/privacy.md, "Retention").
    unsigned retention_limit_months = 36;
    unsigned retention_sweep_seconds = 3600;
    // Seconds between two sweeps of the rooms' waiting lists (docs/domain.md).
    unsigned waiting_sweep_seconds = 30;

    std::string journal_backend() const { return redis_url.empty() ? "sqlite" : "redis"; }
};

// What the command line asked for beyond the configuration itself.
struct command_line {
    config cfg;
    bool help = false;
    bool version = false;
    // Positional words (subcommands such as `user add`), in order.
    std::vector<std::string> words;
    // Options not known to the server, for subcommands to read (`--email E` → {"email","E"}).
    std::vector<std::pair<std::string, std::string>> extra;
    std::vector<std::string> extra_flags;  // options without a value, such as --password-stdin
};

// Parses "ADDR:PORT", "[v6addr]:PORT" or ":PORT". Throws std::invalid_argument.
endpoint_spec parse_endpoint(const std::string& text);

// Reads the configuration: defaults, then the file named by --config or CRENEAU_CONFIG,
// then the environment, then the flags. `env` looks a variable up (getenv in production).
// Throws std::invalid_argument with a message naming the flag, variable or file at fault.
using env_lookup = std::optional<std::string> (*)(const char*);
command_line parse_command_line(int argc, const char* const* argv, env_lookup env);

std::optional<std::string> system_env(const char* name);

// The folder of the browser app: --web-root if given; else, for an installed program, the
// app installed beside it (PREFIX/share/creneau/web); else the source tree's web/.
std::filesystem::path web_root_of(const config& cfg);

// The text printed by --help.
std::string usage_text();

}  // namespace creneau::server
