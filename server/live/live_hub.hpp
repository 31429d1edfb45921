#pragma once
// The live hub: turns committed facts into WebSocket messages, keeps the recent ones for
// clients that resume, and hands each to the connections subscribed to its topic.
//
// Topics: "calendar:<resource>" (a resource's reservations), "calendar:*" (all of them),
// "event:<id>" (an event's registrations), "jobdating:<id>" (its timetable); see
// docs/live-protocol.md. Each fact is serialised once per audience: the public message
// (busy/free, counts) and the detailed one (titles, organisation, people), which goes to
// the connections whose caller the fact's audience admits: the very rule of the matching
// HTTP read (common/access.hpp).
//
// Thread safety: every member may be called from any thread. A mutex orders publishing
// and subscribing, so a resuming client gets the facts it missed and then the live ones
// with no gap and no repeat; messages reach a session through its strand, in order: the
// messages of one publication go to each I/O thread as one batch, not one post per
// connection (docs/architecture.md, "The live channel"). The
// hub holds its connections weakly: one whose last owner is gone (its destructor may be
// running on another thread) is skipped, never revived.

#include "server/ops/metrics.hpp"

#include "common/access.hpp"

#include <boost/asio/any_io_executor.hpp>
#include "common/facts.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace creneau::server {

class ledger;

// One message, serialised once, shared by every connection that sends it.
struct live_message {
    std::int64_t seq = 0;
    std::shared_ptr<const std::string> text;
    std::chrono::steady_clock::time_point committed;
};

// What a connection implements for the hub.
class live_subscriber {
  public:
    virtual ~live_subscriber() = default;
    // Queues a message (called with the hub's lock held: must not block).
    virtual void deliver(live_message m) = 0;
    // Queues a message without writing it yet, called on the connection's own thread (by the
    // hub's batches); flush() then writes what was queued, gathered where the client can take it.
    virtual void deliver_here(const live_message& m) = 0;
    virtual void flush() = 0;
    // Where the connection's work runs: the hub posts its batches there.
    virtual boost::asio::any_io_executor executor() = 0;
    // Closes the connection with a WebSocket close code (server shutdown: 1001).
    virtual void shut(std::uint16_t code, std::string reason) = 0;
};

class live_hub {
  public:
    struct options {
        std::size_t history = 50000;          // facts kept for resuming clients
        std::size_t max_connections = 10000;  // in all
        std::size_t max_per_address = 64;     // from one client address
        std::size_t max_topics = 1000;        // followed by one connection
    };

    live_hub(ledger& book, metrics& stats, options opts);

    // The ledger's listener: call with every group of committed facts, in order.
    void publish(const std::vector<fact>& facts);

    // A new connection, seen as `who`; false if a cap is reached.
    // `session`: the hash of the session the connection was opened with ("" if anonymous);
    // the connection is closed (1008) when that session ends.
    bool join(const std::shared_ptr<live_subscriber>& s, const std::string& address, actor who,
              std::string session = {});
    // Called by the connection's destructor at the latest: nothing is delivered to it after.
    void leave(live_subscriber* s);

    // Why a subscription was refused, and the topics refused by name, if any: the client
    // subscribes again without them (docs/live-protocol.md, "Topics").
    struct refusal {
        std::string detail;
        std::vector<std::string> topics;
    };

    // Subscribes to topics, first replaying what was missed since `since` (if given).
    // Returns why it was refused, adding none of the topics, or nullopt on success; `reload`
    // is set when `since` is older than the history kept (the client must reload through
    // the API).
    std::optional<refusal> subscribe(live_subscriber* s, const actor& who,
                                     const std::vector<std::string>& topics,
                                     std::optional<std::int64_t> since, bool& reload,
                                     std::int64_t& seq);
    void unsubscribe(live_subscriber* s, const std::vector<std::string>& topics);

    // The sequence number of the last fact the hub has seen.
    std::int64_t head() const;

    // Closes every connection (server shutdown).
    void close_all();

    // Whether a topic names something that exists and that `who` may see.
    bool valid_topic(const std::string& topic, const actor& who) const;

  private:
    struct entry {
        std::int64_t seq;
        std::string topic;
        std::string any;        // the wildcard topic that also takes it ("calendar:*"), or ""
        audience detail;        // who gets the detailed message
        live_message shown;     // public
        live_message detailed;  // private
        // Who may get the public message (a restricted event's: those who may see it); none:
        // everyone.
        std::optional<audience> readers;
        // The message for `who`, or nullptr if none is for them.
        const live_message* for_whom(const actor& who) const;
    };
    struct member {
        std::weak_ptr<live_subscriber> self;
        std::string address;
        actor who;
        std::string session;  // the hash of the session it was opened with, or ""
        std::set<std::string> topics;
        // Topics subscribed with a `since` ahead of the hub's head (read from an answer, or
        // from another instance, before this hub published it): the facts up to it were seen.
        std::map<std::string, std::int64_t> seen_up_to;
        boost::asio::any_io_executor executor;  // the connection's, read once at join
    };
    // Delivers under the lock (so that the order holds); the connection is kept alive in
    // `hold` until the caller has released the lock.
    void send(const member& m, const entry& e, std::vector<std::shared_ptr<live_subscriber>>& hold);
    static bool matches(const std::set<std::string>& topics, const entry& e);
    // Whether the member is to get the entry live: on a topic it takes, and not one it has
    // already seen through every topic that takes it.
    static bool wants(const member& m, const entry& e);
    // Closes the connections whose session ended (signed out, password changed, account
    // disabled or erased).
    void end_lost_sessions();

    ledger& book_;
    metrics& stats_;
    options opts_;
    mutable std::mutex mutex_;
    std::deque<entry> recent_;
    std::int64_t head_ = 0;
    std::int64_t base_ = 0;  // the history holds every published fact with seq > base_
    std::map<live_subscriber*, member> members_;
    std::map<std::string, std::size_t> per_address_;
};

}  // namespace creneau::server
