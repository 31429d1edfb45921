#include "server/ops/config.hpp"

#include "support/process.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>

using namespace creneau::server;

namespace {

std::map<std::string, std::string> fake_env;

std::optional<std::string> lookup(const char* name) {
    auto it = fake_env.find(name);
    if (it == fake_env.end()) return std::nullopt;
    return it->second;
}

command_line parse(std::vector<std::string> args) {
    args.insert(args.begin(), "creneau");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    return parse_command_line(static_cast<int>(argv.size()), argv.data(), lookup);
}

}  // namespace

TEST_CASE("defaults: 127.0.0.1:8080, SQLite journal in ./data", "[config]") {
    fake_env.clear();
    auto cmd = parse({});
    CHECK(cmd.cfg.listen.address == "127.0.0.1");
    CHECK(cmd.cfg.listen.port == 8080);
    CHECK(cmd.cfg.data_dir == "data");
    CHECK(cmd.cfg.journal_backend() == "sqlite");
    CHECK(cmd.cfg.snapshot_every == 50000);
    CHECK(cmd.cfg.snapshot_interval_seconds == 30);
    CHECK(parse({"--snapshot-interval", "0"}).cfg.snapshot_interval_seconds == 0);
}

TEST_CASE("listen addresses: IPv4, IPv6 in brackets, port only", "[config]") {
    CHECK(parse_endpoint("0.0.0.0:80").address == "0.0.0.0");
    CHECK(parse_endpoint("[::1]:9000").address == "::1");
    CHECK(parse_endpoint("[::1]:9000").port == 9000);
    CHECK(parse_endpoint(":8081").address == "0.0.0.0");
    CHECK_THROWS_AS(parse_endpoint("localhost"), std::invalid_argument);
    CHECK_THROWS_AS(parse_endpoint("127.0.0.1:99999"), std::invalid_argument);
    CHECK_THROWS_AS(parse_endpoint("::1:80"), std::invalid_argument);
    CHECK_THROWS_AS(parse_endpoint("127.0.0.1:"), std::invalid_argument);
}

TEST_CASE("flags win over the environment, which wins over the config file", "[config]") {
    creneau::test::temp_dir dir;
    auto file = dir.path() / "creneau.json";
    std::ofstream(file) << R"({"listen": "127.0.0.1:7000", "data": "/from/file", "threads": 3})";

    fake_env = {{"CRENEAU_CONFIG", file.string()}};
    auto from_file = parse({});
    CHECK(from_file.cfg.listen.port == 7000);
    CHECK(from_file.cfg.data_dir == "/from/file");
    CHECK(from_file.cfg.threads == 3);

    fake_env["CRENEAU_LISTEN"] = "127.0.0.1:7001";
    fake_env["CRENEAU_REDIS"] = "redis://127.0.0.1:6390";
    auto from_env = parse({});
    CHECK(from_env.cfg.listen.port == 7001);
    CHECK(from_env.cfg.data_dir == "/from/file");
    CHECK(from_env.cfg.journal_backend() == "redis");

    auto from_flags = parse({"--listen", "127.0.0.1:7002", "--data=/from/flag"});
    CHECK(from_flags.cfg.listen.port == 7002);
    CHECK(from_flags.cfg.data_dir == "/from/flag");
    fake_env.clear();
}

TEST_CASE("bad settings are refused with the place at fault", "[config]") {
    creneau::test::temp_dir dir;
    auto file = dir.path() / "bad.json";
    std::ofstream(file) << R"({"listen": "127.0.0.1:8080", "colour": "blue"})";
    fake_env.clear();
    try {
        parse({"--config", file.string()});
        FAIL("an unknown key was accepted");
    } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), Catch::Contains("bad.json") && Catch::Contains("colour"));
    }
    fake_env = {{"CRENEAU_THREADS", "many"}};
    CHECK_THROWS_WITH(parse({}), Catch::Contains("CRENEAU_THREADS"));
    fake_env.clear();
    CHECK_THROWS_WITH(parse({"--listen"}), Catch::Contains("--listen"));
    CHECK_THROWS_WITH(parse({"--redis", "http://x"}), Catch::Contains("redis://"));
    auto broken = dir.path() / "broken.json";
    std::ofstream(broken) << "{ not json";
    CHECK_THROWS_WITH(parse({"--config", broken.string()}), Catch::Contains("broken.json"));
}

TEST_CASE("the sender of notifications is an address mail can go from", "[config]") {
    fake_env.clear();
    CHECK(parse({"--mail-from", "reservations@llv.fr"}).cfg.mail_from == "reservations@llv.fr");
    CHECK(parse({"--mail-from", "Louvre-Lens Vallée <reservations@llv.fr>"}).cfg.mail_from ==
          "Louvre-Lens Vallée <reservations@llv.fr>");
    CHECK(parse({"--mail-from", "\"LLV, accueil\" <accueil@llv.fr>"}).cfg.mail_from ==
          "\"LLV, accueil\" <accueil@llv.fr>");
    CHECK(parse({"--mail-from", "\"LLV\" accueil <accueil@llv.fr>"}).cfg.mail_from ==
          "\"LLV\" accueil <accueil@llv.fr>");
    CHECK(parse({"--mail-from", "\"LLV \\\"accueil\\\"\" <accueil@llv.fr>"}).cfg.mail_from ==
          "\"LLV \\\"accueil\\\"\" <accueil@llv.fr>");
    // What the recipients' rule (docs/notifications.md) refuses, a sender is refused too: the
    // mail server would refuse the envelope, and every notification would wait in the outbox.
    for (const std::string bad :
         {"llv", "@llv.fr", "reservations@localhost", "LLV <>", "LLV <reservations@llv>",
          "reservations@llv.fr, eve@example.org", "LLV <a b@llv.fr>", "LLV <resa@llv.fr",
          "LLV\r\nBcc: eve@example.org <resa@llv.fr>", "LLV <résa@llv.fr>", "LLV\x01 <resa@llv.fr>",
          "\"\\\x01\" <resa@llv.fr>", "\"LLV <resa@llv.fr>"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH(parse({"--mail-from", bad}), Catch::Contains("--mail-from"));
    }
}

TEST_CASE("words and unknown options are left for subcommands", "[config]") {
    fake_env.clear();
    auto cmd = parse({"user", "add", "--email", "a@b.fr", "--password-stdin", "--data", "/d"});
    CHECK(cmd.words == std::vector<std::string>{"user", "add"});
    REQUIRE(cmd.extra.size() == 1);
    CHECK(cmd.extra[0] == std::pair<std::string, std::string>{"email", "a@b.fr"});
    CHECK(cmd.extra_flags == std::vector<std::string>{"password-stdin"});
    CHECK(cmd.cfg.data_dir == "/d");
}

TEST_CASE("--help lists every flag with its variable", "[config]") {
    auto text = usage_text();
    for (const char* s : {"--listen", "CRENEAU_LISTEN", "--data", "CRENEAU_DATA", "--redis",
                          "CRENEAU_REDIS", "--config", "CRENEAU_CONFIG"})
        CHECK_THAT(text, Catch::Contains(s));
}
