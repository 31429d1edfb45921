#pragma once
// Rules for the words that reach the domain: identifiers, e-mails, blank text.

#include <string>
#include <string_view>

namespace creneau {

// The one rule for identifiers that reach the domain (resources, organisations, agreements,
// grids, events, registrations, teams, codes, reservations, users, feed tokens): 1 to 100
// ASCII letters, digits, '-', '_' or '.', starting with a letter or a digit.
bool valid_id(std::string_view id);
// Identifiers that people choose for the catalogue and events: the same, in lower case.
bool valid_slug(std::string_view id);
// The key under which an e-mail is known (sign-in, uniqueness): lower case.
std::string email_key(std::string_view email);
// Whether a text is empty or only spaces.
bool blank(std::string_view text);

}  // namespace creneau
