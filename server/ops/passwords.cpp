#include "server/ops/passwords.hpp"

#include <algorithm>
#include <vector>

#include <sodium.h>

#include <stdexcept>

namespace creneau::server {

void init_crypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::string hash_password(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(
            out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("out of memory while hashing a password");
    return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::chrono::milliseconds sign_in_throttle::wait_after(const entry& e) const {
    if (e.failures < policy_.free_failures) return std::chrono::milliseconds{0};
    auto w = policy_.first_wait * (1LL << std::min(20, e.failures - policy_.free_failures));
    return std::min<std::chrono::milliseconds>(w, policy_.max_wait);
}

std::chrono::milliseconds sign_in_throttle::wait(const std::string& key, clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::chrono::milliseconds{0};
    if (now - it->second.last > policy_.window) {
        entries_.erase(it);
        return std::chrono::milliseconds{0};
    }
    auto until = it->second.last + wait_after(it->second);
    return until > now ? std::chrono::duration_cast<std::chrono::milliseconds>(until - now) +
                             std::chrono::milliseconds(1)
                       : std::chrono::milliseconds{0};
}

void sign_in_throttle::failed(const std::string& key, clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= policy_.max_keys && !entries_.count(key)) {
        // Forget the keys whose failures are old; if none are, the oldest half.
        std::erase_if(entries_,
                      [&](const auto& kv) { return now - kv.second.last > policy_.window; });
        if (entries_.size() >= policy_.max_keys) {
            std::vector<clock::time_point> times;
            for (const auto& [k, e] : entries_) times.push_back(e.last);
            std::nth_element(times.begin(),
                             times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2),
                             times.end());
            auto median = times[times.size() / 2];
            std::erase_if(entries_, [&](const auto& kv) { return kv.second.last <= median; });
        }
    }
    auto& e = entries_[key];
    if (e.failures > 0 && now - e.last > policy_.window) e.failures = 0;
    ++e.failures;
    e.last = now;
}

void sign_in_throttle::succeeded(const std::string& key) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
}

}  // namespace creneau::server
