#pragma once
// Test support: what a piece of code writes on standard error (the server's log).

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace creneau::test {

// Everything `f` writes on standard error while it runs.
inline std::string stderr_of(const auto& f) {
    char name[] = "/tmp/creneau-stderr-XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    f();
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fd);
    std::ifstream in(name);
    std::stringstream text;
    text << in.rdbuf();
    std::remove(name);
    return text.str();
}

}  // namespace creneau::test
