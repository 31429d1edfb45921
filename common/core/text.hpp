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
// The one rule for e-mail addresses (accounts, registrations, mails): printable ASCII, at most
// 254 bytes, one '@' with a local part before it and a domain with a dot inside it after it,
// and none of <>()[],;:\" that would let it say more than one address to an SMTP server or a
// header. Look-alike letters of other scripts and invisible characters cannot imitate someone's
// address.
bool valid_email(std::string_view email);
// A name people read (an account's, a registrant's, a team's): at most `max` characters (code
// points), something in it other than spaces, no control characters, no invisible or
// direction-changing ones that would make it show as another name (docs/domain.md, "Events").
bool valid_name(std::string_view name, std::size_t max = 200);
// A mail sender as the configuration gives it (--mail-from): "Name <address>", "\"Name\"
// <address>" or an address. The one reading of it, for its check and for the From header.
struct sender {
    std::string name;        // its words without quotes and escapes; "" when it names nobody
    std::string address;     // in the angle brackets, or the whole text without them
    bool bracketed = false;  // the address was in angle brackets, closed at the text's end
    bool closed = true;      // every quoted word in the name is closed
};
// Reads the name as RFC 5322's phrase: words, plain or in double quotes, in which a backslash
// stands for the character after it.
sender split_sender(std::string_view from);
// The key under which an e-mail is known (sign-in, uniqueness): lower case.
std::string email_key(std::string_view email);
// Whether a text is empty or only spaces.
bool blank(std::string_view text);

}  // namespace creneau
