#include "server/journal/transfer.hpp"

#include "server/journal/ledger.hpp"
#include "server/journal/sqlite_journal.hpp"

#include "common/core/json.hpp"
#include "common/state.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <istream>
#include <ostream>
#include <stdexcept>

namespace creneau::server {
namespace {

constexpr std::size_t batch = 2000;

// Appends `facts` (numbered from head + 1) to `to`, refusing anything but a clean append.
void append_all(journal& to, std::int64_t head, const std::vector<stored_fact>& facts) {
    auto r = to.append(head, facts);
    if (r.status == append_status::conflict)
        throw journal_error("the journal changed while it was being written (its head is " +
                            std::to_string(r.head) + "): is a server running on it?");
    if (r.status != append_status::ok)
        throw journal_error("the journal refused the facts after " + std::to_string(head) + ": " +
                            r.error);
}

stored_fact fact_of_line(const std::string& line, std::int64_t expected) {
    const std::string where = "line " + std::to_string(expected) + ": ";
    if (!json_depth_within(line))
        throw std::invalid_argument(where + "nested deeper than " + std::to_string(max_json_depth) +
                                    " levels");
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw std::invalid_argument(where + "not a JSON object");
    for (const auto& [key, value] : j.items()) {
        bool known =
            key == "seq" || key == "at" || key == "actor" || key == "kind" || key == "body";
        if (!known) throw std::invalid_argument(where + "unknown member '" + key + "'");
    }
    auto text = [&](const char* name) {
        auto it = j.find(name);
        if (it == j.end() || !it->is_string())
            throw std::invalid_argument(where + "'" + name + "' must be a string");
        return it->get<std::string>();
    };
    auto seq = j.find("seq");
    if (seq == j.end() || !seq->is_number_integer() || seq->get<std::int64_t>() != expected)
        throw std::invalid_argument(where + "expected the fact numbered " +
                                    std::to_string(expected));
    auto body = j.find("body");
    if (body == j.end() || !body->is_object())
        throw std::invalid_argument(where + "'body' must be an object");
    stored_fact f{expected, text("at"), text("actor"), text("kind"), body->dump()};
    try {
        to_fact(f);  // the same check as a replay: the instant, the body, the kind
    } catch (const journal_error& e) {
        throw std::invalid_argument(where + e.what());
    }
    return f;
}

void sync_file(const std::filesystem::path& p) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + p.string() + " to sync it");
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot sync " + p.string());
}

// SQLite's online backup: a consistent snapshot of the file even while the server writes.
void sqlite_snapshot(const std::filesystem::path& from, const std::filesystem::path& to) {
    sqlite3* src = nullptr;
    sqlite3* dst = nullptr;
    auto fail = [&](const std::string& what, sqlite3* db) {
        std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(src);
        sqlite3_close(dst);
        throw std::runtime_error(msg);
    };
    if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        fail("cannot open the journal " + from.string(), src);
    sqlite3_busy_timeout(src, 10000);
    if (sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
        fail("cannot create " + to.string(), dst);
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) fail("cannot start the backup", dst);
    int rc;
    // All pages in one step: one read transaction, so one snapshot, and writers go on.
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(50);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) fail("the backup failed", dst);
    sqlite3_close(src);
    src = nullptr;
    // The copy holds the pages, not the source's WAL mode: a journal opens in WAL itself.
    char* err = nullptr;
    if (sqlite3_exec(dst, "PRAGMA integrity_check", nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        fail("the copy is not sound: " + msg, dst);
    }
    sqlite3_close(dst);
}

}  // namespace

namespace {

// The facts with their personal fields opened (those whose key is gone as placeholders); the
// others exactly as stored.
std::vector<stored_fact> opened(std::vector<stored_fact> facts, vault* keys) {
    if (!keys) return facts;
    std::vector<bool> sealed_ones;
    for (const auto& f : facts) sealed_ones.push_back(!sealed_subject(f).empty());
    if (std::find(sealed_ones.begin(), sealed_ones.end(), true) == sealed_ones.end()) return facts;
    auto open = keys->open(facts);
    for (std::size_t i = 0; i < facts.size(); ++i)
        if (sealed_ones[i]) facts[i] = to_stored(open[i]);
    return facts;
}

// The facts with their personal fields sealed with `keys`; the others exactly as given.
std::vector<stored_fact> sealed(std::vector<stored_fact> facts, vault* keys) {
    if (!keys) return facts;
    std::vector<fact> plain;
    for (const auto& f : facts) plain.push_back(to_fact(f));
    auto seal = keys->seal(plain);
    for (std::size_t i = 0; i < facts.size(); ++i)
        if (carries_personal_fields(facts[i].kind)) facts[i] = std::move(seal[i]);
    return facts;
}

}  // namespace

std::int64_t export_journal(journal& from, std::ostream& out, vault* keys) {
    std::int64_t head = 0;
    for (;;) {
        auto facts = opened(from.read(head, batch), keys);
        for (const auto& f : facts) {
            json line = {{"seq", f.seq}, {"at", f.at}, {"actor", f.actor}, {"kind", f.kind}};
            line["body"] = json::parse(f.body, nullptr, false);
            if (line["body"].is_discarded())
                throw journal_error("journal fact " + std::to_string(f.seq) +
                                    ": its body is not JSON");
            out << line.dump() << '\n';
            head = f.seq;
        }
        if (!out) throw journal_error("cannot write the export");
        if (facts.size() < batch) return head;
    }
}

std::int64_t import_journal(journal& to, std::istream& in, vault* keys) {
    if (!to.read(0, 1).empty())
        throw std::runtime_error("the journal is not empty: import only into a new one");
    std::vector<stored_fact> facts;
    state replayed;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line == "\r") continue;
        auto f = fact_of_line(line, static_cast<std::int64_t>(facts.size()) + 1);
        try {
            apply(replayed, to_fact(f));
        } catch (const std::exception& e) {
            throw std::invalid_argument("line " + std::to_string(f.seq) + ": the fact (" + f.kind +
                                        ") does not apply to the state before it: " + e.what());
        }
        facts.push_back(std::move(f));
    }
    if (in.bad()) throw std::invalid_argument("cannot read the file");
    if (facts.empty()) return 0;
    facts = sealed(std::move(facts), keys);
    if (to.backend() == "sqlite") {
        append_all(to, 0, facts);  // one transaction: all or nothing
        return static_cast<std::int64_t>(facts.size());
    }
    std::int64_t head = 0;
    for (std::size_t i = 0; i < facts.size(); i += batch) {
        std::vector<stored_fact> part(
            facts.begin() + static_cast<std::ptrdiff_t>(i),
            facts.begin() + static_cast<std::ptrdiff_t>(std::min(facts.size(), i + batch)));
        try {
            append_all(to, head, part);
        } catch (const journal_error& e) {
            throw std::runtime_error(
                std::string(e.what()) + "; the journal now holds facts 1 to " +
                std::to_string(head) + " of " + std::to_string(facts.size()) +
                ": it is incomplete, do not start a server on it; empty it and import again "
                "(docs/operations.md)");
        }
        head += static_cast<std::int64_t>(part.size());
    }
    return head;
}

void write_new_file(const std::filesystem::path& to,
                    const std::function<void(const std::filesystem::path&)>& write) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(to, ec)))
        throw std::runtime_error(to.string() + " exists already: it is never overwritten");
    auto dir = to.parent_path().empty() ? std::filesystem::path(".") : to.parent_path();
    // A name of our own beside the target: nothing else is touched, not even an old partial.
    std::string pattern = (dir / ("." + to.filename().string() + ".partial-XXXXXX")).string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        throw std::runtime_error("cannot write in " + dir.string() + ": " + std::strerror(errno));
    ::close(fd);
    const std::filesystem::path partial = pattern;
    auto discard = [&] {
        std::filesystem::remove(partial, ec);
        std::filesystem::remove(partial.string() + "-wal", ec);
        std::filesystem::remove(partial.string() + "-shm", ec);
        std::filesystem::remove(partial.string() + "-journal", ec);
    };
    try {
        write(partial);
        sync_file(partial);
        // Renamed into place only if the name is free, whatever holds it: never a
        // replacement. File systems without that rename (some network ones) get a hard link.
        if (::renameat2(AT_FDCWD, partial.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
            if (errno == EEXIST)
                throw std::runtime_error(to.string() + " exists already: it is never overwritten");
            if (::link(partial.c_str(), to.c_str()) != 0)
                throw std::runtime_error("cannot create " + to.string() + ": " +
                                         std::strerror(errno));
        }
        discard();
        sync_file(dir);
    } catch (...) {
        discard();
        throw;
    }
}

namespace {

// Reads a SQLite journal file back whole, as a server would replay it; returns its head.
std::int64_t check_copy(const std::filesystem::path& file) {
    std::int64_t head = 0;
    state replayed;
    sqlite_journal check(file);
    for (std::vector<stored_fact> facts; !(facts = check.read(head, batch)).empty();) {
        for (const auto& f : facts) apply(replayed, to_fact(f));
        head = facts.back().seq;
    }
    check.close();
    return head;
}

// Folds a SQLite file's WAL into it, so that the copy is one self-contained file.
void fold_wal(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK)
        sqlite3_exec(db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
    sqlite3_close(db);
}

}  // namespace

std::filesystem::path keys_file(const std::filesystem::path& journal_file) {
    return journal_file.string() + "-keys";
}

std::int64_t backup_sqlite(const std::filesystem::path& journal_file,
                           const std::filesystem::path& to) {
    if (!std::filesystem::exists(journal_file))
        throw std::runtime_error("there is no journal at " + journal_file.string());
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(keys_file(to), ec)))
        throw std::runtime_error(keys_file(to).string() +
                                 " exists already: it is never overwritten");
    std::int64_t head = 0;
    write_new_file(to, [&](const std::filesystem::path& partial) {
        sqlite_snapshot(journal_file, partial);
        head = check_copy(partial);
        fold_wal(partial);
    });
    // The keys after the facts: every key a copied fact needs was made before it, and a
    // person erased in between stays erased in the copy.
    if (std::filesystem::exists(keys_file(journal_file)))
        write_new_file(keys_file(to), [&](const std::filesystem::path& partial) {
            sqlite_snapshot(keys_file(journal_file), partial);
            fold_wal(partial);
        });
    return head;
}

std::int64_t backup_journal(journal& from, const std::filesystem::path& to, vault* keys) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(keys_file(to), ec)))
        throw std::runtime_error(keys_file(to).string() +
                                 " exists already: it is never overwritten");
    std::int64_t head = 0;
    // The copy's facts are sealed again with keys of its own, beside it.
    std::unique_ptr<vault> copy_keys;
    auto keys_partial = std::filesystem::path();
    try {
        write_new_file(to, [&](const std::filesystem::path& partial) {
            keys_partial = keys_file(partial);
            copy_keys = std::make_unique<vault>(sqlite_key_store(keys_partial));
            {
                sqlite_journal copy(partial);
                for (;;) {
                    auto facts = from.read(head, batch);
                    if (facts.empty()) break;
                    const auto last = facts.back().seq;
                    append_all(copy, head, sealed(opened(std::move(facts), keys), copy_keys.get()));
                    head = last;
                }
                copy.close();
            }
            head = check_copy(partial);
            fold_wal(partial);
        });
        copy_keys.reset();
        fold_wal(keys_partial);
        std::filesystem::rename(keys_partial, keys_file(to));
    } catch (...) {
        copy_keys.reset();
        if (!keys_partial.empty())
            for (const char* suffix : {"", "-wal", "-shm"})
                std::filesystem::remove(keys_partial.string() + suffix, ec);
        throw;
    }
    return head;
}

}  // namespace creneau::server
