#pragma once
// Opens the journal the configuration names and starts a ledger on it: the server and the
// administrative subcommands share this, so they always work on the same journal.

#include "server/journal/ledger.hpp"
#include "server/ops/config.hpp"

#include <memory>

namespace creneau::server {

// The SQLite journal's file inside the data folder.
std::filesystem::path journal_file(const config& cfg);

// The journal the configuration names, opened but not replayed: the Redis journal, or the
// SQLite file of the data folder (created with the folder if missing; read-only, an existing
// file is opened without writing to it). Throws std::runtime_error with a message for people.
std::unique_ptr<journal> open_journal(const config& cfg, bool read_only = false);

// The key store of personal data (vault.hpp): the Redis journal's, or creneau.db-keys beside
// the SQLite journal (read-only: an absent one is empty, and nothing is written).
std::shared_ptr<vault> open_vault(const config& cfg, bool read_only = false);

// Where the server keeps its snapshots of the state: snapshots.db in the data folder, or the
// journal's Redis. nullptr, with a warning, if they cannot be opened: every start replays.
std::shared_ptr<snapshot_store> open_snapshots(const config& cfg);

// Opens the journal (creating the data folder for SQLite), replays it, and loads the
// catalogue (cfg.catalogue, or the shipped default) if the journal is empty.
// Throws std::runtime_error with a message for people: the file, the place, the problem.
std::unique_ptr<ledger> open_ledger(const config& cfg, ledger_options opts = {});

}  // namespace creneau::server
