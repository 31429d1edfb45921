// One contract, both journal backends: a real SQLite file and a real redis-server.

#include "server/journal/redis_journal.hpp"
#include "server/journal/sqlite_journal.hpp"

#include "support/process.hpp"
#include "support/redis_server.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

using namespace creneau;
using namespace creneau::server;
using namespace creneau::test;

namespace {

stored_fact sample(int n) {
    return {0, "2026-03-02T08:00:00Z", numbered("u", n), "reservation-refused",
            numbered(R"({"v":1,"type":"reservation-refused","id":"r)", n) + R"(","reason":"é"})"};
}

// Opens journals on one store: a SQLite file, or a Redis prefix.
struct sqlite_store {
    temp_dir dir;
    std::unique_ptr<journal> open() {
        return std::make_unique<sqlite_journal>(dir.path() / "journal.db");
    }
};
struct redis_store {
    std::string url = redis_url(shared_redis_port(), unique_prefix());
    std::unique_ptr<journal> open() {
        return std::make_unique<redis_journal>(parse_redis_url(url));
    }
};

// Collects what on_appended delivers.
struct inbox {
    std::mutex m;
    std::condition_variable cv;
    std::vector<stored_fact> facts;
    int empty_notes = 0;
    void operator()(std::vector<stored_fact> f) {
        std::lock_guard l(m);
        if (f.empty()) ++empty_notes;
        for (auto& x : f) facts.push_back(std::move(x));
        cv.notify_all();
    }
    bool wait_for(std::size_t n, std::chrono::milliseconds t) {
        std::unique_lock l(m);
        return cv.wait_for(l, t, [&] { return facts.size() >= n; });
    }
};

}  // namespace

TEMPLATE_TEST_CASE("journal contract: appends are ordered and read back from any point",
                   "[journal]", sqlite_store, redis_store) {
    TestType store;
    auto j = store.open();
    CHECK(j->read(0, 100).empty());
    auto r = j->append(0, {sample(1), sample(2), sample(3)});
    REQUIRE(r.status == append_status::ok);
    CHECK(r.head == 3);
    REQUIRE(j->append(3, {sample(4)}).status == append_status::ok);

    auto all = j->read(0, 100);
    REQUIRE(all.size() == 4);
    for (int i = 0; i < 4; ++i) {
        CHECK(all[i].seq == i + 1);
        CHECK(all[i].actor == numbered("u", i + 1));
        CHECK(all[i].body == sample(i + 1).body);
    }
    auto middle = j->read(1, 2);
    REQUIRE(middle.size() == 2);
    CHECK(middle[0].seq == 2);
    CHECK(middle[1].seq == 3);
    CHECK(j->read(4, 10).empty());
}

TEMPLATE_TEST_CASE("journal contract: an append at a stale head is a conflict and writes nothing",
                   "[journal]", sqlite_store, redis_store) {
    TestType store;
    auto j = store.open();
    REQUIRE(j->append(0, {sample(1), sample(2)}).status == append_status::ok);
    auto stale = j->append(1, {sample(9)});
    CHECK(stale.status == append_status::conflict);
    CHECK(stale.head == 2);
    auto ahead = j->append(5, {sample(9)});
    CHECK(ahead.status == append_status::conflict);
    CHECK(j->read(0, 100).size() == 2);
}

TEMPLATE_TEST_CASE("journal contract: a writer is told of facts appended by another", "[journal]",
                   sqlite_store, redis_store) {
    TestType store;
    auto a = store.open();
    auto b = store.open();
    inbox got;
    a->on_appended([&](std::vector<stored_fact> f) { got(std::move(f)); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the watcher settle
    REQUIRE(b->append(0, {sample(1), sample(2)}).status == append_status::ok);
    bool told = got.wait_for(2, scaled(std::chrono::seconds(5)));
    CHECK(told);
    if (told) {
        CHECK(got.facts[0].seq == 1);
        CHECK(got.facts[1].seq == 2);
    }
    a->close();
    b->close();
}

TEMPLATE_TEST_CASE("journal contract: reopening after close finds every fact", "[journal]",
                   sqlite_store, redis_store) {
    TestType store;
    {
        auto j = store.open();
        for (int i = 0; i < 50; ++i)
            REQUIRE(j->append(i, {sample(i + 1)}).status == append_status::ok);
        j->close();
    }
    auto again = store.open();
    auto all = again->read(0, 1000);
    REQUIRE(all.size() == 50);
    CHECK(all.back().seq == 50);
    CHECK(again->append(50, {sample(51)}).status == append_status::ok);
}

TEST_CASE("Redis URLs: host, port, database, password and key prefix", "[journal]") {
    auto ep = parse_redis_url("redis://:secret@10.0.0.5:6380/2?prefix=llv");
    CHECK(ep.host == "10.0.0.5");
    CHECK(ep.port == 6380);
    CHECK(ep.db == 2);
    CHECK(ep.password == "secret");
    CHECK(ep.prefix == "llv");
    CHECK(parse_redis_url("redis://localhost").port == 6379);
    CHECK_THROWS(parse_redis_url("http://x"));
    CHECK_THROWS(parse_redis_url("redis://h:99999"));
    CHECK_THROWS(parse_redis_url("redis://h/x"));
}

TEST_CASE("the Redis journal refuses to start when Redis cannot be reached", "[journal]") {
    auto port = free_port();
    CHECK_THROWS_WITH(
        redis_journal(parse_redis_url(redis_url(port, "x")), std::chrono::milliseconds(500)),
        Catch::Contains("cannot reach Redis"));
}
