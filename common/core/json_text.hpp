#pragma once
// JSON objects written as text, for the answers and live messages that are written without a
// document (docs/architecture.md, "Answers written as text").

#include "common/core/json.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace creneau {

// A document as every answer and message writes it: compact, ill-formed UTF-8 replaced by
// U+FFFD. The text writers here give the same bytes without the document.
std::string json_text(const json& j);

// Appends `s` as a JSON string: the bytes a document's dump writes for it (UTF-8 kept as it
// is, control characters escaped, ill-formed UTF-8 replaced by U+FFFD). False if it had to
// replace anything: a writer that must not store replaced bytes (the journal's) falls back to
// the document, whose strict dump refuses them.
bool append_json_string(std::string& out, std::string_view s);

// An object's members, written in the order a document prints them (the caller writes its
// keys sorted), each after a comma but the first; close() ends it. exact() tells whether every
// string it wrote was well-formed (none replaced).
class object_text {
  public:
    explicit object_text(std::string& out) : out_(out) { out_ += '{'; }
    object_text(const object_text&) = delete;
    object_text& operator=(const object_text&) = delete;

    // Writes the member's name; its value is appended to the string returned.
    std::string& key(std::string_view k) {
        out_ += first_ ? "\"" : ",\"";
        first_ = false;
        out_ += k;
        out_ += "\":";
        return out_;
    }
    void string(std::string_view k, std::string_view v) {
        exact_ = append_json_string(key(k), v) && exact_;
    }
    void integer(std::string_view k, std::int64_t v) { key(k) += std::to_string(v); }
    void boolean(std::string_view k, bool v) { key(k) += v ? "true" : "false"; }
    void time(std::string_view k, instant t) { key(k).append("\"").append(format_utc(t)) += '"'; }
    void strings(std::string_view k, const std::vector<std::string>& v) {
        auto& out = key(k);
        out += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out += ',';
            exact_ = append_json_string(out, v[i]) && exact_;
        }
        out += ']';
    }
    void close() { out_ += '}'; }
    bool exact() const { return exact_; }

  private:
    std::string& out_;
    bool first_ = true;
    bool exact_ = true;
};

}  // namespace creneau
