#pragma once
// The journal: the durable, ordered list of facts. Two backends (SQLite, Redis), one
// contract (tests/integration/test_journal_contract.cpp runs against both):
//  - append(expected, facts) stores the facts at expected+1, expected+2, … only if the
//    journal's head is `expected`, atomically; otherwise it reports a conflict;
//  - read(after, max) returns the facts after a sequence number, in order;
//  - the listener set with on_appended is told of facts appended by other writers.
//
// Thread safety: append and read are blocking and are called from one thread at a time
// (the one holding the ledger's writer's role); on_appended's callback runs on a thread of the
// backend's.

#include "common/core/time.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace creneau::server {

// A fact as stored: its envelope and its JSON body (as written by to_json(fact_body)).
struct stored_fact {
    std::int64_t seq = 0;
    std::string at;     // RFC 3339, UTC
    std::string actor;  // user id or "system"
    std::string kind;   // the fact's type name
    std::string body;   // JSON text
    bool operator==(const stored_fact&) const = default;
};

enum class append_status {
    ok,
    conflict,     // the head was not the expected one: someone else appended first
    unavailable,  // the journal cannot be reached now (Redis down): nothing was appended
    unknown,      // the append was sent but not confirmed (a timeout): it may have been made
};

struct append_result {
    append_status status = append_status::ok;
    std::int64_t head = 0;  // the head after the append, or the head that was found
    std::string error;      // what went wrong, for the logs
};

// The journal cannot be read: corrupt, unreadable, or unreachable at start.
class journal_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class journal {
  public:
    virtual ~journal() = default;

    virtual append_result append(std::int64_t expected, const std::vector<stored_fact>& facts) = 0;
    // Takes the journal's write lock for the next append, if no other process holds it: false
    // at once if one does, rather than wait for it (a thread that serves connections must not:
    // docs/architecture.md, "A lone command is committed by its submitter"). A journal without
    // such a lock has nothing to take. `unlock` gives back a lock no append used.
    virtual bool lock_now() noexcept { return true; }
    virtual void unlock() noexcept {}

    // Up to `max` facts with seq > after, in order. Throws journal_error if the journal is
    // unreachable or a stored row is malformed (naming its sequence number).
    virtual std::vector<stored_fact> read(std::int64_t after, std::size_t max) = 0;

    // The callback receives facts appended by others, in order, possibly with gaps or
    // repeats (the ledger fills gaps with read); an empty list means "something changed,
    // read from your head" (after a reconnect, say).
    virtual void on_appended(std::function<void(std::vector<stored_fact>)> callback) = 0;

    // Whether the journal answered its last request (false while Redis is down).
    virtual bool available() const = 0;
    // Why it is unavailable, when it knows (a refused password, say), for /readyz.
    virtual std::string problem() const { return {}; }

    virtual std::string backend() const = 0;
    // Whether an append is written here (a file), not sent to a server and waited for: a lone
    // command may then be committed on the thread that submits it (ledger_options).
    virtual bool local() const = 0;

    // Stops background work (watchers, reconnects); no callback runs after it returns.
    virtual void close() = 0;
};

}  // namespace creneau::server
