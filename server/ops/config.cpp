#include "server/ops/config.hpp"

#include "common/core/json.hpp"
#include "common/core/text.hpp"
#include "server/net/forwarded.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace creneau::server {
namespace {

std::uint16_t parse_port(const std::string& text, const std::string& whole) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > 65535)
        throw std::invalid_argument("invalid port in listen address '" + whole + "'");
    return static_cast<std::uint16_t>(value);
}

template <class Rep, class Period>
void parse_duration_ms(const std::string& text, std::chrono::duration<Rep, Period>& out,
                       const std::string& what) {
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < 0)
        throw std::invalid_argument(what + ": expected a number of milliseconds, got '" + text +
                                    "'");
    out = std::chrono::milliseconds(value);
}

// A sender, "Name <address>" or an address: the address by the recipients' rule, the name one
// line of visible characters, a quoted one closed (docs/notifications.md, "Running it").
bool valid_sender(std::string_view v) {
    // An unclosed "<…" is no bracketed address: the whole text is, and the e-mail rule refuses
    // its '<'.
    const auto s = split_sender(v);
    return s.closed && valid_email(s.address) && (s.name.empty() || valid_name(s.name));
}

unsigned parse_unsigned(const std::string& text, const std::string& what) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        throw std::invalid_argument(what + ": expected a non-negative integer, got '" + text + "'");
    return value;
}

// One setting known by its flag, environment variable and config file key.
struct setting {
    const char* flag;
    const char* env;
    const char* key;
    const char* meta;
    const char* help;
    void (*assign)(config&, const std::string&, const std::string& what);
};

void check_level(const std::string& v, const std::string& what) {
    if (v != "debug" && v != "info" && v != "warn" && v != "error")
        throw std::invalid_argument(what + ": expected debug, info, warn or error, got '" + v +
                                    "'");
}

const setting settings[] = {
    {"--listen", "CRENEAU_LISTEN", "listen", "ADDR:PORT",
     "address to listen on (default 127.0.0.1:8080; port 0 picks a free one)",
     [](config& c, const std::string& v, const std::string&) { c.listen = parse_endpoint(v); }},
    {"--data", "CRENEAU_DATA", "data", "DIR",
     "folder of the SQLite journal, created if missing (default ./data)",
     [](config& c, const std::string& v, const std::string&) { c.data_dir = v; }},
    {"--redis", "CRENEAU_REDIS", "redis", "URL",
     "use the Redis journal at redis://host:port[/db] instead of SQLite",
     [](config& c, const std::string& v, const std::string& what) {
         if (!v.empty() && v.rfind("redis://", 0) != 0)
             throw std::invalid_argument(what + ": expected a redis:// URL, got '" + v + "'");
         c.redis_url = v;
     }},
    {"--web-root", "CRENEAU_WEB_ROOT", "web_root", "DIR",
     "folder of the browser app served at / (default: the installed one, else the checkout's web/)",
     [](config& c, const std::string& v, const std::string&) { c.web_root = v; }},
    {"--catalogue", "CRENEAU_CATALOGUE", "catalogue", "FILE",
     "catalogue loaded into an empty journal on first start (default: the shipped one)",
     [](config& c, const std::string& v, const std::string&) { c.catalogue = v; }},
    {"--threads", "CRENEAU_THREADS", "threads", "N", "I/O threads (default: one per core)",
     [](config& c, const std::string& v, const std::string& what) {
         c.threads = parse_unsigned(v, what);
     }},
    {"--log-level", "CRENEAU_LOG_LEVEL", "log_level", "LEVEL",
     "debug, info, warn or error (default info)",
     [](config& c, const std::string& v, const std::string& what) {
         check_level(v, what);
         c.log_level = v;
     }},
    {"--read-timeout-ms", "CRENEAU_READ_TIMEOUT_MS", "read_timeout_ms", "MS",
     "longest time to receive one request (default 30000)",
     [](config& c, const std::string& v, const std::string& what) {
         parse_duration_ms(v, c.read_timeout, what);
     }},
    {"--idle-timeout-ms", "CRENEAU_IDLE_TIMEOUT_MS", "idle_timeout_ms", "MS",
     "longest idle time of a keep-alive connection (default 60000)",
     [](config& c, const std::string& v, const std::string& what) {
         parse_duration_ms(v, c.idle_timeout, what);
     }},
    {"--first-byte-timeout-ms", "CRENEAU_FIRST_BYTE_TIMEOUT_MS", "first_byte_timeout_ms", "MS",
     "longest wait for the first byte of a new connection's first request (default 10000)",
     [](config& c, const std::string& v, const std::string& what) {
         parse_duration_ms(v, c.first_byte_timeout, what);
     }},
    {"--max-connections-per-address", "CRENEAU_MAX_CONNECTIONS_PER_ADDRESS",
     "max_connections_per_address", "N",
     "open HTTP connections from one client address (default 512)",
     [](config& c, const std::string& v, const std::string& what) {
         c.max_connections_per_address = parse_unsigned(v, what);
         if (c.max_connections_per_address == 0)
             throw std::invalid_argument(what + ": must be at least 1");
     }},
    {"--max-connections", "CRENEAU_MAX_CONNECTIONS", "max_connections", "N",
     "open HTTP connections accepted at once (default 10000)",
     [](config& c, const std::string& v, const std::string& what) {
         c.max_connections = parse_unsigned(v, what);
         if (c.max_connections == 0) throw std::invalid_argument(what + ": must be at least 1");
     }},
    {"--snapshot-every", "CRENEAU_SNAPSHOT_EVERY", "snapshot_every", "N",
     "facts between two snapshots of the state, which shorten the start (default 50000; 0: none)",
     [](config& c, const std::string& v, const std::string& what) {
         c.snapshot_every = parse_unsigned(v, what);
     }},
    {"--snapshot-interval", "CRENEAU_SNAPSHOT_INTERVAL", "snapshot_interval", "S",
     "seconds at least between two snapshots, the first after a start excepted (default 30; 0: "
     "every --snapshot-every facts however fast they come)",
     [](config& c, const std::string& v, const std::string& what) {
         c.snapshot_interval_seconds = parse_unsigned(v, what);
     }},
    {"--retention-limit-months", "CRENEAU_RETENTION_LIMIT_MONTHS", "retention_limit_months", "N",
     "longest time an organiser may keep an event's registrations after it, in months (default "
     "36)",
     [](config& c, const std::string& v, const std::string& what) {
         c.retention_limit_months = parse_unsigned(v, what);
         if (c.retention_limit_months < 1 || c.retention_limit_months > 120)
             throw std::invalid_argument(what + ": from 1 to 120 months");
     }},
    {"--retention-sweep-seconds", "CRENEAU_RETENTION_SWEEP_SECONDS", "retention_sweep_seconds", "S",
     "seconds between two sweeps erasing what outlived its retention (default 3600; 0: none)",
     [](config& c, const std::string& v, const std::string& what) {
         c.retention_sweep_seconds = parse_unsigned(v, what);
     }},
    {"--waiting-sweep-seconds", "CRENEAU_WAITING_SWEEP_SECONDS", "waiting_sweep_seconds", "S",
     "seconds between two sweeps cancelling the rooms' waiting requests whose period began "
     "(default 30; 0: none)",
     [](config& c, const std::string& v, const std::string& what) {
         c.waiting_sweep_seconds = parse_unsigned(v, what);
     }},
    {"--live-queue-messages", "CRENEAU_LIVE_QUEUE_MESSAGES", "live_queue_messages", "N",
     "messages queued for one live client before it is closed as too slow (default 1024)",
     [](config& c, const std::string& v, const std::string& what) {
         c.live_queue_messages = std::max(1u, parse_unsigned(v, what));
     }},
    {"--live-queue-bytes", "CRENEAU_LIVE_QUEUE_BYTES", "live_queue_bytes", "N",
     "bytes queued for one live client before it is closed as too slow (default 4194304)",
     [](config& c, const std::string& v, const std::string& what) {
         c.live_queue_bytes = std::max(1024u, parse_unsigned(v, what));
     }},
    {"--live-idle-timeout-ms", "CRENEAU_LIVE_IDLE_TIMEOUT_MS", "live_idle_timeout_ms", "MS",
     "live clients are pinged after half of it and closed if silent for all of it (default 30000)",
     [](config& c, const std::string& v, const std::string& what) {
         parse_duration_ms(v, c.live_idle_timeout, what);
     }},
    {"--live-max-connections", "CRENEAU_LIVE_MAX_CONNECTIONS", "live_max_connections", "N",
     "live connections in all (default 10000)",
     [](config& c, const std::string& v, const std::string& what) {
         c.live_max_connections = std::max(1u, parse_unsigned(v, what));
     }},
    {"--live-max-per-address", "CRENEAU_LIVE_MAX_PER_ADDRESS", "live_max_per_address", "N",
     "live connections from one address (default 64)",
     [](config& c, const std::string& v, const std::string& what) {
         c.live_max_per_address = std::max(1u, parse_unsigned(v, what));
     }},
    {"--secure-cookies", "CRENEAU_SECURE_COOKIES", "secure_cookies", "yes|no",
     "mark the session cookie Secure, when served over HTTPS (default no)",
     [](config& c, const std::string& v, const std::string& what) {
         if (v != "yes" && v != "no")
             throw std::invalid_argument(what + ": expected yes or no, got '" + v + "'");
         c.secure_cookies = v == "yes";
     }},
    {"--allowed-origins", "CRENEAU_ALLOWED_ORIGINS", "allowed_origins", "LIST",
     "comma-separated origins (https://host) allowed to write with a session cookie",
     [](config& c, const std::string& v, const std::string& what) {
         c.allowed_origins.clear();
         std::size_t start = 0;
         while (start <= v.size()) {
             auto comma = v.find(',', start);
             auto item =
                 v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
             if (!item.empty()) {
                 if (item.rfind("http://", 0) != 0 && item.rfind("https://", 0) != 0)
                     throw std::invalid_argument(
                         what + ": an origin starts with http:// or https://, got '" + item + "'");
                 c.allowed_origins.push_back(item);
             }
             if (comma == std::string::npos) break;
             start = comma + 1;
         }
     }},
    {"--trusted-proxies", "CRENEAU_TRUSTED_PROXIES", "trusted_proxies", "LIST",
     "comma-separated proxy addresses or networks whose Forwarded/X-Forwarded-For is believed",
     [](config& c, const std::string& v, const std::string& what) {
         try {
             proxy_list check(v);
         } catch (const std::invalid_argument& e) {
             throw std::invalid_argument(what + ": " + e.what());
         }
         c.trusted_proxies = v;
     }},
    {"--smtp", "CRENEAU_SMTP", "smtp", "URL",
     "send notifications through smtp://[user:pass@]host[:port] (STARTTLS when offered), "
     "smtp+starttls://… or smtps://… (default: none, mails are held in the outbox)",
     [](config& c, const std::string& v, const std::string& what) {
         if (!v.empty() && v.rfind("smtp://", 0) != 0 && v.rfind("smtps://", 0) != 0 &&
             v.rfind("smtp+starttls://", 0) != 0)
             throw std::invalid_argument(what +
                                         ": expected an smtp://, smtp+starttls:// or smtps:// URL");
         c.smtp_url = v;
     }},
    {"--mail-from", "CRENEAU_MAIL_FROM", "mail_from", "ADDRESS",
     "the sender of notifications, \"Name <address>\" or an address (needed with --smtp)",
     [](config& c, const std::string& v, const std::string& what) {
         if (!v.empty() && !valid_sender(v))
             throw std::invalid_argument(
                 what +
                 ": expected an e-mail address such as reservations@example.org, or "
                 "\"Name <address>\", got '" +
                 v + "'");
         c.mail_from = v;
     }},
    {"--mail-retry", "CRENEAU_MAIL_RETRY", "mail_retry", "SECONDS",
     "first delay before a failed mail is tried again; each failure doubles it, up to an hour "
     "(default 30)",
     [](config& c, const std::string& v, const std::string& what) {
         auto n = parse_unsigned(v, what);
         if (n < 1 || n > 3600) throw std::invalid_argument(what + ": expected 1 to 3600");
         c.mail_retry = std::chrono::seconds(n);
     }},
    {"--public-url", "CRENEAU_PUBLIC_URL", "public_url", "URL",
     "the app's address as people reach it, for the links in mails (default "
     "http://localhost:PORT)",
     [](config& c, const std::string& v, const std::string& what) {
         if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
             throw std::invalid_argument(what + ": expected an http:// or https:// URL");
         c.public_url = v;
         while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
     }},
    {"--forwarded-header", "CRENEAU_FORWARDED_HEADER", "forwarded_header", "NAME",
     "the header the trusted proxies set: x-forwarded-for (default) or forwarded (RFC 7239)",
     [](config& c, const std::string& v, const std::string& what) {
         if (v != "x-forwarded-for" && v != "forwarded")
             throw std::invalid_argument(what + ": expected x-forwarded-for or forwarded, got '" +
                                         v + "'");
         c.forwarded_header = v;
     }},
};

const setting* find_flag(const std::string& flag) {
    for (const auto& s : settings)
        if (flag == s.flag) return &s;
    return nullptr;
}

void apply_file(config& cfg, const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::invalid_argument("config file " + path.string() + ": cannot be read");
    json doc;
    try {
        doc = json::parse(in);
    } catch (const json::parse_error& e) {
        throw std::invalid_argument("config file " + path.string() + ": " + e.what());
    }
    if (!doc.is_object())
        throw std::invalid_argument("config file " + path.string() + ": expected a JSON object");
    for (const auto& [key, value] : doc.items()) {
        const setting* found = nullptr;
        for (const auto& s : settings)
            if (key == s.key) found = &s;
        const std::string what = "config file " + path.string() + ", key '" + key + "'";
        if (!found) throw std::invalid_argument(what + ": unknown setting");
        std::string text;
        if (value.is_string())
            text = value.get<std::string>();
        else if (value.is_number_unsigned())
            text = std::to_string(value.get<unsigned long long>());
        else
            throw std::invalid_argument(what + ": expected a string or a non-negative number");
        found->assign(cfg, text, what);
    }
}

}  // namespace

endpoint_spec parse_endpoint(const std::string& text) {
    endpoint_spec ep;
    std::string host, port;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
            throw std::invalid_argument("invalid listen address '" + text +
                                        "': expected [ADDR]:PORT");
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string::npos)
            throw std::invalid_argument("invalid listen address '" + text +
                                        "': expected ADDR:PORT");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string::npos)
            throw std::invalid_argument("invalid listen address '" + text +
                                        "': write IPv6 addresses as [ADDR]:PORT");
    }
    ep.address = host.empty() ? "0.0.0.0" : host;
    ep.port = parse_port(port, text);
    return ep;
}

std::filesystem::path web_root_of(const config& cfg) {
    if (!cfg.web_root.empty()) return cfg.web_root;
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto installed = exe.parent_path().parent_path() / "share" / "creneau" / "web";
        if (std::filesystem::is_regular_file(installed / "index.html", ec)) return installed;
    }
    return CRENEAU_WEB_ROOT;
}

std::optional<std::string> system_env(const char* name) {
    const char* v = std::getenv(name);
    if (!v) return std::nullopt;
    return std::string(v);
}

command_line parse_command_line(int argc, const char* const* argv, env_lookup env) {
    command_line out;
    std::vector<std::string> args(argv + 1, argv + argc);

    // The config file first: the flags and variables override what it says.
    std::optional<std::string> config_file = env("CRENEAU_CONFIG");
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config") {
            if (i + 1 >= args.size()) throw std::invalid_argument("--config: missing FILE");
            config_file = args[i + 1];
        } else if (args[i].rfind("--config=", 0) == 0) {
            config_file = args[i].substr(9);
        }
    }
    if (config_file && !config_file->empty()) apply_file(out.cfg, *config_file);

    for (const auto& s : settings)
        if (auto v = env(s.env))
            s.assign(out.cfg, *v, std::string("environment variable ") + s.env);

    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg == "--help" || arg == "-h") {
            out.help = true;
            continue;
        }
        if (arg == "--version") {
            out.version = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0) {
            out.words.push_back(arg);
            continue;
        }
        std::string name = arg, value;
        bool inline_value = false;
        if (auto eq = arg.find('='); eq != std::string::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            inline_value = true;
        }
        if (name == "--config") {
            if (!inline_value) ++i;
            continue;
        }
        if (const setting* s = find_flag(name)) {
            if (!inline_value) {
                if (i + 1 >= args.size())
                    throw std::invalid_argument(name + ": missing " + s->meta);
                value = args[++i];
            }
            s->assign(out.cfg, value, name);
            continue;
        }
        // Not a server setting: left for a subcommand to interpret.
        if (inline_value) {
            out.extra.emplace_back(name.substr(2), value);
        } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
            out.extra.emplace_back(name.substr(2), args[++i]);
        } else {
            out.extra_flags.push_back(name.substr(2));
        }
    }
    if (!out.cfg.smtp_url.empty() && out.cfg.mail_from.empty())
        throw std::invalid_argument("--smtp needs --mail-from (the sender of the notifications)");
    return out;
}

std::string usage_text() {
    std::ostringstream out;
    out << "Usage: creneau [OPTIONS]              run the server\n"
           "       creneau user add --email E --name N --role admin|member|organiser\n"
           "                        [--org ORG] --password-stdin [OPTIONS]\n"
           "       creneau backup --to FILE [OPTIONS]\n"
           "                        copy the journal, while the server runs, into a new\n"
           "                        SQLite journal file\n"
           "       creneau journal export [--to FILE] [OPTIONS]\n"
           "                        write the journal's facts as JSON lines\n"
           "       creneau journal import [--from FILE] [OPTIONS]\n"
           "                        append an export to an empty journal (SQLite or Redis)\n"
           "\n"
           "Créneau serves room reservations, partner agreements' allowances and events,\n"
           "with a live calendar over WebSocket.\n"
           "\n"
           "Options (each also read from the environment variable shown, and from the\n"
           "JSON config file under the key shown; flags win over variables, which win\n"
           "over the file):\n";
    out << "  --config FILE           JSON config file  [CRENEAU_CONFIG]\n";
    for (const auto& s : settings) {
        std::string left = std::string(s.flag) + " " + s.meta;
        out << "  " << left;
        for (std::size_t n = left.size(); n < 22; ++n) out << ' ';
        out << "  " << s.help << "  [" << s.env << ", \"" << s.key << "\"]\n";
    }
    out << "  --help                  print this help and exit\n"
           "  --version               print the version and exit\n"
           "\n"
           "Endpoints are listed in README.md; GET /healthz reports the version and journal.\n"
           "Stops cleanly on SIGTERM or SIGINT, finishing the requests in flight.\n";
    return out.str();
}

}  // namespace creneau::server
