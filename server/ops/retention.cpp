#include "server/ops/retention.hpp"

#include "server/ops/log.hpp"

namespace creneau::server {

retention_sweeper::retention_sweeper(ledger& book, std::chrono::seconds every)
    : book_(book), every_(every), thread_([this] { run(); }) {}

retention_sweeper::~retention_sweeper() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void retention_sweeper::run() {
    const sweep_retention sweep;
    for (;;) {
        std::size_t erased = 0;
        try {
            auto o = book_.execute(sweep, actor{});
            erased = o.facts.size();
            if (erased > 0)
                log::info("retention sweep", {{"erased", erased}, {"head", book_.head()}});
            else if (!o.ok())
                log::warn("retention sweep failed",
                          {{"error", o.refused ? o.refused->detail : o.error}});
        } catch (const std::exception& e) {
            log::warn("retention sweep failed", {{"error", e.what()}});
        }
        std::unique_lock lock(mutex_);
        // A full sweep left more: the next one at once.
        if (erased < sweep.limit) cv_.wait_for(lock, every_, [&] { return stopping_; });
        if (stopping_) return;
    }
}

}  // namespace creneau::server
