#pragma once
// A blocking Redis connection (hiredis' synchronous API) for the stores that keep things
// beside the Redis journal off the I/O threads: the outbox's marks and the snapshots. It
// connects on first use and again after a failure; the journal itself uses the asynchronous
// link (redis_link.hpp).
//
// Thread safety: call() may be made from any thread; one call at a time uses the connection.

#include "server/journal/redis_journal.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct redisContext;
struct redisReply;

namespace creneau::server {

struct redis_reply_deleter {
    void operator()(redisReply* r) const;
};
using redis_reply = std::unique_ptr<redisReply, redis_reply_deleter>;

class redis_client {
  public:
    // `user` names what uses the connection in error messages ("outbox", "snapshots").
    redis_client(redis_endpoint ep, std::string user);
    ~redis_client();
    redis_client(const redis_client&) = delete;
    redis_client& operator=(const redis_client&) = delete;

    // Sends one command and returns its reply. Throws std::runtime_error if Redis cannot be
    // reached or answers with an error.
    redis_reply call(const std::vector<std::string>& argv);

    const redis_endpoint& endpoint() const { return ep_; }

  private:
    void connect();
    redis_reply raw(const std::vector<std::string>& argv);

    redis_endpoint ep_;
    std::string user_;
    std::mutex mutex_;
    redisContext* ctx_ = nullptr;
};

}  // namespace creneau::server
