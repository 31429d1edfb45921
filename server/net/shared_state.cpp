#include "server/net/shared_state.hpp"

#include "server/net/http_session.hpp"

#include <vector>

namespace creneau::server {

namespace {

std::filesystem::path canonical_web_root(const config& cfg) {
    std::filesystem::path root = web_root_of(cfg);
    std::error_code ec;
    auto canonical = std::filesystem::canonical(root, ec);
    return ec ? root : canonical;
}

}  // namespace

shared_state::shared_state(config c, std::shared_ptr<ledger> b, metrics& m)
    : cfg(std::move(c)),
      book(std::move(b)),
      stats(m),
      web_root(canonical_web_root(cfg)),
      api{*book, cfg.allowed_origins, std::make_shared<read_cache>(),
          static_cast<int>(cfg.retention_limit_months)},
      proxies(cfg.trusted_proxies, cfg.forwarded_header == "forwarded"
                                       ? forwarded_header::forwarded
                                       : forwarded_header::x_forwarded_for) {}

bool shared_state::join(const std::shared_ptr<http_session>& s, const std::string& address,
                        std::uint64_t& id) {
    std::lock_guard lock(mutex_);
    if (draining_ || sessions_.size() >= cfg.max_connections) return false;
    auto& mine = per_address_[address];
    if (mine >= cfg.max_connections_per_address && !proxies.trusts(address)) {
        if (mine == 0) per_address_.erase(address);
        return false;
    }
    ++mine;
    id = next_id_++;
    sessions_.emplace(id, entry{s, address});
    return true;
}

void shared_state::leave(std::uint64_t id) {
    std::function<void()> done;
    {
        std::lock_guard lock(mutex_);
        if (auto it = sessions_.find(id); it != sessions_.end()) {
            if (auto a = per_address_.find(it->second.address);
                a != per_address_.end() && --a->second == 0)
                per_address_.erase(a);
            sessions_.erase(it);
        }
        if (draining_ && sessions_.empty() && on_drained_) done = std::move(on_drained_);
    }
    if (done) done();
}

std::size_t shared_state::connections() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void shared_state::forget_drain() {
    std::lock_guard lock(mutex_);
    on_drained_ = nullptr;
}

void shared_state::drain(std::function<void()> on_drained) {
    std::vector<std::shared_ptr<http_session>> open;
    std::function<void()> done;
    {
        std::lock_guard lock(mutex_);
        draining_ = true;
        for (auto& [id, e] : sessions_)
            if (auto s = e.session.lock()) open.push_back(std::move(s));
        if (sessions_.empty())
            done = std::move(on_drained);
        else
            on_drained_ = std::move(on_drained);
    }
    for (auto& s : open) s->close_if_idle();
    if (done) done();
}

}  // namespace creneau::server
