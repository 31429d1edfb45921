#pragma once
// Requests made with an Idempotency-Key (docs/api.md, "Idempotency"): the key goes into the
// journal just before the facts it produced, so that a retry, after a restart or on another
// instance, is answered with them.

#include "common/core/json.hpp"

namespace creneau {

// The next `facts` facts answer a request made with this key (scoped by actor).
struct request_recorded {
    static constexpr std::string_view type = "request-recorded";
    std::string key;
    std::string fingerprint;
    int facts = 0;
    bool operator==(const request_recorded&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(request_recorded, key, fingerprint, facts)

// How long a key is kept: a request with it after that is a new request.
inline constexpr std::chrono::hours request_kept{24};

// What the state keeps of a key: the facts it produced.
struct request_record {
    std::string
        fingerprint;  // of the method, target and body: a key reused for another request is refused
    std::int64_t first_seq = 0;
    int facts = 0;
    instant at;
    bool operator==(const request_record&) const = default;
    bool kept_at(instant now) const { return now < at + request_kept; }
};

struct state;
struct fact;
void apply_fact(state& s, const fact& f, const request_recorded& x);

}  // namespace creneau
