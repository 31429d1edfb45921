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
