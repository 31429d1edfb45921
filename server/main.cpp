// The `creneau` program: the server, and its administrative subcommands.

#include "server/journal/store.hpp"
#include "server/ops/config.hpp"
#include "server/ops/log.hpp"
#include "server/ops/passwords.hpp"
#include "server/server.hpp"

#include <sodium.h>

#include <cstdio>
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
        std::cout << "creneau " << CRENEAU_VERSION << "\n";
        return 0;
    }
    log::set_level(cmd.cfg.log_level);
    try {
        init_crypto();
    } catch (const std::exception& e) {
        std::cerr << "creneau: " << e.what() << "\n";
        return 1;
    }
    if (cmd.words == std::vector<std::string>{"user", "add"}) {
        log::set_level(log::level::warn);
        try {
            return user_add(cmd);
        } catch (const std::invalid_argument& e) {
            std::cerr << "creneau user add: " << e.what() << "\nTry 'creneau --help'.\n";
            return 2;
        } catch (const std::exception& e) {
            std::cerr << "creneau user add: " << e.what() << "\n";
            return 1;
        }
    }
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
    return run_server(cmd.cfg);
}
