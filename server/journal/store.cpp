#include "server/journal/store.hpp"

#include "server/catalogue/default_catalogue.hpp"
#include "server/journal/redis_journal.hpp"
#include "server/journal/sqlite_journal.hpp"
#include "server/journal/transfer.hpp"
#include "server/ops/log.hpp"

#include "common/catalogue/document.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace creneau::server {

std::filesystem::path journal_file(const config& cfg) {
    return cfg.data_dir / "creneau.db";
}

namespace {

// The catalogue's facts, read and checked: a bad file stops the start before anything is opened.
std::vector<fact_body> read_catalogue(const config& cfg) {
    std::vector<fact_body> catalogue;
    {
        std::string name = cfg.catalogue.empty() ? "default catalogue" : cfg.catalogue.string();
        std::string text;
        if (cfg.catalogue.empty()) {
            text = std::string(default_catalogue_text());
        } else {
            std::ifstream in(cfg.catalogue);
            if (!in) throw std::runtime_error(name + ": cannot be read");
            std::ostringstream s;
            s << in.rdbuf();
            text = s.str();
        }
        json doc;
        try {
            doc = json::parse(text);
        } catch (const json::parse_error& e) {
            throw std::runtime_error(name + ": not JSON: " + e.what());
        }
        try {
            catalogue = catalogue_facts(doc, name);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(e.what());
        }
    }
    return catalogue;
}

// Run as root on a data folder that belongs to the service's user (`creneau user add` or an
// import by an administrator), the journal's files are given to that user: a file of
// root's there would stop the service at its next start.
void give_to_folder_owner(const std::filesystem::path& dir, const std::filesystem::path& file) {
    struct stat folder {};
    if (::geteuid() != 0 || ::stat(dir.c_str(), &folder) != 0 || folder.st_uid == 0) return;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        auto p = file.string() + suffix;
        struct stat st {};
        if (::lstat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid != folder.st_uid &&
            ::chown(p.c_str(), folder.st_uid, folder.st_gid) != 0)
            log::warn("cannot give the journal to the data folder's owner", {{"file", p}});
    }
}

}  // namespace

std::unique_ptr<journal> open_journal(const config& cfg, bool read_only) {
    std::unique_ptr<journal> j;
    try {
        if (!cfg.redis_url.empty()) {
            j = std::make_unique<redis_journal>(parse_redis_url(cfg.redis_url));
        } else if (read_only) {
            if (!std::filesystem::exists(journal_file(cfg)))
                throw std::runtime_error("there is no journal at " + journal_file(cfg).string());
            j = std::make_unique<sqlite_journal>(journal_file(cfg), std::chrono::milliseconds(50),
                                                 sqlite_journal::access::read_only);
        } else {
            std::error_code ec;
            std::filesystem::create_directories(cfg.data_dir, ec);
            if (ec)
                throw std::runtime_error("cannot create the data folder " + cfg.data_dir.string() +
                                         ": " + ec.message());
            j = std::make_unique<sqlite_journal>(journal_file(cfg));
            give_to_folder_owner(cfg.data_dir, journal_file(cfg));
        }
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("--redis: ") + e.what());
    } catch (const journal_error& e) {
        throw std::runtime_error(e.what());
    }
    return j;
}

std::shared_ptr<vault> open_vault(const config& cfg, bool read_only) {
    try {
        if (!cfg.redis_url.empty())
            return std::make_shared<vault>(redis_key_store(parse_redis_url(cfg.redis_url)));
        auto v = std::make_shared<vault>(sqlite_key_store(keys_file(journal_file(cfg)), read_only));
        if (!read_only) give_to_folder_owner(cfg.data_dir, keys_file(journal_file(cfg)));
        return v;
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("--redis: ") + e.what());
    }
}

std::shared_ptr<snapshot_store> open_snapshots(const config& cfg) {
    try {
        if (!cfg.redis_url.empty()) return redis_snapshot_store(parse_redis_url(cfg.redis_url));
        std::error_code ec;
        std::filesystem::create_directories(cfg.data_dir, ec);
        return sqlite_snapshot_store(cfg.data_dir / "snapshots.db");
    } catch (const std::exception& e) {
        log::warn("snapshots cannot be kept: every start replays the whole journal",
                  {{"error", e.what()}});
        return nullptr;
    }
}

std::unique_ptr<ledger> open_ledger(const config& cfg, ledger_options opts) {
    auto catalogue = read_catalogue(cfg);
    auto j = open_journal(cfg);
    if (!opts.vault) opts.vault = open_vault(cfg);
    auto l = std::make_unique<ledger>(std::move(j), std::move(opts));
    try {
        l->start();
    } catch (const journal_error& e) {
        throw std::runtime_error(std::string("the journal cannot be replayed: ") + e.what());
    }
    std::string operator_org;
    for (const auto& f : catalogue)
        if (auto* o = std::get_if<operator_designated>(&f)) operator_org = o->organisation;
    if (l->seed(std::move(catalogue))) {
        log::info("catalogue loaded",
                  {{"from", cfg.catalogue.empty() ? "default" : cfg.catalogue.string()},
                   {"head", l->head()}});
    } else if (l->head() == 0) {
        // Not confirmed written (a fact that does not apply, a journal that failed or did not
        // answer): no server without its catalogue. A start again seeds it, or finds it there.
        auto why = l->failure();
        if (why.empty()) why = l->journal_problem();
        if (why.empty()) why = "the journal did not confirm the append";
        throw std::runtime_error("the catalogue was not written: " + why);
    } else if (!operator_org.empty() &&
               l->read([](const state& s) { return s.operator_org.empty(); })) {
        // A journal from before the operator was named: the catalogue names it now.
        auto o = l->execute(designate_operator{operator_org}, actor{});
        if (o.ok())
            log::info("operator designated", {{"organisation", operator_org}, {"head", l->head()}});
        else
            log::warn("cannot designate the operator",
                      {{"organisation", operator_org},
                       {"error", o.refused ? o.refused->detail : o.error}});
    }
    return l;
}

}  // namespace creneau::server
