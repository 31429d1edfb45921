#include "server/ops/log.hpp"

#include "common/core/json_text.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

#include <unistd.h>

namespace creneau::server::log {
namespace {

std::atomic<int> current_level{static_cast<int>(level::info)};
std::mutex write_mutex;

const char* name_of(level l) {
    switch (l) {
        case level::debug:
            return "debug";
        case level::info:
            return "info";
        case level::warn:
            return "warn";
        case level::error:
            return "error";
    }
    return "info";
}

std::string timestamp() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto secs = time_point_cast<seconds>(now);
    auto micros = duration_cast<microseconds>(now - secs).count();
    std::time_t t = system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(micros));
    return buf;
}

// A line's beginning: {"ts":…,"level":…,"msg":…
std::string opening(level l, std::string_view msg) {
    std::string text;
    text.reserve(256);
    text.append("{\"ts\":\"")
        .append(timestamp())
        .append("\",\"level\":\"")
        .append(name_of(l))
        .append("\",\"msg\":");
    append_json_string(text, msg);
    return text;
}

void put(const std::string& text) {
    std::lock_guard lock(write_mutex);
    // A log line that cannot be written is dropped: logging must never stop the server.
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace

void set_level(level l) {
    current_level = static_cast<int>(l);
}

void set_level(std::string_view name) {
    if (name == "debug")
        set_level(level::debug);
    else if (name == "warn")
        set_level(level::warn);
    else if (name == "error")
        set_level(level::error);
    else
        set_level(level::info);
}

bool enabled(level l) {
    return static_cast<int>(l) >= current_level.load(std::memory_order_relaxed);
}

void write(level l, std::string_view msg, const json& fields) {
    if (!enabled(l)) return;
    // Written field by field, in the order ts, level, msg, then the fields by name: one
    // allocation for the line instead of a second document.
    std::string text = opening(l, msg);
    if (fields.is_object())
        for (const auto& [k, v] : fields.items()) {
            if (k == "ts" || k == "level" || k == "msg") continue;
            text += ',';
            append_json_string(text, k);
            text.append(":").append(json_text(v));
        }
    text.append("}\n");
    put(text);
}

void access(const access_entry& r) {
    if (!enabled(level::info)) return;
    // The fields in the order `write` gives them (by name).
    std::string text = opening(level::info, "request");
    text.append(",\"bytes\":").append(std::to_string(r.bytes));
    text.append(",\"client\":");
    append_json_string(text, r.client);
    text.append(",\"duration_us\":").append(std::to_string(r.duration_us));
    text.append(",\"method\":");
    append_json_string(text, r.method);
    text.append(",\"path\":");
    append_json_string(text, r.path);
    text.append(",\"remote\":");
    append_json_string(text, r.remote);
    text.append(",\"route\":");
    append_json_string(text, r.route);
    text.append(",\"status\":").append(std::to_string(r.status)).append("}\n");
    put(text);
}

}  // namespace creneau::server::log
