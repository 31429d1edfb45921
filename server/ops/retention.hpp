#pragma once
// The retention sweep (docs/privacy.md, "Retention"): a thread of the server's that asks the
// ledger, as the system, to erase what has outlived its retention, every so many seconds.
// With several instances each sweeps; the journal's one-winner append makes each erasure
// happen once, and a sweep that finds nothing left writes nothing.

#include "server/journal/ledger.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace creneau::server {

class retention_sweeper {
  public:
    retention_sweeper(ledger& book, std::chrono::seconds every);
    ~retention_sweeper();  // stops the thread
    retention_sweeper(const retention_sweeper&) = delete;
    retention_sweeper& operator=(const retention_sweeper&) = delete;

  private:
    void run();

    ledger& book_;
    std::chrono::seconds every_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace creneau::server
