#pragma once
// Structured logging: one JSON object per line on standard error.
//
// Thread safety: every function may be called from any thread; a line is written with a
// single write under a mutex, so lines from different threads never interleave.

#include "common/core/json.hpp"

#include <string_view>

namespace creneau::server::log {

enum class level { debug = 0, info = 1, warn = 2, error = 3 };

void set_level(level l);
void set_level(std::string_view name);
bool enabled(level l);

// Writes {"ts":..., "level":..., "msg":msg, ...fields}. `fields` must be an object (or null).
void write(level l, std::string_view msg, const json& fields = nullptr);

// One answered request, as the access log keeps it: the same line as
// info("request", {remote, client, method, path, route, status, bytes, duration_us}) gives,
// composed without a JSON document, as it is written for every request.
struct access_entry {
    std::string_view remote, client, method, path, route;
    unsigned status = 0;
    std::size_t bytes = 0;
    long long duration_us = 0;
};
void access(const access_entry& r);

inline void debug(std::string_view msg, const json& f = nullptr) {
    write(level::debug, msg, f);
}
inline void info(std::string_view msg, const json& f = nullptr) {
    write(level::info, msg, f);
}
inline void warn(std::string_view msg, const json& f = nullptr) {
    write(level::warn, msg, f);
}
inline void error(std::string_view msg, const json& f = nullptr) {
    write(level::error, msg, f);
}

}  // namespace creneau::server::log
