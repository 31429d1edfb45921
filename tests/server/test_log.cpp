// The request log's line, composed without a JSON document (server/ops/log.hpp), is the line
// the general writer gives for the same fields, whatever the fields hold.
#include "server/ops/log.hpp"

#include "support/capture.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace creneau;
using namespace creneau::server;

namespace {

// What the lines written by `f` on standard error read, the time stamps left out.
std::vector<std::string> captured(const auto& f) {
    std::istringstream in(test::stderr_of(f));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        auto ts_end = line.find("\",\"level\"");
        REQUIRE(ts_end != std::string::npos);
        lines.push_back(line.substr(ts_end));
    }
    return lines;
}

}  // namespace

TEST_CASE("log: the request line is the general writer's line for the same fields", "[log]") {
    struct sample {
        std::string remote, client, method, path, route;
        unsigned status;
        std::size_t bytes;
        long long micros;
    };
    const std::vector<sample> samples{
        {"127.0.0.1:5000", "127.0.0.1", "GET", "/healthz", "/healthz", 200, 180, 12},
        {"[::1]:443", "2001:db8::1", "POST", "/api/reservations", "/api/reservations", 201, 0,
         123456789},
        // Quotes, backslashes, control characters, non-ASCII and invalid UTF-8.
        {"10.0.0.1:1", "10.0.0.1", "PURGE\"x", "/a\\b\"c\n\t\x01\x7f/é/\xff\xfe", "", 404,
         18446744073709551615ull, -1},
        {"", "", "", "", "static", 0, 0, 0},
    };
    auto ours = captured([&] {
        for (const auto& s : samples)
            log::access(
                {s.remote, s.client, s.method, s.path, s.route, s.status, s.bytes, s.micros});
    });
    auto general = captured([&] {
        for (const auto& s : samples)
            log::info("request", {{"remote", s.remote},
                                  {"client", s.client},
                                  {"method", s.method},
                                  {"path", s.path},
                                  {"route", s.route},
                                  {"status", s.status},
                                  {"bytes", s.bytes},
                                  {"duration_us", s.micros}});
    });
    REQUIRE(ours.size() == samples.size());
    CHECK(ours == general);
    // Each line is one JSON object that reads back.
    for (const auto& line : ours) CHECK_NOTHROW(json::parse("{\"ts\":\"x" + line));
}

TEST_CASE("log: the request line follows the level", "[log]") {
    log::set_level(log::level::warn);
    auto lines = captured([] { log::access({"a", "b", "GET", "/", "static", 200, 1, 1}); });
    log::set_level(log::level::info);
    CHECK(lines.empty());
}
