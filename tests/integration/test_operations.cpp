// Running Créneau as a service (docs/operations.md): the build's identity, backups, moving a
// journal between SQLite and Redis, addresses behind a trusted proxy, and two instances
// behind a real nginx that lose one of them.

#include "support/redis_server.hpp"
#include "support/site.hpp"
#include "support/text.hpp"
#include "support/ws_client.hpp"

#include "common/core/time.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace creneau::test;
using nlohmann::json;
using namespace std::chrono_literals;
namespace http = boost::beast::http;

namespace {

// Runs `creneau ARGS…` to its end; returns its exit code and what it printed.
std::pair<int, std::string> run_creneau(const std::vector<std::string>& args,
                                        const std::optional<std::string>& input = std::nullopt) {
    temp_dir dir;
    std::vector<std::string> argv{creneau_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    child_process p(argv, dir.path() / "out", {}, input);
    auto code = p.wait_exit(scaled(60s));
    return {code ? *code : -1, read_file(dir.path() / "out")};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

// The facts of a journal, as `creneau journal export` writes them.
std::vector<std::string> exported(const std::vector<std::string>& where) {
    temp_dir dir;
    auto file = (dir.path() / "facts.jsonl").string();
    std::vector<std::string> args{"journal", "export", "--to", file};
    args.insert(args.end(), where.begin(), where.end());
    auto [code, out] = run_creneau(args);
    INFO(out);
    REQUIRE(code == 0);
    return lines_of(read_file(file));
}

// Weekday slots of the meeting room from Monday 8 March 2027, one per number.
json meeting(int n) {
    auto start = *creneau::parse_rfc3339("2027-03-08T08:00:00Z") + std::chrono::days(n / 8 * 7) +
                 std::chrono::days(n / 8 % 5) + std::chrono::hours(n % 8);
    return booking("meeting-room", creneau::format_utc(start),
                   creneau::format_utc(start + std::chrono::minutes(30)), 6, "",
                   numbered("Comité ", n));
}

std::string book(const api_client& c, int n) {
    auto r = c.post("/api/reservations", meeting(n));
    INFO(r.body);
    REQUIRE(r.status == 201);
    return r.json()["id"];
}

}  // namespace

TEST_CASE("operations: --version and /healthz name the build's version and commit",
          "[operations]") {
    auto [code, out] = run_creneau({"--version"});
    CHECK(code == 0);
    CHECK_THAT(out, Catch::StartsWith(std::string("creneau ") + CRENEAU_VERSION + " (commit "));
    auto commit = out.substr(out.find("(commit ") + 8);
    commit = commit.substr(0, commit.find(')'));
    CHECK(commit.size() >= 12);
    server_process server;
    auto answer = http_get(server.port(), "/healthz");
    auto health = answer.json();
    CHECK(health["version"] == CRENEAU_VERSION);
    CHECK(health["commit"] == commit);
    CHECK(health["status"] == "ok");
    CHECK(health["journal"] == "sqlite");
    CHECK(health["head"].is_number_integer());
    // Written as text (docs/architecture.md, "Answers written as text"): byte for byte what
    // its document prints.
    CHECK(answer.body == health.dump());
    CHECK(answer.header("content-type") == "application/json");
    CHECK_THAT(server.log(), Catch::Contains("\"commit\":\"" + commit + "\""));
}

namespace {

// The names of a process's threads (/proc/PID/task/*/comm).
std::multiset<std::string> thread_names(pid_t pid) {
    std::multiset<std::string> names;
    for (const auto& task :
         std::filesystem::directory_iterator(numbered("/proc/", pid) + "/task")) {
        auto name = read_file(task.path() / "comm");
        names.insert(name.substr(0, name.find('\n')));
    }
    return names;
}

// What `top -H` and `ps -L` show of a server started with --threads 3 (docs/operations.md,
// "Threads"), once its last I/O threads, started after it listens, are there: a thread started
// without a name shows under its creator's, and fails the comparison.
void check_thread_names(server_process& server, std::initializer_list<std::string> journal) {
    const auto pid = server.process().pid();
    auto main = read_file(numbered("/proc/", pid) + "/comm");  // the program's name
    std::multiset<std::string> expected{main.substr(0, main.find('\n')),
                                        "io 1",
                                        "io 2",
                                        "ledger",
                                        "snapshots",
                                        "outbox",
                                        "crypto",
                                        "crypto",
                                        "solver",
                                        "retention sweep",
                                        "waiting sweep"};
    expected.insert(journal);
    auto names = thread_names(pid);
    for (auto deadline = std::chrono::steady_clock::now() + scaled(10s);
         names != expected && std::chrono::steady_clock::now() < deadline;
         names = thread_names(pid))
        std::this_thread::sleep_for(20ms);
    CHECK(names == expected);
}

}  // namespace

TEST_CASE("operations: every thread of the server carries its name, on SQLite", "[operations]") {
    server_process server({.extra_args = {"--threads", "3"}});
    check_thread_names(server, {"journal watch"});
}

TEST_CASE("operations: every thread of the server carries its name, on Redis",
          "[operations][redis]") {
    server_process server({.redis_url = redis_url(shared_redis_port(), unique_prefix()),
                           .extra_args = {"--threads", "3"}});
    check_thread_names(server, {"redis"});
}

TEST_CASE("operations: a journal goes SQLite → Redis → SQLite and comes back the same",
          "[operations][redis]") {
    site s;
    auto first = book(s.artois, 1);
    book(s.artois, 2);
    REQUIRE(s.admin.post("/api/reservations/" + first + "/approve").status == 200);
    auto before = s.artois.get("/api/reservations/" + first).body;
    s.server.reset();

    temp_dir dir;
    auto file = (dir.path() / "facts.jsonl").string();
    auto data = s.opts.data_dir.string();
    auto original = exported({"--data", data});
    REQUIRE(original.size() > 20);
    {
        std::ofstream out(file);
        for (const auto& l : original) out << l << "\n";
    }
    // Into an empty Redis journal, and out of it again.
    auto redis = redis_url(shared_redis_port(), unique_prefix());
    // An empty one is a mistyped URL far more often than a journal to copy.
    for (auto words :
         {std::vector<std::string>{"journal", "export"},
          std::vector<std::string>{"backup", "--to", (dir.path() / "e.db").string()}}) {
        words.insert(words.end(), {"--redis", redis});
        auto [code, out] = run_creneau(words);
        CHECK(code == 1);
        CHECK_THAT(out, Catch::Contains("holds no fact"));
    }
    auto [in_code, in_out] = run_creneau({"journal", "import", "--from", file, "--redis", redis});
    INFO(in_out);
    REQUIRE(in_code == 0);
    CHECK_THAT(in_out,
               Catch::Contains(numbered("imported ", static_cast<long long>(original.size()))));
    CHECK(exported({"--redis", redis}) == original);
    // A second import into the same journal is refused and changes nothing.
    auto [again, again_out] = run_creneau({"journal", "import", "--from", file, "--redis", redis});
    CHECK(again == 1);
    CHECK_THAT(again_out, Catch::Contains("not empty"));
    CHECK(exported({"--redis", redis}) == original);

    // A server on the Redis journal answers as the first one did.
    {
        server_process on_redis({.redis_url = redis});
        auto artois = api_client::sign_in(on_redis.port(), "claire.martin@univ-artois.fr");
        CHECK(artois.get("/api/reservations/" + first).body == before);
    }
    // That server signed someone in: the journal grew by that fact, and only by it.
    auto grown = exported({"--redis", redis});
    REQUIRE(grown.size() == original.size() + 1);
    CHECK(std::equal(original.begin(), original.end(), grown.begin()));
    CHECK(json::parse(grown.back())["kind"] == "session-opened");
    // Back to SQLite through a backup of the Redis journal: the same facts again.
    auto back = dir.path() / "back";
    std::filesystem::create_directories(back);
    auto [b_code, b_out] =
        run_creneau({"backup", "--to", (back / "creneau.db").string(), "--redis", redis});
    INFO(b_out);
    REQUIRE(b_code == 0);
    CHECK(exported({"--data", back.string()}) == grown);
    server_process on_sqlite({.data_dir = back});
    auto artois = api_client::sign_in(on_sqlite.port(), "claire.martin@univ-artois.fr");
    CHECK(artois.get("/api/reservations/" + first).body == before);
}

TEST_CASE("operations: a backup taken during a stream of bookings restores a consistent journal",
          "[operations]") {
    site s;
    std::atomic<bool> stop{false};
    std::atomic<int> made{0};
    std::vector<std::string> ids(400);
    std::thread stream([&] {
        for (int n = 0; n < 400 && !stop; ++n) {
            auto r = s.artois.post("/api/reservations", meeting(n));
            if (r.status != 201) break;
            ids[static_cast<std::size_t>(n)] = r.json()["id"];
            made = n + 1;
        }
    });
    while (made < 20) std::this_thread::sleep_for(5ms);
    temp_dir dir;
    auto restored = dir.path() / "restored";
    std::filesystem::create_directories(restored);
    auto [code, out] = run_creneau(
        {"backup", "--to", (restored / "creneau.db").string(), "--data", s.opts.data_dir.string()});
    // The stream goes on after the backup: the backup is a prefix of what follows.
    const int during = made.load();
    while (made < std::min(during + 10, 400)) std::this_thread::sleep_for(5ms);
    stop = true;
    stream.join();
    INFO(out);
    REQUIRE(code == 0);
    REQUIRE(made > during);

    auto all = exported({"--data", s.opts.data_dir.string()});
    auto copy = exported({"--data", restored.string()});
    REQUIRE(copy.size() < all.size());
    CHECK(std::equal(copy.begin(), copy.end(), all.begin()));
    CHECK_THAT(out, Catch::Contains(numbered("backed up ", static_cast<long long>(copy.size()))));

    // A server started on the backup has exactly the bookings the backup holds.
    server_process restored_server({.data_dir = restored});
    CHECK(http_get(restored_server.port(), "/healthz").json()["head"] ==
          static_cast<std::int64_t>(copy.size()));
    auto artois = api_client::sign_in(restored_server.port(), "claire.martin@univ-artois.fr");
    std::size_t kept = 0;
    for (const auto& l : copy) kept += json::parse(l)["kind"] == "reservation-requested";
    REQUIRE(kept >= 20);
    for (std::size_t i = 0; i < static_cast<std::size_t>(made.load()); ++i)
        CHECK(artois.get("/api/reservations/" + ids[i]).status == (i < kept ? 200u : 404u));
    // The restored server takes new bookings after the last one it has.
    CHECK(artois.post("/api/reservations", meeting(399)).status == 201);
    // A backup never overwrites a file.
    auto [again, again_out] = run_creneau(
        {"backup", "--to", (restored / "creneau.db").string(), "--data", s.opts.data_dir.string()});
    CHECK(again == 1);
    CHECK_THAT(again_out, Catch::Contains("exists already"));
}

TEST_CASE("operations: an import file with a fault changes nothing", "[operations]") {
    site s;
    s.server.reset();
    auto original = exported({"--data", s.opts.data_dir.string()});
    temp_dir dir;
    auto data = (dir.path() / "empty").string();
    auto try_import = [&](std::vector<std::string> lines) {
        std::string text;
        for (const auto& l : lines) text += l + "\n";
        auto result = run_creneau({"journal", "import", "--data", data}, text);
        CHECK(exported({"--data", data}).empty());
        return result;
    };
    // A gap in the numbering, an unknown kind, a body that is not the kind's, junk.
    auto gap = original;
    gap.erase(gap.begin() + 3);
    CHECK(try_import(gap).second.find("expected the fact numbered 4") != std::string::npos);
    auto unknown = original;
    auto j = json::parse(unknown[5]);
    j["kind"] = "reservation-teleported";
    unknown[5] = j.dump();
    CHECK(try_import(unknown).first == 2);
    auto wrong = original;
    j = json::parse(wrong.back());
    j["body"] = {{"type", "organisation-defined"}};
    wrong.back() = j.dump();
    CHECK(try_import(wrong).first == 2);
    auto junk = original;
    junk.push_back("{\"seq\": 1e999}");
    CHECK(try_import(junk).first == 2);
    CHECK(try_import({"[1, 2, 3]"}).second.find("not a JSON object") != std::string::npos);
    // A fact the state before it cannot take (a password for nobody) would stop every start.
    auto orphan = original;
    orphan.push_back(
        json{{"seq", orphan.size() + 1},
             {"at", "2026-12-01T10:00:00Z"},
             {"actor", "system"},
             {"kind", "password-set"},
             {"body",
              {{"type", "password-set"}, {"v", 1}, {"user", "u-nobody"}, {"password_hash", "x"}}}}
            .dump());
    CHECK_THAT(try_import(orphan).second, Catch::Contains("does not apply to the state before it"));
    // Nesting deeper than any fact: refused before it is read.
    auto deep = original;
    deep.back().insert(deep.back().size() - 1,
                       ",\"x\":" + std::string(100000, '[') + std::string(100000, ']'));
    CHECK_THAT(try_import(deep).second, Catch::Contains("nested deeper than"));
}

TEST_CASE("operations: run as root, an import leaves the journal to the data folder's owner",
          "[operations]") {
    if (::geteuid() != 0) {
        WARN("not run as root: nothing to check");
        return;
    }
    site s;
    s.server.reset();
    temp_dir dir;
    auto file = (dir.path() / "facts.jsonl").string();
    auto [e_code, e_out] =
        run_creneau({"journal", "export", "--data", s.opts.data_dir.string(), "--to", file});
    REQUIRE(e_code == 0);
    auto data = dir.path() / "service-data";
    std::filesystem::create_directories(data);
    REQUIRE(::chown(data.c_str(), 65534, 65534) == 0);  // the service's user: nobody here
    auto [code, out] = run_creneau({"journal", "import", "--data", data.string(), "--from", file});
    INFO(out);
    REQUIRE(code == 0);
    struct stat st {};
    REQUIRE(::stat((data / "creneau.db").c_str(), &st) == 0);
    CHECK(st.st_uid == 65534);
    CHECK(st.st_gid == 65534);
}

TEST_CASE("operations: exports and backups never overwrite a file", "[operations]") {
    site s;
    auto data = s.opts.data_dir.string();
    auto journal = s.opts.data_dir / "creneau.db";
    auto size = std::filesystem::file_size(journal);
    // Not the journal itself, nor its write-ahead log, nor a link to nowhere.
    for (const auto& target : {journal, s.opts.data_dir / "creneau.db-wal"}) {
        auto [code, out] =
            run_creneau({"journal", "export", "--data", data, "--to", target.string()});
        CHECK(code == 1);
        CHECK_THAT(out, Catch::Contains("exists already"));
    }
    temp_dir dir;
    std::filesystem::create_symlink(dir.path() / "nowhere", dir.path() / "link");
    auto [b_code, b_out] =
        run_creneau({"backup", "--data", data, "--to", (dir.path() / "link").string()});
    CHECK(b_code == 1);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "nowhere"));
    // An old partial file of someone else's is left alone; nothing partial is left behind.
    std::ofstream(dir.path() / "b.db.partial") << "precious";
    auto [ok, ok_out] =
        run_creneau({"backup", "--data", data, "--to", (dir.path() / "b.db").string()});
    INFO(ok_out);
    CHECK(ok == 0);
    CHECK(read_file(dir.path() / "b.db.partial") == "precious");
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        INFO(e.path());
        CHECK(e.path().filename().string().find(".partial-") == std::string::npos);
        ++files;
    }
    CHECK(files == 4);  // link, b.db.partial, b.db and its key store b.db-keys
    CHECK(std::filesystem::exists(dir.path() / "b.db-keys"));
    // The journal is still the server's, whole, and answers.
    CHECK(std::filesystem::file_size(journal) >= size);
    CHECK(s.admin.get("/api/reservations").status == 200);
}

TEST_CASE("operations: forwarded addresses are believed only from trusted proxies",
          "[operations]") {
    auto guesses_until_refused = [](site& s, const std::string& forwarded) {
        for (int i = 0; i < 40; ++i) {
            auto r = http_call(
                s.port(), http::verb::post, "/api/session",
                json{{"email", "claire.martin@univ-artois.fr"}, {"password", numbered("x-", i)}}
                    .dump(),
                {{"X-Forwarded-For", forwarded}});
            if (r.status == 429) return i;
        }
        return -1;
    };
    SECTION("from a trusted proxy, each forwarded client has its own limit") {
        site s({}, {"--trusted-proxies", "127.0.0.0/8, ::1"});
        CHECK(guesses_until_refused(s, "198.51.100.7") > 0);
        // Another client behind the same proxy is not held back by the first one's guesses.
        auto r = http_call(
            s.port(), http::verb::post, "/api/session",
            json{{"email", "claire.martin@univ-artois.fr"}, {"password", "motdepasse-solide"}}
                .dump(),
            {{"X-Forwarded-For", "198.51.100.8"}});
        CHECK(r.status == 200);
        // The proxies set X-Forwarded-For: what a client writes in Forwarded is not read.
        http_call(s.port(), http::verb::get, "/healthz", {},
                  {{"Forwarded", "for=203.0.113.77"}, {"X-Forwarded-For", "198.51.100.9"}});
        CHECK(wait_for_file(s.server->log_path(), scaled(5s), [](const std::string& t) {
            return t.find(R"("client":"198.51.100.9")") != std::string::npos &&
                   t.find(R"("client":"198.51.100.8")") != std::string::npos;
        }));
        CHECK_THAT(s.server->log(), !Catch::Contains("203.0.113.77"));
    }
    SECTION("proxies that set Forwarded (RFC 7239)") {
        site s({}, {"--trusted-proxies", "127.0.0.0/8", "--forwarded-header", "forwarded"});
        http_call(s.port(), http::verb::get, "/healthz", {},
                  {{"Forwarded", "for=\"[2001:db8::7]:4711\";proto=https, for=127.0.0.9"},
                   {"X-Forwarded-For", "203.0.113.78"}});
        CHECK(wait_for_file(s.server->log_path(), scaled(5s), [](const std::string& t) {
            return t.find(R"("client":"2001:db8::7")") != std::string::npos;
        }));
        CHECK_THAT(s.server->log(), !Catch::Contains("203.0.113.78"));
    }
    SECTION("from anyone else, the headers are ignored") {
        site s;
        int first = guesses_until_refused(s, "198.51.100.7");
        CHECK(first > 0);
        // Changing the header changes nothing: the throttle sees the connection's address.
        CHECK(guesses_until_refused(s, "198.51.100.8") == 0);
        CHECK_THAT(s.server->log(), !Catch::Contains("198.51.100"));
    }
    SECTION("a trusted proxy list that is not one is refused at start") {
        auto [code, out] = run_creneau({"--trusted-proxies", "10.0.0.0/8,nginx"});
        CHECK(code == 2);
        CHECK_THAT(out, Catch::Contains("'nginx' is neither an IP address nor a network"));
    }
}

namespace {

// nginx with deploy/nginx.conf in front of the given instances, on a free port.
class nginx_proxy {
  public:
    explicit nginx_proxy(const std::vector<std::uint16_t>& instances) : port_(free_port()) {
        auto site = read_file(std::filesystem::path(CRENEAU_SOURCE_DIR) / "deploy/nginx.conf");
        REQUIRE(site.find("listen 80;") != std::string::npos);
        site.replace(site.find("listen 80;"), 10, numbered("listen 127.0.0.1:", port_) + ";");
        for (std::size_t i = 0; i < instances.size(); ++i) {
            auto shipped = numbered("127.0.0.1:", 8081 + static_cast<long long>(i));
            REQUIRE(site.find(shipped) != std::string::npos);
            site.replace(site.find(shipped), shipped.size(), numbered("127.0.0.1:", instances[i]));
        }
        auto d = dir_.path();
        std::ofstream(d / "creneau.conf") << site;
        // The rest is what Debian's /etc/nginx/nginx.conf provides, inside the test's folder.
        std::ofstream(d / "nginx.conf")
            << (::geteuid() == 0 ? "user root;\n" : "") << "worker_processes 1;\n"
            << "pid " << (d / "nginx.pid").string() << ";\n"
            << "error_log " << (d / "error.log").string() << " info;\n"
            << "events { worker_connections 256; }\n"
            << "http {\n  access_log " << (d / "access.log").string() << ";\n"
            << "  client_body_temp_path " << (d / "body").string() << ";\n"
            << "  proxy_temp_path " << (d / "proxy").string() << ";\n"
            << "  include " << (d / "creneau.conf").string() << ";\n}\n";
        proc_ = std::make_unique<child_process>(
            std::vector<std::string>{"/usr/sbin/nginx", "-p", d.string(), "-e",
                                     (d / "error.log").string(), "-c", (d / "nginx.conf").string(),
                                     "-g", "daemon off;"},
            d / "out");
        auto deadline = std::chrono::steady_clock::now() + scaled(10s);
        for (;;) {
            try {
                if (http_get(port_, "/healthz").status == 200) break;
            } catch (const std::exception&) {
            }
            if (std::chrono::steady_clock::now() > deadline || !proc_->running())
                FAIL("nginx did not start: " << read_file(d / "out") << read_file(d / "error.log"));
            std::this_thread::sleep_for(50ms);
        }
    }
    ~nginx_proxy() {
        if (proc_) {
            proc_->signal(SIGQUIT);
            proc_->wait_exit(5s);
        }
    }
    std::uint16_t port() const { return port_; }

  private:
    temp_dir dir_;
    std::uint16_t port_;
    std::unique_ptr<child_process> proc_;
};

std::size_t live_connections(const server_process& s) {
    return count_of(s.log(), R"("route":"/live","status":101)");
}

}  // namespace

TEST_CASE("operations: two instances behind nginx lose one, and live clients resume without a gap",
          "[operations][redis][nginx]") {
    std::vector<std::string> proxy{"--trusted-proxies", "127.0.0.1"};
    site s(redis_url(shared_redis_port(), unique_prefix()), proxy);
    server_options second_opts = s.opts;
    auto second = std::make_unique<server_process>(second_opts);
    nginx_proxy lb({s.port(), second->port()});

    auto member = api_client::sign_in(lb.port(), "claire.martin@univ-artois.fr");
    // Live clients through the proxy until one is on each instance.
    std::vector<std::unique_ptr<ws_client>> clients;
    std::unique_ptr<ws_client> on_first, on_second;
    for (int i = 0; i < 8 && !(on_first && on_second); ++i) {
        auto before_first = live_connections(*s.server);
        auto c = std::make_unique<ws_client>(lb.port(), member.token);
        REQUIRE(c->next(scaled(5s)));  // hello
        c->subscribe({"calendar:meeting-room"});
        bool first = live_connections(*s.server) > before_first;
        auto& slot = first ? on_first : on_second;
        if (!slot)
            slot = std::move(c);
        else
            clients.push_back(std::move(c));
    }
    REQUIRE(on_first);
    REQUIRE(on_second);

    // A booking through the proxy reaches both, whichever instance took it.
    std::vector<std::string> ids{book(member, 0)};
    std::int64_t last_seen = 0;
    for (auto* c : {on_first.get(), on_second.get()}) {
        auto f = c->next_fact(scaled(5s));
        REQUIRE(f);
        CHECK((*f)["data"]["id"] == ids[0]);
        last_seen = (*f)["seq"];
    }
    // The address behind the proxy is the client's: nginx forwarded it, the instance believed it.
    http_call_from("127.0.0.2", lb.port(), http::verb::get, "/healthz", {},
                   {{"X-Forwarded-For", "203.0.113.66"}, {"Forwarded", "for=203.0.113.67"}});
    auto forwarded = [&] {
        return count_of(s.server->log() + second->log(), R"("client":"127.0.0.2")") > 0;
    };
    for (auto until = std::chrono::steady_clock::now() + scaled(5s);
         !forwarded() && std::chrono::steady_clock::now() < until;)
        std::this_thread::sleep_for(10ms);
    CHECK(forwarded());
    CHECK_THAT(s.server->log() + second->log(),
               !Catch::Contains("203.0.113.66") && !Catch::Contains("203.0.113.67"));

    // The second instance dies without a word. Its client sees the connection end.
    second->process().signal(SIGKILL);
    second->process().wait_exit(scaled(5s));
    CHECK(on_second->wait_close(scaled(10s)));
    // Bookings go on through the proxy, on the instance left, while the client is away.
    ids.push_back(book(member, 1));
    ids.push_back(book(member, 2));
    // The client comes back through the proxy, necessarily to the first instance, and asks
    // for what it missed since the last sequence number it saw.
    ws_client back(lb.port(), member.token);
    REQUIRE(back.next(scaled(5s)));
    auto missed = back.subscribe({"calendar:meeting-room"}, last_seen);
    ids.push_back(book(member, 3));
    auto after = back.next_fact(scaled(5s));
    REQUIRE(after);
    missed.push_back(*after);
    std::vector<std::string> resumed;
    std::int64_t seq = last_seen;
    for (const auto& m : missed) {
        CHECK(m["seq"].get<std::int64_t>() > seq);  // in order, none twice
        seq = m["seq"];
        resumed.push_back(m["data"]["id"]);
    }
    CHECK(resumed == std::vector<std::string>(ids.begin() + 1, ids.end()));  // no gap
    // The client that stayed on the first instance saw all of it, uninterrupted.
    for (std::size_t i = 1; i < ids.size(); ++i) {
        auto f = on_first->next_fact(scaled(5s));
        REQUIRE(f);
        CHECK((*f)["data"]["id"] == ids[i]);
    }
}

TEST_CASE("operations: every setting of --help is in the operations guide", "[operations]") {
    auto [code, help] = run_creneau({"--help"});
    REQUIRE(code == 0);
    auto guide = read_file(std::filesystem::path(CRENEAU_SOURCE_DIR) / "docs/operations.md");
    REQUIRE_FALSE(guide.empty());
    std::size_t settings = 0;
    std::istringstream lines(help);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("  --", 0) != 0 || line.find("[CRENEAU_") == std::string::npos) continue;
        auto flag = line.substr(2, line.find(' ', 2) - 2);
        auto var = line.substr(line.find("[CRENEAU_") + 1);
        var = var.substr(0, var.find_first_of(",]"));
        INFO(flag << " " << var);
        CHECK(guide.find("`" + flag + " ") != std::string::npos);
        CHECK(guide.find("`" + var + "`") != std::string::npos);
        ++settings;
    }
    CHECK(settings > 20);
}
