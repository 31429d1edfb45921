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

// Counts failed sign-ins per key (an email, an address). After `slow_after` failures in the
// window, each attempt waits longer (doubling); after `lock_after` failures the key is
// refused until the window has passed.
class sign_in_throttle {
public:
    struct policy {
        int slow_after = 3;
        int lock_after = 10;
        std::chrono::seconds window{15 * 60};
        std::chrono::milliseconds first_delay{250};
        std::chrono::milliseconds max_delay{4000};
    };
    explicit sign_in_throttle(policy p) : policy_(p) {}
    sign_in_throttle() : sign_in_throttle(policy{}) {}

    using clock = std::chrono::steady_clock;
    // nullopt: go ahead after `delay`; a value: refused, retry after that many seconds.
    std::optional<std::chrono::seconds> check(const std::string& key, clock::time_point now,
                                              std::chrono::milliseconds& delay);
    void failed(const std::string& key, clock::time_point now);
    void succeeded(const std::string& key);

private:
    struct entry {
        int failures = 0;
        clock::time_point first;
    };
    policy policy_;
    std::mutex mutex_;
    std::map<std::string, entry> entries_;
};

}  // namespace creneau::server
