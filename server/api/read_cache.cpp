#include "server/api/read_cache.hpp"

namespace creneau::server {

read_cache::read_cache(std::size_t capacity, std::size_t max_bytes)
    : capacity_(capacity), max_bytes_(max_bytes) {}

std::shared_ptr<const read_cache::page> read_cache::find(const std::string& key,
                                                         std::int64_t head) const {
    std::lock_guard lock(mutex_);
    auto it = pages_.find(key);
    if (it == pages_.end() || it->second->head != head) return nullptr;
    return it->second;
}

void read_cache::keep(const std::string& key, std::shared_ptr<const page> p) {
    if (!p || p->body.size() > max_bytes_ / 4) return;  // one page never takes it all
    std::lock_guard lock(mutex_);
    auto it = pages_.find(key);
    if (it != pages_.end()) {
        if (it->second->head > p->head) return;  // a later render got there first
        bytes_ -= it->second->body.size();
        pages_.erase(it);
    }
    if (pages_.size() >= capacity_ || bytes_ + p->body.size() > max_bytes_) make_room(p->head);
    pages_.emplace(key, p);
    bytes_ += p->body.size();
}

void read_cache::make_room(std::int64_t newest) {
    for (auto it = pages_.begin(); it != pages_.end();) {
        if (it->second->head < newest) {
            bytes_ -= it->second->body.size();
            it = pages_.erase(it);
        } else {
            ++it;
        }
    }
    if (pages_.size() >= capacity_ || bytes_ > max_bytes_ / 2) {
        pages_.clear();
        bytes_ = 0;
    }
}

}  // namespace creneau::server
