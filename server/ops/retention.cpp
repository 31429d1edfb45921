#include "server/ops/retention.hpp"

#include "server/ops/log.hpp"
#include "server/ops/thread_name.hpp"

namespace creneau::server {

sweeper::sweeper(ledger& book, std::string name, command what, std::size_t limit,
                 std::chrono::seconds every)
    : book_(book),
      name_(std::move(name)),
      what_(std::move(what)),
      limit_(limit),
      every_(every),
      thread_([this] { run(); }) {}

sweeper::~sweeper() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void sweeper::run() {
    name_this_thread(name_);
    for (;;) {
        std::size_t changed = 0;
        try {
            auto o = book_.execute(what_, actor{});
            changed = o.facts.size();
            if (changed > 0)
                log::info(name_, {{"facts", changed}, {"head", book_.head()}});
            else if (!o.ok())
                log::warn(name_ + " failed", {{"error", o.refused ? o.refused->detail : o.error}});
        } catch (const std::exception& e) {
            log::warn(name_ + " failed", {{"error", e.what()}});
        }
        std::unique_lock lock(mutex_);
        // A full sweep left more: the next one at once.
        if (changed < limit_) cv_.wait_for(lock, every_, [&] { return stopping_; });
        if (stopping_) return;
    }
}

}  // namespace creneau::server
