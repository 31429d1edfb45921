#include "server/journal/redis_client.hpp"

#include <hiredis/hiredis.h>

#include <stdexcept>

namespace creneau::server {

void redis_reply_deleter::operator()(redisReply* r) const {
    freeReplyObject(r);
}

redis_client::redis_client(redis_endpoint ep, std::string user)
    : ep_(std::move(ep)), user_(std::move(user)) {}

redis_client::~redis_client() {
    if (ctx_) redisFree(ctx_);
}

void redis_client::connect() {
    if (ctx_) redisFree(ctx_);
    timeval tv{3, 0};
    ctx_ = redisConnectWithTimeout(ep_.host.c_str(), ep_.port, tv);
    if (!ctx_ || ctx_->err) {
        std::string why = ctx_ ? ctx_->errstr : "out of memory";
        if (ctx_) redisFree(ctx_);
        ctx_ = nullptr;
        throw std::runtime_error("Redis: " + why);
    }
    redisSetTimeout(ctx_, tv);
    auto refused = [&](const char* what, const std::vector<std::string>& argv) {
        try {
            raw(argv);
        } catch (const std::runtime_error& e) {
            // Not kept: the next call connects again rather than use this connection as it is.
            if (ctx_) redisFree(ctx_);
            ctx_ = nullptr;
            throw std::runtime_error("Redis at " + ep_.host + ":" + std::to_string(ep_.port) +
                                     " refused the " + what + " (" + user_ + "): " + e.what());
        }
    };
    if (!ep_.password.empty()) refused("password", {"AUTH", ep_.password});
    if (ep_.db != 0) refused("database number", {"SELECT", std::to_string(ep_.db)});
}

redis_reply redis_client::raw(const std::vector<std::string>& argv) {
    std::vector<const char*> args;
    std::vector<std::size_t> lens;
    for (const auto& a : argv) {
        args.push_back(a.data());
        lens.push_back(a.size());
    }
    redis_reply r(static_cast<redisReply*>(
        redisCommandArgv(ctx_, static_cast<int>(args.size()), args.data(), lens.data())));
    if (!r) {
        std::string why = ctx_->errstr;
        redisFree(ctx_);
        ctx_ = nullptr;
        throw std::runtime_error("Redis: " + why);
    }
    if (r->type == REDIS_REPLY_ERROR)
        throw std::runtime_error("Redis: " + std::string(r->str, r->len));
    return r;
}

redis_reply redis_client::call(const std::vector<std::string>& argv) {
    std::lock_guard lock(mutex_);
    if (!ctx_) connect();
    return raw(argv);
}

}  // namespace creneau::server
