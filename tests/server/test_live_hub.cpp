// The live hub against a real ledger on SQLite, publishing by hand: a client that resumes with
// a `since` ahead of what this hub has published (a sequence number read from an HTTP answer,
// or from another instance) gets the facts after it, once (docs/live-protocol.md, "Resuming").
#include "server/catalogue/default_catalogue.hpp"
#include "server/journal/ledger.hpp"
#include "server/journal/sqlite_journal.hpp"
#include "server/live/live_hub.hpp"

#include "common/catalogue/document.hpp"

#include "support/process.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

using namespace creneau;
using namespace creneau::server;
using creneau::test::temp_dir;

namespace {

const instant test_now = *parse_rfc3339("2026-03-02T08:00:00Z");
const actor artois{"u-artois", role::member, "univ-artois", false};
const actor llv_admin{"u-admin", role::admin, "llv", false};

// The sequence numbers of the messages a connection was handed, replayed or live.
class recorder final : public live_subscriber {
  public:
    explicit recorder(boost::asio::io_context& ioc) : ioc_(ioc) {}
    void deliver(live_message m) override { seqs.push_back(m.seq); }
    void deliver_here(const live_message& m) override { seqs.push_back(m.seq); }
    void flush() override {}
    boost::asio::any_io_executor executor() override { return ioc_.get_executor(); }
    void shut(std::uint16_t, std::string) override {}
    std::vector<std::int64_t> seqs;

  private:
    boost::asio::io_context& ioc_;
};

request_reservation atrium_on(int day) {
    const instant start =
        *parse_rfc3339("2026-04-06T09:00:00+02:00") + std::chrono::hours(24 * day);
    return {"atrium",     start, start + std::chrono::hours(2), "plenary", 50, "univ-artois",
            "Conférence", {}};
}

// A ledger on SQLite in `dir`, started at a fixed time with the default catalogue.
std::unique_ptr<ledger> seeded_ledger(const temp_dir& dir) {
    ledger_options opts;
    opts.now = [] { return test_now; };
    auto book =
        std::make_unique<ledger>(std::make_unique<sqlite_journal>(dir.path() / "journal.db"), opts);
    book->start();
    REQUIRE(book->seed(catalogue_facts(json::parse(default_catalogue_text()), "default")));
    return book;
}

}  // namespace

TEST_CASE("live hub: a subscription with a since ahead of the hub gets what follows it, once",
          "[live]") {
    temp_dir dir;
    auto owned = seeded_ledger(dir);
    auto& book = *owned;
    metrics stats;
    live_hub hub(book, stats, {});  // not the ledger's listener: published by hand below
    boost::asio::io_context ioc;
    auto ahead = std::make_shared<recorder>(ioc), live = std::make_shared<recorder>(ioc),
         both = std::make_shared<recorder>(ioc), again = std::make_shared<recorder>(ioc);
    for (const auto& r : {ahead, live, both, again}) REQUIRE(hub.join(r, "127.0.0.1", llv_admin));

    // Committed, not yet published: the state (and an answer) is ahead of the hub.
    std::vector<std::vector<fact>> commits;
    std::vector<std::int64_t> all;
    for (int day : {0, 1, 2}) {
        auto o = book.execute(atrium_on(day), artois);
        REQUIRE(o.ok());
        REQUIRE(o.facts.size() == 1);
        all.push_back(o.facts.back().seq);
        commits.push_back(std::move(o.facts));
    }
    const std::int64_t since = all[1];
    bool reload = true;
    std::int64_t seq = 0;
    auto subscribe = [&](recorder& r, const std::string& topic, std::optional<std::int64_t> s) {
        REQUIRE_FALSE(hub.subscribe(&r, llv_admin, {topic}, s, reload, seq));
        CHECK_FALSE(reload);
    };
    subscribe(*ahead, "calendar:atrium", since);
    CHECK(seq == hub.head());
    CHECK(seq < all[0]);
    subscribe(*live, "calendar:*", std::nullopt);
    // Live on every calendar first, then ahead on one: the older subscription still takes all.
    subscribe(*both, "calendar:*", std::nullopt);
    subscribe(*both, "calendar:atrium", since);
    // Ahead, then unsubscribed and subscribed again without `since`: the floor went with it.
    subscribe(*again, "calendar:atrium", since);
    hub.unsubscribe(again.get(), {"calendar:atrium"});
    subscribe(*again, "calendar:atrium", std::nullopt);

    for (const auto& c : commits) hub.publish(c);
    ioc.run();
    CHECK(ahead->seqs == std::vector<std::int64_t>{all[2]});
    CHECK(live->seqs == all);
    CHECK(both->seqs == all);
    CHECK(again->seqs == all);

    // A `since` at the hub's head or behind it sets no floor; and once the hub has passed a
    // floor, the next fact reaches everyone.
    auto behind = std::make_shared<recorder>(ioc);
    REQUIRE(hub.join(behind, "127.0.0.1", llv_admin));
    subscribe(*behind, "calendar:atrium", all[0]);
    CHECK(behind->seqs == std::vector<std::int64_t>{all[1], all[2]});  // replayed
    auto o = book.execute(atrium_on(3), artois);
    REQUIRE(o.ok());
    hub.publish(o.facts);
    ioc.restart();
    ioc.run();
    const auto next = o.facts.back().seq;
    CHECK(ahead->seqs == std::vector<std::int64_t>{all[2], next});
    CHECK(live->seqs.back() == next);
    CHECK(behind->seqs == std::vector<std::int64_t>{all[1], all[2], next});
    for (const auto& r : {ahead, live, both, again, behind}) hub.leave(r.get());
    book.stop();
}

TEST_CASE("live hub: a subscription over the cap of topics adds none of them", "[live]") {
    temp_dir dir;
    auto owned = seeded_ledger(dir);
    auto& book = *owned;
    metrics stats;
    live_hub::options small;
    small.max_topics = 3;
    live_hub hub(book, stats, small);
    boost::asio::io_context ioc;
    auto client = std::make_shared<recorder>(ioc);
    REQUIRE(hub.join(client, "127.0.0.1", llv_admin));
    bool reload = false;
    std::int64_t seq = 0;
    REQUIRE_FALSE(hub.subscribe(client.get(), llv_admin, {"calendar:meeting-room", "catalogue"},
                                std::nullopt, reload, seq));
    CHECK(stats.live_subscriptions == 2);
    // Two more, one of them already followed: four in all, over three. None is added.
    auto refused = hub.subscribe(client.get(), llv_admin,
                                 {"catalogue", "calendar:atrium", "calendar:event-room"},
                                 std::nullopt, reload, seq);
    REQUIRE(refused);
    CHECK(refused->detail == "too many topics on one connection");
    CHECK(refused->topics.empty());
    CHECK(stats.live_subscriptions == 2);
    auto o = book.execute(atrium_on(0), artois);
    REQUIRE(o.ok());
    hub.publish(o.facts);
    ioc.run();
    CHECK(client->seqs.empty());  // the Atrium's calendar was not followed
    // One more fits: the cap counts what is followed.
    REQUIRE_FALSE(hub.subscribe(client.get(), llv_admin, {"calendar:atrium", "catalogue"},
                                std::nullopt, reload, seq));
    CHECK(stats.live_subscriptions == 3);
    hub.leave(client.get());
    CHECK(stats.live_subscriptions == 0);
}
