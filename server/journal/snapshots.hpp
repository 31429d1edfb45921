#pragma once
// Snapshots of the state (docs/architecture.md, "Snapshots"): the state after fact N, written
// by the ledger's snapshot thread every so many facts, so that a start loads the latest one
// and replays only the facts after it. A snapshot is derived data: deleting any or all of
// them loses nothing, the next start replays more.
//
// A snapshot is sealed: a header (format, the build that wrote it, sequence number, the
// anchor naming the fact it follows), the state's bytes (common/state_codec.hpp) and a
// BLAKE2b checksum of all of it. One that is damaged, of another format, written by another
// build (whose fold of the facts may differ), or whose anchor is not the journal's fact at
// its sequence number (a journal restored from an older backup, another journal) is ignored
// with a warning.

#include "server/journal/journal.hpp"
#include "server/journal/redis_journal.hpp"

#include "common/domain.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace creneau::server {

// Where snapshots are kept: a SQLite file of the data folder, or a Redis hash. Each call may
// throw std::runtime_error (a disk full, Redis down): snapshots are then skipped.
class snapshot_store {
  public:
    virtual ~snapshot_store() = default;
    virtual std::vector<std::int64_t> list() = 0;  // the sequence numbers kept, ascending
    virtual std::optional<std::string> load(std::int64_t seq) = 0;
    virtual void save(std::int64_t seq, const std::string& sealed) = 0;
    virtual void remove(std::int64_t seq) = 0;
    // Removes every snapshot and leaves no readable copy of them in the store's files (after
    // an erasure, docs/privacy.md).
    virtual void remove_all() = 0;
    virtual std::string name() const = 0;
};

// snapshots.db in the data folder, beside the SQLite journal (its own file, so that writing a
// large snapshot never holds the journal's write lock).
std::unique_ptr<snapshot_store> sqlite_snapshot_store(const std::filesystem::path& file);
// The journal's Redis: PREFIX:snapshot:SEQ, written in pieces, and their set PREFIX:snapshots.
std::unique_ptr<snapshot_store> redis_snapshot_store(const redis_endpoint& ep);

// What ties a snapshot to its journal: the time, actor, kind and a hash of the body of the
// fact it follows.
std::string anchor_of(const fact& f);

// `state_bytes`: encode_state() of the state after fact `seq`.
std::string seal_snapshot(std::int64_t seq, const std::string& build, const std::string& anchor,
                          std::string_view state_bytes);

struct opened_snapshot {
    std::int64_t seq = 0;
    std::string build;
    std::string anchor;
    state s;
    std::optional<state> twin;  // a second decoding of the same state, when asked for
};

// The state of a sealed snapshot; throws std::invalid_argument saying why it cannot be used
// (damaged; of another format or byte order, or written by another build than `build` when
// given: these three are refused before any decoding). The caller checks the anchor against
// its journal. With `twin`, the state is decoded a second time on another thread, while the
// checksum is checked and the first is decoded: the ledger's two copies of the state
// (docs/architecture.md, "Snapshots").
opened_snapshot open_snapshot(std::string_view sealed,
                              std::optional<std::string_view> build = std::nullopt,
                              bool twin = false);

}  // namespace creneau::server
