#pragma once
// The messages a client sends on the live channel (docs/live-protocol.md), read without
// trusting them: anything but the three requests is an error to answer, never an exception.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace creneau::server {

struct live_request {
    enum class kind { subscribe, unsubscribe, ping };
    kind what = kind::ping;
    std::vector<std::string> topics;    // at most 100, each at most 200 bytes
    std::optional<std::int64_t> since;  // subscribe: the last sequence number seen
};

// The request a message asks for, or the sentence that says what is wrong with it.
std::variant<live_request, std::string> parse_live_request(std::string_view text);

}  // namespace creneau::server
