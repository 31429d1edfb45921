#include "common/core/json.hpp"

#include "common/core/json_text.hpp"

#include <cstdint>
#include <limits>

namespace creneau {

bool json_depth_within(std::string_view text, int max_depth) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > max_depth) return false;
        } else if (c == ']' || c == '}')
            --depth;
    }
    return true;
}

namespace {

// The length of the well-formed UTF-8 sequence that starts at s[i] with a byte of 0x80 or
// above (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t more = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (i + more >= s.size()) return 0;
    for (std::size_t k = 1; k <= more; ++k) {
        const auto d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0u) != 0x80u) return 0;
        cp = cp << 6 | (d & 0x3Fu);
    }
    if (more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
    if (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
    return more + 1;
}

void append_escaped(std::string& out, unsigned char c) {
    switch (c) {
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default: {
            constexpr char hex[] = "0123456789abcdef";
            const char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
            out.append(u, sizeof u);
        }
    }
}

}  // namespace

std::string json_text(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool append_json_string(std::string& out, std::string_view s) {
    const auto mark = out.size();
    out += '"';
    std::size_t run = 0;  // the first byte not yet written
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const auto n = utf8_sequence(s, i);
            if (!n) {
                // Rare (every string we hold came through a JSON reader): the document's own
                // writer and its replacements.
                out.resize(mark);
                out += json_text(json(std::string(s)));
                return false;
            }
            i += n;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        out.append(s.data() + run, i - run);
        append_escaped(out, c);
        run = ++i;
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
    return true;
}

json parse_untrusted(std::string_view text) {
    if (!json_depth_within(text)) return json(json::value_t::discarded);
    return json::parse(text, nullptr, false);
}

void rethrow_with_path(const std::exception& e, const std::string& path) {
    // nlohmann's messages read "[json.exception.type_error.302] type must be number, but is
    // string".
    std::string what = e.what();
    if (auto bracket = what.find("] "); bracket != std::string::npos) what.erase(0, bracket + 2);
    throw std::invalid_argument((path.empty() ? std::string("/") : path) + ": " + what);
}

namespace {

const char* kind_of(const json& j) {
    switch (j.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return "an integer";
        case json::value_t::number_float:
            return "a number with a fraction";
        case json::value_t::string:
            return "a string";
        case json::value_t::array:
            return "an array";
        case json::value_t::object:
            return "an object";
        default:
            return "nothing";
    }
}

[[noreturn]] void refuse(const std::string& path, const std::string& what) {
    throw std::invalid_argument((path.empty() ? std::string("/") : path) + ": " + what);
}

}  // namespace

void refuse_fractions(const json& sent, const std::string& path) {
    if (sent.is_number_float()) refuse(path, "expected an integer, got a number with a fraction");
    if (sent.is_array())
        for (std::size_t i = 0; i < sent.size(); ++i)
            refuse_fractions(sent[i], path + "/" + std::to_string(i));
    if (sent.is_object())
        for (const auto& [key, value] : sent.items()) refuse_fractions(value, path + "/" + key);
}

void check_shape(const json& sent, const json& written, const std::string& path) {
    if (written.is_null()) return;  // an optional left empty, or a value the reader drops
    if (written.is_number()) {
        if (!sent.is_number_integer())
            refuse(path, std::string("expected an integer, got ") + kind_of(sent));
        // Read into a narrower integer, a value out of its range comes back different.
        if (sent.is_number_unsigned() &&
            sent.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max())
            refuse(path, "out of range");
        if (sent.get<std::int64_t>() != written.get<std::int64_t>()) refuse(path, "out of range");
        return;
    }
    if (written.is_boolean() && !sent.is_boolean())
        refuse(path, std::string("expected true or false, got ") + kind_of(sent));
    if (written.is_string() && !sent.is_string())
        refuse(path, std::string("expected a string, got ") + kind_of(sent));
    if (written.is_array()) {
        if (!sent.is_array()) refuse(path, std::string("expected an array, got ") + kind_of(sent));
        for (std::size_t i = 0; i < sent.size() && i < written.size(); ++i)
            check_shape(sent[i], written[i], path + "/" + std::to_string(i));
    }
    if (written.is_object()) {
        if (!sent.is_object())
            refuse(path, std::string("expected an object, got ") + kind_of(sent));
        for (const auto& [key, value] : sent.items())
            if (auto w = written.find(key); w != written.end())
                check_shape(value, *w, path + "/" + key);
    }
}

}  // namespace creneau
