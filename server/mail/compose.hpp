#pragma once
// What each fact tells whom by e-mail (docs/notifications.md): a pure function of the state
// just before the fact and the fact itself, so that every instance, and every replay, derives
// the same mails with the same keys.

#include "common/facts.hpp"
#include "common/state.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace creneau::server {

struct mail_attachment {
    std::string filename;
    std::string content_type;  // e.g. "text/calendar; method=PUBLISH"
    std::string body;
};

struct mail {
    // One delivery per key: the fact's sequence number, the kind, and the recipient.
    std::string key;
    std::int64_t seq = 0;
    std::string kind;  // request-new, request-decided, quota-alert, registration …
    std::string to;    // the address
    std::string to_name;
    std::string lang;  // fr or en
    std::string subject;
    std::string text;  // plain text; the HTML alternative is made from it
    std::string link;  // the page of the app the mail is about
    std::vector<mail_attachment> attachments;
    instant at;       // when the fact happened
    instant expires;  // a one-time link's end: the mail is not sent after it (epoch: never)
};

// Opens the sealed token of a one-time link (the outbox's key), or nullopt.
using unsealer = std::function<std::optional<std::string>(const std::string&)>;

// The mails `f` causes, given the state just before it. `base_url` is the app's public
// address (no trailing slash), for the links.
std::vector<mail> mails_for(const state& before, const fact& f, const std::string& base_url,
                            const unsealer& unseal);

// The HTML alternative of a plain-text body: escaped, paragraphs kept, the link clickable.
std::string html_of(const mail& m);

}  // namespace creneau::server
