#pragma once
// Readers of JSON fields that throw std::invalid_argument naming the JSON path at fault
// ("/layouts/0/capacity: expected an integer"). Shared by the readers of facts and events.

#include "common/time.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace creneau {

// JSON from clients and from Redis nests at most this deep: deeper documents are refused
// before parsing, so that nothing recursive (copies, dumps, readers) ever runs over them.
inline constexpr int max_json_depth = 64;

// Whether a JSON text nests arrays and objects at most `max_depth` deep (a linear scan that
// skips strings).
inline bool json_depth_within(std::string_view text, int max_depth = max_json_depth) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > max_depth) return false;
        } else if (c == ']' || c == '}') --depth;
    }
    return true;
}

}  // namespace creneau

namespace creneau::json_read {
using nlohmann::json;

[[noreturn]] inline void fail(const std::string& path, const std::string& what) {
    throw std::invalid_argument((path.empty() ? std::string("/") : path) + ": " + what);
}

inline const json& member(const json& j, const char* key, const std::string& path) {
    if (!j.is_object()) fail(path, "expected an object");
    auto it = j.find(key);
    if (it == j.end()) fail(path + "/" + key, "missing");
    return *it;
}

inline std::string str(const json& j, const char* key, const std::string& path) {
    const auto& v = member(j, key, path);
    if (!v.is_string()) fail(path + "/" + key, "expected a string");
    return v.get<std::string>();
}

inline std::string str_or(const json& j, const char* key, const std::string& path, std::string def) {
    if (!j.is_object() || !j.contains(key)) return def;
    return str(j, key, path);
}

inline std::int64_t integer(const json& j, const char* key, const std::string& path) {
    const auto& v = member(j, key, path);
    if (!v.is_number_integer()) fail(path + "/" + key, "expected an integer");
    return v.get<std::int64_t>();
}

inline std::int64_t integer_or(const json& j, const char* key, const std::string& path, std::int64_t def) {
    if (!j.is_object() || !j.contains(key)) return def;
    return integer(j, key, path);
}

inline int small_int(const json& j, const char* key, const std::string& path) {
    auto v = integer(j, key, path);
    if (v < -1'000'000'000 || v > 1'000'000'000) fail(path + "/" + key, "out of range");
    return static_cast<int>(v);
}

inline bool boolean_or(const json& j, const char* key, const std::string& path, bool def) {
    if (!j.is_object() || !j.contains(key)) return def;
    const auto& v = j.at(key);
    if (!v.is_boolean()) fail(path + "/" + key, "expected true or false");
    return v.get<bool>();
}

inline instant when(const json& j, const char* key, const std::string& path) {
    auto text = str(j, key, path);
    auto t = parse_rfc3339(text);
    if (!t) fail(path + "/" + key, "expected an RFC 3339 instant, got '" + text + "'");
    return *t;
}

inline std::vector<std::string> strings_or(const json& j, const char* key, const std::string& path) {
    std::vector<std::string> out;
    if (!j.is_object() || !j.contains(key)) return out;
    const auto& v = j.at(key);
    if (!v.is_array()) fail(path + "/" + key, "expected an array of strings");
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) fail(path + "/" + key + "/" + std::to_string(i), "expected a string");
        out.push_back(v[i].get<std::string>());
    }
    return out;
}

template <class E>
inline E enum_value(const json& j, const char* key, const std::string& path,
             std::optional<E> (*parse)(std::string_view), const char* allowed) {
    auto text = str(j, key, path);
    auto v = parse(text);
    if (!v) fail(path + "/" + key, "expected one of " + std::string(allowed) + ", got '" + text + "'");
    return *v;
}

}  // namespace creneau::json_read
