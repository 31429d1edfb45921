// The `creneau` program: the server, and its administrative subcommands.

#include "server/journal/store.hpp"
#include "server/journal/transfer.hpp"
#include "server/ops/build_info.hpp"
#include "server/ops/config.hpp"
#include "server/ops/log.hpp"
#include "server/ops/passwords.hpp"
#include "server/server.hpp"

#include <sodium.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>

namespace {

using namespace creneau;
using namespace creneau::server;

// creneau user add --email E --name N --role admin|member|organiser [--org ORG] --password-stdin
int user_add(const command_line& cmd) {
    std::map<std::string, std::string> opt(cmd.extra.begin(), cmd.extra.end());
    auto flag = [&](const char* f) {
        return std::find(cmd.extra_flags.begin(), cmd.extra_flags.end(), f) !=
               cmd.extra_flags.end();
    };
    for (const auto& [k, v] : opt)
        if (k != "email" && k != "name" && k != "role" && k != "org")
            throw std::invalid_argument("unknown option --" + k);
    for (const auto& f : cmd.extra_flags)
        if (f != "password-stdin") throw std::invalid_argument("unknown option --" + f);
    for (const char* required : {"email", "name", "role"})
        if (opt[required].empty())
            throw std::invalid_argument(std::string("--") + required + " is required");
    auto r = parse_name<role>(opt["role"]);
    if (!r) throw std::invalid_argument("--role: expected admin, member or organiser");
    if (!flag("password-stdin"))
        throw std::invalid_argument("give the password on standard input with --password-stdin");
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.size() < 10)
        throw std::invalid_argument("the password must be at least 10 characters long");

    user u;
    unsigned char id[6];
    randombytes_buf(id, sizeof id);
    char hex[13];
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    u.id = std::string("u-") + hex;
    u.email = opt["email"];
    u.name = opt["name"];
    u.role = *r;
    u.organisation = opt["org"].empty() ? (*r == role::admin ? "llv" : "") : opt["org"];
    u.password_hash = hash_password(password);

    auto book = open_ledger(cmd.cfg);
    auto o = book->execute(add_user{u}, actor{});
    book->stop();
    if (o.refused) {
        std::cerr << "creneau: " << code_of(o.refused->code) << ": " << o.refused->detail << "\n";
        return 1;
    }
    if (o.journal_unavailable) {
        std::cerr << "creneau: the journal is unavailable: " << o.error << "\n";
        return 1;
    }
    std::cout << u.id << "\n";
    return 0;
}

// The options of a subcommand: only those in `allowed`, each with a value.
std::map<std::string, std::string> options_of(const command_line& cmd,
                                              std::initializer_list<const char*> allowed) {
    std::map<std::string, std::string> opt;
    auto known = [&](const std::string& k) {
        return std::find_if(allowed.begin(), allowed.end(),
                            [&](const char* a) { return k == a; }) != allowed.end();
    };
    for (const auto& [k, v] : cmd.extra) {
        if (!known(k)) throw std::invalid_argument("unknown option --" + k);
        opt[k] = v;
    }
    for (const auto& f : cmd.extra_flags)
        throw std::invalid_argument(known(f) ? "--" + f + " needs a value"
                                             : "unknown option --" + f);
    return opt;
}

// A Redis journal without any fact is a mistyped URL (its /db, its ?prefix=) far more often
// than a journal to copy: a scheduled backup must not write empty copies for ever.
void refuse_empty_redis(const config& cfg, journal& j) {
    if (!cfg.redis_url.empty() && j.read(0, 1).empty())
        throw std::runtime_error(
            "the Redis journal holds no fact: check the URL's database (/N) and its ?prefix=");
}

// creneau journal export [--to FILE]: the facts as JSON lines, to a new FILE or standard
// output. The journal is opened read-only.
int journal_export(const command_line& cmd) {
    auto opt = options_of(cmd, {"to"});
    auto j = open_journal(cmd.cfg, true);
    refuse_empty_redis(cmd.cfg, *j);
    auto keys = open_vault(cmd.cfg, true);
    std::int64_t n = 0;
    if (opt["to"].empty() || opt["to"] == "-") {
        n = export_journal(*j, std::cout, keys.get());
        std::cout.flush();
    } else {
        write_new_file(opt["to"], [&](const std::filesystem::path& partial) {
            std::ofstream out(partial, std::ios::binary | std::ios::trunc);
            n = export_journal(*j, out, keys.get());
            out.close();
            if (!out) throw std::runtime_error("cannot write " + partial.string());
        });
    }
    j->close();
    std::cerr << "creneau: exported " << n << " facts\n";
    return 0;
}

// creneau journal import [--from FILE]: an export, into an empty journal.
int journal_import(const command_line& cmd) {
    auto opt = options_of(cmd, {"from"});
    std::ifstream file;
    if (!opt["from"].empty() && opt["from"] != "-") {
        file.open(opt["from"], std::ios::binary);
        if (!file) throw std::invalid_argument("cannot read " + opt["from"]);
    }
    auto j = open_journal(cmd.cfg);
    auto keys = open_vault(cmd.cfg);
    auto n = import_journal(*j, file.is_open() ? static_cast<std::istream&>(file) : std::cin,
                            keys.get());
    j->close();
    std::cerr << "creneau: imported " << n << " facts\n";
    return 0;
}

// creneau backup --to FILE: a new SQLite journal file holding every fact, taken while the
// server runs; the journal itself is only read.
int backup(const command_line& cmd) {
    auto opt = options_of(cmd, {"to"});
    if (opt["to"].empty()) throw std::invalid_argument("--to FILE is required");
    std::int64_t head = 0;
    if (cmd.cfg.redis_url.empty()) {
        head = backup_sqlite(journal_file(cmd.cfg), opt["to"]);
    } else {
        auto j = open_journal(cmd.cfg, true);
        refuse_empty_redis(cmd.cfg, *j);
        auto keys = open_vault(cmd.cfg, true);
        head = backup_journal(*j, opt["to"], keys.get());
        j->close();
    }
    std::cerr << "creneau: backed up " << head << " facts to " << opt["to"] << "\n";
    return 0;
}

// Runs a subcommand: 2 for a usage error, 1 for a failure, with a message either way.
int subcommand(const std::string& name, int (*run)(const command_line&), const command_line& cmd) {
    log::set_level(log::level::warn);
    try {
        return run(cmd);
    } catch (const std::invalid_argument& e) {
        std::cerr << "creneau " << name << ": " << e.what() << "\nTry 'creneau --help'.\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "creneau " << name << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    command_line cmd;
    try {
        cmd = parse_command_line(argc, argv, system_env);
    } catch (const std::invalid_argument& e) {
        std::cerr << "creneau: " << e.what() << "\nTry 'creneau --help'.\n";
        return 2;
    }
    if (cmd.help) {
        std::cout << usage_text();
        return 0;
    }
    if (cmd.version) {
        std::cout << "creneau " << build_version() << " (commit " << build_commit() << ")\n";
        return 0;
    }
    log::set_level(cmd.cfg.log_level);
    try {
        init_crypto();
    } catch (const std::exception& e) {
        std::cerr << "creneau: " << e.what() << "\n";
        return 1;
    }
    using words = std::vector<std::string>;
    if (cmd.words == words{"user", "add"}) return subcommand("user add", user_add, cmd);
    if (cmd.words == words{"journal", "export"})
        return subcommand("journal export", journal_export, cmd);
    if (cmd.words == words{"journal", "import"})
        return subcommand("journal import", journal_import, cmd);
    if (cmd.words == words{"backup"}) return subcommand("backup", backup, cmd);
    if (!cmd.words.empty()) {
        std::cerr << "creneau: unknown command '" << cmd.words.front()
                  << "'\nTry 'creneau --help'.\n";
        return 2;
    }
    if (!cmd.extra.empty() || !cmd.extra_flags.empty()) {
        std::string name = !cmd.extra.empty() ? cmd.extra.front().first : cmd.extra_flags.front();
        std::cerr << "creneau: unknown option '--" << name << "'\nTry 'creneau --help'.\n";
        return 2;
    }
    try {
        return run_server(cmd.cfg);
    } catch (const std::exception& e) {
        // What the server's start does not expect (threads it cannot create, say): logged
        // as its other failures are, and the exit code says so, rather than an abort.
        log::error("the server failed", {{"error", e.what()}});
        return 1;
    }
}
