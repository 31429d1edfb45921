#pragma once
// The server's own sweeps: a thread that asks the ledger, as the system, to decide one
// command every so many seconds. The retention sweep erases what has outlived its retention
// (docs/privacy.md, "Retention"); the waiting sweep cancels the rooms' waiting requests whose
// period has begun (docs/domain.md, "Room waiting lists"). With several instances each sweeps;
// the journal's one-winner append makes each change happen once, and a sweep that finds
// nothing left writes nothing.

#include "common/commands.hpp"
#include "server/journal/ledger.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace creneau::server {

class sweeper {
  public:
    // `limit`: the most facts one run decides; a run that reaches it is followed at once.
    sweeper(ledger& book, std::string name, command what, std::size_t limit,
            std::chrono::seconds every);
    ~sweeper();  // stops the thread
    sweeper(const sweeper&) = delete;
    sweeper& operator=(const sweeper&) = delete;

  private:
    void run();

    ledger& book_;
    const std::string name_;
    const command what_;
    const std::size_t limit_;
    std::chrono::seconds every_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace creneau::server
