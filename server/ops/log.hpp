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
