// The real creneau process: starts, answers /healthz over HTTP, drains on SIGTERM.

#include "support/http_client.hpp"
#include "support/redis_server.hpp"
#include "support/server_process.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <boost/asio.hpp>

#include <csignal>
#include <fstream>
#include <thread>

using namespace creneau::test;
namespace http = boost::beast::http;

TEST_CASE("healthz answers with the version and the journal backend", "[process]") {
    server_process server;
    auto reply = http_get(server.port(), "/healthz");
    CHECK(reply.status == 200);
    CHECK(reply.header("content-type") == "application/json");
    auto body = reply.json();
    CHECK(body["status"] == "ok");
    CHECK(body["version"] == CRENEAU_VERSION);
    CHECK(body["journal"] == "sqlite");
    CHECK(std::filesystem::is_directory(server.data_dir()));
}

TEST_CASE("every request is logged as one structured line", "[process]") {
    server_process server;
    http_get(server.port(), "/healthz");
    http_get(server.port(), "/no/such/path");
    bool logged = wait_for_file(server.log_path(), scaled(std::chrono::seconds(5)),
                                [](const std::string& text) {
                                    // A path nothing answers is kept by its first segment only
                                    // (docs/privacy.md).
                                    return text.find(R"("path":"/no/…")") != std::string::npos &&
                                           text.find(R"("path":"/healthz")") != std::string::npos;
                                });
    CHECK(logged);
    std::istringstream lines(server.log());
    std::string line;
    while (std::getline(lines, line)) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        INFO(line);
        CHECK_FALSE(j.is_discarded());
    }
}

TEST_CASE("unknown paths and methods answer a problem with a stable code", "[process]") {
    server_process server;
    auto missing = http_get(server.port(), "/no/such/path");
    CHECK(missing.status == 404);
    CHECK(missing.header("content-type") == "application/problem+json");
    CHECK(missing.json()["code"] == "not-found");
    auto wrong = http_call(server.port(), http::verb::delete_, "/healthz");
    CHECK(wrong.status == 405);
    CHECK(wrong.json()["code"] == "method-not-allowed");
    // A 405 says which methods the path takes; a 401 how to authenticate (RFC 9110).
    CHECK(wrong.header("allow") == "GET, HEAD");
    auto patch = http_call(server.port(), http::verb::patch, "/api/reservations", "{}");
    CHECK(patch.status == 405);
    CHECK(patch.header("allow") == "GET, HEAD, POST");
    auto anonymous = http_get(server.port(), "/api/me");
    CHECK(anonymous.status == 401);
    CHECK(anonymous.header("www-authenticate") == "Bearer realm=\"creneau\"");
}

TEST_CASE("SIGTERM stops the server cleanly within 2 s", "[process]") {
    server_process server;
    REQUIRE(http_get(server.port(), "/healthz").status == 200);
    // An idle keep-alive connection must not hold the shutdown back.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket idle(ioc);
    idle.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});

    auto sent = std::chrono::steady_clock::now();
    server.process().signal(SIGTERM);
    auto code = server.process().wait_exit(scaled(std::chrono::seconds(2)));
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(std::chrono::steady_clock::now() - sent < scaled(std::chrono::seconds(2)));
    CHECK_THAT(server.log(), Catch::Contains(R"("msg":"stopped")"));
}

TEST_CASE("SIGTERM lets a request in flight finish", "[process]") {
    server_process server;
    // Send a request's header now and its body after the signal: the server must still
    // read it through and answer before it exits.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    std::string head =
        "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\n";
    boost::asio::write(s, boost::asio::buffer(head));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.process().signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    boost::asio::write(s, boost::asio::buffer(std::string("body")));
    std::string answer;
    boost::system::error_code ec;
    boost::asio::read(s, boost::asio::dynamic_buffer(answer), ec);
    CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 405"));
    auto code = server.process().wait_exit(scaled(std::chrono::seconds(2)));
    REQUIRE(code);
    CHECK(*code == 0);
}

TEST_CASE("SIGINT stops the server too", "[process]") {
    server_process server;
    server.process().signal(SIGINT);
    auto code = server.process().wait_exit(scaled(std::chrono::seconds(2)));
    REQUIRE(code);
    CHECK(*code == 0);
}

TEST_CASE("a port already taken stops the start with a message", "[process]") {
    server_process first;
    temp_dir dir;
    child_process second({creneau_binary(), "--listen", numbered("127.0.0.1:", first.port()),
                          "--data", (dir.path() / "d").string()},
                         dir.path() / "log");
    auto code = second.wait_exit(scaled(std::chrono::seconds(5)));
    REQUIRE(code);
    CHECK(*code == 1);
    CHECK_THAT(read_file(dir.path() / "log"), Catch::Contains("cannot listen"));
}

TEST_CASE("--help documents the flags and exits 0", "[process]") {
    temp_dir dir;
    child_process help({creneau_binary(), "--help"}, dir.path() / "out");
    auto code = help.wait_exit(scaled(std::chrono::seconds(5)));
    REQUIRE(code);
    CHECK(*code == 0);
    auto text = read_file(dir.path() / "out");
    CHECK_THAT(text, Catch::Contains("--listen ADDR:PORT") && Catch::Contains("--data DIR") &&
                         Catch::Contains("--redis URL"));
}

TEST_CASE("an unknown flag exits 2 with a message", "[process]") {
    temp_dir dir;
    child_process bad({creneau_binary(), "--colour", "blue"}, dir.path() / "out");
    auto code = bad.wait_exit(scaled(std::chrono::seconds(5)));
    REQUIRE(code);
    CHECK(*code == 2);
    CHECK_THAT(read_file(dir.path() / "out"), Catch::Contains("--colour"));
}

TEST_CASE("with --redis the server journals in Redis and says so", "[process][redis]") {
    server_process server({.redis_url = redis_url(shared_redis_port(), unique_prefix())});
    auto body = http_get(server.port(), "/healthz").json();
    CHECK(body["journal"] == "redis");
    CHECK(body["head"].get<long>() > 0);  // the default catalogue was loaded
    CHECK(http_get(server.port(), "/readyz").status == 200);
}

TEST_CASE("readyz answers 503 while Redis is down, and 200 again once it is back",
          "[process][redis]") {
    redis_server redis;
    server_process server({.redis_url = redis_url(redis.port(), "readyz")});
    REQUIRE(http_get(server.port(), "/readyz").status == 200);
    redis.stop();
    bool down = wait_for_file(
        server.log_path(), scaled(std::chrono::seconds(5)),
        [&](const std::string&) { return http_get(server.port(), "/readyz").status == 503; });
    CHECK(down);
    auto problem = http_get(server.port(), "/readyz");
    CHECK(problem.header("content-type") == "application/problem+json");
    CHECK(problem.json()["code"] == "journal-unavailable");
    CHECK(http_get(server.port(), "/healthz").status == 200);  // alive, and still answering
    redis.start();
    bool up = wait_for_file(
        server.log_path(), scaled(std::chrono::seconds(10)),
        [&](const std::string&) { return http_get(server.port(), "/readyz").status == 200; });
    CHECK(up);
}

TEST_CASE("a malformed catalogue file stops the start with the file, place and problem",
          "[process]") {
    temp_dir dir;
    auto file = dir.path() / "catalogue.json";
    std::ofstream(file)
        << R"({"organisations": [{"id": "llv", "name": "LLV", "category": "emperor"}]})";
    child_process p({creneau_binary(), "--listen", "127.0.0.1:0", "--data",
                     (dir.path() / "d").string(), "--catalogue", file.string()},
                    dir.path() / "log");
    auto code = p.wait_exit(scaled(std::chrono::seconds(5)));
    REQUIRE(code);
    CHECK(*code == 1);
    CHECK_THAT(
        read_file(dir.path() / "log"),
        Catch::Contains("catalogue.json: /organisations/0/category") && Catch::Contains("emperor"));
}

TEST_CASE("a journal that cannot be replayed stops the start and names the fact", "[process]") {
    temp_dir dir;
    { server_process first({.data_dir = dir.path() / "d"}); }
    // Break a fact's body in place.
    auto db = dir.path() / "d" / "creneau.db";
    REQUIRE(std::system(("sqlite3 " + db.string() + " \"UPDATE facts SET body='{' WHERE seq=3\"")
                            .c_str()) == 0);
    child_process p(
        {creneau_binary(), "--listen", "127.0.0.1:0", "--data", (dir.path() / "d").string()},
        dir.path() / "log");
    auto code = p.wait_exit(scaled(std::chrono::seconds(5)));
    REQUIRE(code);
    CHECK(*code == 1);
    CHECK_THAT(read_file(dir.path() / "log"), Catch::Contains("journal fact 3"));
}
