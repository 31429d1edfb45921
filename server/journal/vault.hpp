#pragma once
// Personal data in the journal (docs/privacy.md, "Erasure"). The personal fields of a fact (a
// person's name, e-mail, answers) are stored sealed with their person's key (libsodium
// crypto_secretbox), the fields themselves replaced by the placeholders of an erased person.
// The keys live in a key store beside the journal: keys.db in the data folder, or a hash of
// the journal's Redis. Erasure deletes the key: the journal is never rewritten, and every copy
// of it (backups, exports of the sealed facts, Redis' AOF) reads from then on as erased.
//
// Thread safety: seal, open and shred may be called from any thread.

#include "server/journal/journal.hpp"
#include "server/journal/redis_journal.hpp"

#include "common/facts.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace creneau::server {

// Where the keys are kept. Each call may throw std::runtime_error (a disk full, Redis down).
class key_store {
  public:
    virtual ~key_store() = default;
    // The keys of these subjects that exist; with `create`, those missing are made first, and
    // are durable when this returns (before the facts they seal are appended).
    virtual std::map<std::string, std::string> keys(const std::set<std::string>& subjects,
                                                    bool create) = 0;
    // Deletes these keys, durably, and leaves no readable copy of them in the store's files
    // (SQLite: secure_delete and a truncated WAL; Redis: an AOF rewrite).
    virtual void remove(const std::set<std::string>& subjects) = 0;
    virtual std::string name() const = 0;
};

// Read-only: an absent file is an empty store, and nothing is written.
std::unique_ptr<key_store> sqlite_key_store(const std::filesystem::path& file,
                                            bool read_only = false);
// PREFIX:keys, a hash of subject → key.
std::unique_ptr<key_store> redis_key_store(const redis_endpoint& ep);

class vault {
  public:
    explicit vault(std::shared_ptr<key_store> keys);

    // The facts as stored, their personal fields sealed. Throws std::runtime_error if a key
    // cannot be made (nothing is then appended).
    std::vector<stored_fact> seal(const std::vector<fact>& facts);
    // The facts as read, their personal fields opened, or left as placeholders where the key
    // is gone. Throws journal_error naming the fact for a malformed or tampered one.
    std::vector<fact> open(const std::vector<stored_fact>& stored);
    fact open(const stored_fact& stored);
    // Deletes the keys of these subjects (erased persons).
    void shred(const std::set<std::string>& subjects);

    const key_store& store() const { return *keys_; }

  private:
    std::shared_ptr<key_store> keys_;
    std::mutex mutex_;
    std::map<std::string, std::string> cache_;
};

// Whether facts of this kind carry personal fields (sealed as they are stored).
bool carries_personal_fields(std::string_view kind);
// Whether a stored fact carries sealed personal fields, and whose (for tests and tools).
std::string sealed_subject(const stored_fact& s);

}  // namespace creneau::server
