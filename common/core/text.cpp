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

bool valid_name(std::string_view n, std::size_t max) {
    if (blank(n) || n.size() > max) return false;
    for (std::size_t i = 0; i < n.size(); ++i) {
        auto ch = static_cast<unsigned char>(n[i]);
        if (ch < 0x20 || ch == 0x7f) return false;
        // U+200B..U+200F, U+202A..U+202E, U+2060..U+206F (E2 80 8B..8F, E2 80 AA..AE, E2 81
        // A0..AF), U+FEFF (EF BB BF)
        if (ch == 0xE2 && i + 2 < n.size()) {
            auto b1 = static_cast<unsigned char>(n[i + 1]),
                 b2 = static_cast<unsigned char>(n[i + 2]);
            if (b1 == 0x80 && ((b2 >= 0x8B && b2 <= 0x8F) || (b2 >= 0xAA && b2 <= 0xAE)))
                return false;
            if (b1 == 0x81 && b2 >= 0xA0 && b2 <= 0xAF) return false;
        }
        if (ch == 0xEF && i + 2 < n.size() && static_cast<unsigned char>(n[i + 1]) == 0xBB &&
            static_cast<unsigned char>(n[i + 2]) == 0xBF)
            return false;
    }
    return true;
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
