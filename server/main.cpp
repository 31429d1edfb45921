// The `creneau` program: the server, and its administrative subcommands.

#include "server/config.hpp"
#include "server/log.hpp"
#include "server/server.hpp"

#include <cstdio>
#include <iostream>
#include <stdexcept>

int main(int argc, char** argv) {
    using namespace creneau::server;
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
