#include "common/core/text.hpp"

#include <algorithm>
#include <cctype>

namespace creneau {

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 100 || !std::isalnum(static_cast<unsigned char>(id.front())))
        return false;
    return std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return c < 0x80 && (std::isalnum(c) || c == '-' || c == '_' || c == '.');
    });
}

bool valid_slug(std::string_view id) {
    return valid_id(id) &&
           std::none_of(id.begin(), id.end(), [](unsigned char c) { return std::isupper(c); });
}

bool valid_email(std::string_view email) {
    if (email.empty() || email.size() > 254) return false;
    constexpr std::string_view forbidden = "<>()[],;:\\\"";
    for (unsigned char c : email)  // ASCII only: no SMTPUTF8 is asked of a mail server
        if (c <= 0x20 || c >= 0x7f ||
            forbidden.find(static_cast<char>(c)) != std::string_view::npos)
            return false;
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 ||
        email.find('@', at + 1) != std::string_view::npos)
        return false;
    const auto domain = email.substr(at + 1);
    return domain.size() >= 3 && domain.find('.') != std::string_view::npos &&
           domain.front() != '.' && domain.back() != '.';
}

bool valid_name(std::string_view name, std::size_t max) {
    std::size_t characters = 0;
    bool shown = false;  // something other than a space
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(name[i]);
        if ((b0 & 0xC0) != 0x80) ++characters;  // a code point starts here
        if (b0 < 0x20 || b0 == 0x7f) return false;
        const auto b1 = i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0;
        const auto b2 = i + 2 < name.size() ? static_cast<unsigned char>(name[i + 2]) : 0;
        // C1 controls, U+0080..U+009F (C2 80..9F).
        if (b0 == 0xC2 && b1 >= 0x80 && b1 <= 0x9F) return false;
        // U+061C, the Arabic letter mark (D8 9C).
        if (b0 == 0xD8 && b1 == 0x9C) return false;
        if (b0 == 0xE2 && b1 == 0x80) {
            // U+200B zero width space, U+200E..U+200F marks, U+2028..U+2029 line and paragraph
            // separators, U+202A..U+202E embeddings and overrides. U+200C and U+200D join
            // letters in Persian names and emoji, and stay.
            if (b2 == 0x8B || b2 == 0x8E || b2 == 0x8F || (b2 >= 0xA8 && b2 <= 0xAE)) return false;
        }
        // U+2060..U+206F: joiners, invisible operators, isolates (E2 81 A0..AF).
        if (b0 == 0xE2 && b1 == 0x81 && b2 >= 0xA0 && b2 <= 0xAF) return false;
        // U+FEFF, the byte-order mark (EF BB BF).
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) return false;
        const bool space = b0 == ' ' || (b0 == 0xC2 && b1 == 0xA0) ||
                           (b0 == 0xE3 && b1 == 0x80 && b2 == 0x80);  // U+3000
        if (!space && (b0 & 0xC0) != 0x80) shown = true;
    }
    return shown && characters <= max;
}

sender split_sender(std::string_view from) {
    sender s;
    const auto lt = from.rfind('<');
    if (lt == std::string_view::npos || from.back() != '>') {
        s.address = std::string(from);
        return s;
    }
    s.bracketed = true;
    s.address = std::string(from.substr(lt + 1, from.size() - lt - 2));
    bool quoted = false;
    for (std::size_t i = 0; i < lt; ++i) {
        const char c = from[i];
        if (quoted && c == '\\' && i + 1 < lt)
            s.name += from[++i];
        else if (c == '"')
            quoted = !quoted;
        else
            s.name += c;
    }
    s.closed = !quoted;
    const auto first = s.name.find_first_not_of(' ');
    s.name = first == std::string::npos
                 ? ""
                 : s.name.substr(first, s.name.find_last_not_of(' ') - first + 1);
    return s;
}

std::string email_key(std::string_view email) {
    std::string out(email);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

}  // namespace creneau
