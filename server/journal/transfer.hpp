#pragma once
// Moving a journal whole: export as JSON lines, import into an empty journal, and the
// backup of a running server's journal into a SQLite file (docs/operations.md, "Backups
// and migration"). The facts are copied as they are: same sequence numbers, instants,
// actors and bodies, so that SQLite → Redis → SQLite gives back the same journal.
// Files are never overwritten: each is written beside its name and linked into place.

#include "server/journal/journal.hpp"
#include "server/journal/vault.hpp"

#include <filesystem>
#include <functional>
#include <iosfwd>

namespace creneau::server {

// One JSON object per line, in order: {"seq", "at", "actor", "kind", "body"}, the body as
// a JSON object. Returns the number of facts written. Throws journal_error.
// With `keys`, personal fields are written opened (those of erased persons as placeholders).
std::int64_t export_journal(journal& from, std::ostream& out, vault* keys = nullptr);

// Appends the facts of an export to `to`, which must be empty. Every line is checked first
// (its shape and depth, sequence numbers 1, 2, 3 …, a body this program reads, and that it
// applies to the state the lines before it make, as a replay would): a bad file changes
// nothing. SQLite takes the whole file in one transaction; Redis in batches, and a failure
// midway says how far it got. Returns the number of facts imported. Throws
// std::invalid_argument for a bad file, std::runtime_error for a journal that is not empty
// or refuses.
// With `keys`, personal fields are sealed with them as they are imported.
std::int64_t import_journal(journal& to, std::istream& in, vault* keys = nullptr);

// The key store of a SQLite journal file: FILE-keys beside it (vault.hpp).
std::filesystem::path keys_file(const std::filesystem::path& journal_file);

// A consistent copy of a SQLite journal file, taken while a server writes to it (SQLite's
// online backup API: one read transaction), into a new file `to`, and of its key store
// into `to`-keys, taken after it. Returns its head.
std::int64_t backup_sqlite(const std::filesystem::path& journal_file,
                           const std::filesystem::path& to);

// The facts of any journal up to its head, into a new SQLite journal file `to` (the backup
// of a Redis journal), its personal fields opened with `keys` and sealed again with a key
// store of its own, `to`-keys. Returns its head.
std::int64_t backup_journal(journal& from, const std::filesystem::path& to, vault* keys = nullptr);

// Writes a new file `to` through `write` (given a path beside it to fill), then syncs and
// links it into place: the file appears whole or not at all, and an existing `to` (even a
// dangling symbolic link) is never replaced. Throws std::runtime_error.
void write_new_file(const std::filesystem::path& to,
                    const std::function<void(const std::filesystem::path&)>& write);

}  // namespace creneau::server
