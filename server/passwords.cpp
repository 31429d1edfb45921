#include "server/passwords.hpp"

#include <sodium.h>

#include <stdexcept>

namespace creneau::server {

void init_crypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::string hash_password(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("out of memory while hashing a password");
    return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::optional<std::chrono::seconds> sign_in_throttle::check(const std::string& key, clock::time_point now,
                                                            std::chrono::milliseconds& delay) {
    std::lock_guard lock(mutex_);
    delay = std::chrono::milliseconds(0);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    auto& e = it->second;
    if (now - e.first > policy_.window) {
        entries_.erase(it);
        return std::nullopt;
    }
    if (e.failures >= policy_.lock_after)
        return std::chrono::duration_cast<std::chrono::seconds>(policy_.window - (now - e.first)) + std::chrono::seconds(1);
    if (e.failures >= policy_.slow_after) {
        auto d = policy_.first_delay * (1 << std::min(10, e.failures - policy_.slow_after));
        delay = std::min<std::chrono::milliseconds>(d, policy_.max_delay);
    }
    return std::nullopt;
}

void sign_in_throttle::failed(const std::string& key, clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto& e = entries_[key];
    if (e.failures == 0 || now - e.first > policy_.window) {
        e.failures = 0;
        e.first = now;
    }
    ++e.failures;
    // Bound the memory an attacker can make us spend on keys.
    if (entries_.size() > 100000) entries_.clear();
}

void sign_in_throttle::succeeded(const std::string& key) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
}

}  // namespace creneau::server
