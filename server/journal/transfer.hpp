#pragma once
// Moving a journal whole: export as JSON lines, import into an empty journal, and the
// backup of a running server's journal into a SQLite file (docs/operations.md, "Backups
// and migration"). The facts are copied as they are: same sequence numbers, instants,
// actors and bodies, so that SQLite → Redis → SQLite gives back the same journal.

#include "server/journal/journal.hpp"

#include <filesystem>
#include <iosfwd>

namespace creneau::server {

// One JSON object per line, in order: {"seq", "at", "actor", "kind", "body"}, the body as
// a JSON object. Returns the number of facts written. Throws journal_error.
std::int64_t export_journal(journal& from, std::ostream& out);

// Appends the facts of an export to `to`, which must be empty. Every line is checked (its
// shape, sequence numbers 1, 2, 3 …, a body the program can read) before anything is
// appended, so that a bad file changes nothing. Returns the number of facts imported.
// Throws std::invalid_argument for a bad file or a journal that is not empty, and
// journal_error when the journal refuses.
std::int64_t import_journal(journal& to, std::istream& in);

// Copies the journal into a new SQLite journal file at `to` (which must not exist), while
// the server keeps running: with SQLite by its online backup API (a consistent snapshot),
// with Redis by reading the stream up to its head. The copy is written beside `to` and
// renamed into place once complete and synced. Returns the copy's head.
// Throws std::runtime_error with a message for people.
std::int64_t backup_journal(journal& from, const std::filesystem::path& sqlite_file,
                            const std::filesystem::path& to);

}  // namespace creneau::server
