#pragma once
// Passwords: argon2id (libsodium crypto_pwhash), and the slowing down of repeated failed
// sign-ins.
//
// Thread safety: the functions are pure; sign_in_throttle is guarded by a mutex.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace creneau::server {

// Initialises libsodium; call once before anything else here.
void init_crypto();

// An argon2id hash string ("$argon2id$v=19$m=…"). Slow by design (about 0.1 s).
std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);

// Slows down repeated failed sign-ins per key, and never locks: after `free_failures`
// failures within the window, the key must wait before its next attempt, a wait that
// doubles with each further failure up to `max_wait`. The sign-in keys its failures by
// (address, account) and by address alone, so that an attacker's failures never hold back
// the account's owner signing in from another address.
class sign_in_throttle {
  public:
    struct policy {
        int free_failures = 3;
        std::chrono::seconds window{15 * 60};  // failures older than this are forgotten
        std::chrono::milliseconds first_wait{1000};
        std::chrono::milliseconds max_wait{60000};
        std::size_t max_keys = 100000;  // bounds the memory an attacker can make us spend
    };
    explicit sign_in_throttle(policy p) : policy_(p) {}
    sign_in_throttle() : sign_in_throttle(policy{}) {}

    using clock = std::chrono::steady_clock;
    // How long this key must still wait before it may try (zero: now).
    std::chrono::milliseconds wait(const std::string& key, clock::time_point now);
    void failed(const std::string& key, clock::time_point now);
    void succeeded(const std::string& key);

  private:
    struct entry {
        int failures = 0;
        clock::time_point last;
    };
    std::chrono::milliseconds wait_after(const entry& e) const;

    policy policy_;
    std::mutex mutex_;
    std::map<std::string, entry> entries_;
};

}  // namespace creneau::server
