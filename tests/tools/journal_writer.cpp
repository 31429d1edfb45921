// A test tool: a ledger that books meeting-room slots as fast as it can and records each
// acknowledged reservation in an "acks" file, until it is killed. The kill tests reopen the
// journal afterwards and look for every acknowledged reservation.
//
//   journal_writer --data DIR --acks FILE
//   journal_writer --redis URL --acks FILE

#include "server/journal/ledger.hpp"
#include "server/journal/redis_journal.hpp"
#include "server/journal/sqlite_journal.hpp"

#include "common/catalogue/document.hpp"
#include "support/text.hpp"

using creneau::test::numbered;

#include <fstream>
#include <iostream>

#include <fcntl.h>
#include <unistd.h>

using namespace creneau;
using namespace creneau::server;

int main(int argc, char** argv) {
    std::string data, redis, acks;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k == "--data")
            data = argv[i + 1];
        else if (k == "--redis")
            redis = argv[i + 1];
        else if (k == "--acks")
            acks = argv[i + 1];
    }
    std::unique_ptr<journal> j;
    if (!redis.empty())
        j = std::make_unique<redis_journal>(parse_redis_url(redis));
    else
        j = std::make_unique<sqlite_journal>(std::filesystem::path(data) / "journal.db");
    ledger_options opts;
    opts.now = [] { return *parse_rfc3339("2026-01-05T07:00:00Z"); };
    ledger l(std::move(j), opts);
    l.start();
    std::ifstream cat(std::string(CRENEAU_SOURCE_DIR) + "/server/catalogue/default.json");
    l.seed(catalogue_facts(nlohmann::json::parse(cat), "default.json"));

    int fd = ::open(acks.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    actor admin{"u-admin", role::admin, "llv", false};
    // Several submitters at once, so that group commits are under way when the kill comes.
    std::atomic<long> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (;;) {
                long n = next++;
                instant start = *parse_rfc3339("2026-01-05T07:00:00Z") +
                                std::chrono::hours(24 * (n / 10)) + std::chrono::hours(n % 10);
                auto o = l.execute(request_reservation{"meeting-room",
                                                       start,
                                                       start + std::chrono::minutes(30),
                                                       "",
                                                       4,
                                                       "llv",
                                                       numbered("Réunion ", n),
                                                       {}},
                                   admin);
                if (o.ok()) {
                    const auto& r = std::get<reservation_requested>(o.facts.front().body).value;
                    std::string line = r.id + numbered(" ", o.facts.front().seq) + "\n";
                    [[maybe_unused]] auto w = ::write(fd, line.data(), line.size());
                }
            }
        });
    for (auto& t : threads) t.join();
}
