#include "server/shared_state.hpp"

#include "server/http_session.hpp"

#include <vector>

namespace creneau::server {

bool shared_state::join(const std::shared_ptr<http_session>& s, std::uint64_t& id) {
    std::lock_guard lock(mutex_);
    if (draining_ || sessions_.size() >= cfg.max_connections) return false;
    id = next_id_++;
    sessions_.emplace(id, s);
    return true;
}

void shared_state::leave(std::uint64_t id) {
    std::function<void()> done;
    {
        std::lock_guard lock(mutex_);
        sessions_.erase(id);
        if (draining_ && sessions_.empty() && on_drained_) done = std::move(on_drained_);
    }
    if (done) done();
}

std::size_t shared_state::connections() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void shared_state::drain(std::function<void()> on_drained) {
    std::vector<std::shared_ptr<http_session>> open;
    std::function<void()> done;
    {
        std::lock_guard lock(mutex_);
        draining_ = true;
        for (auto& [id, weak] : sessions_)
            if (auto s = weak.lock()) open.push_back(std::move(s));
        if (sessions_.empty())
            done = std::move(on_drained);
        else
            on_drained_ = std::move(on_drained);
    }
    for (auto& s : open) s->close_if_idle();
    if (done) done();
}

}  // namespace creneau::server
