#pragma once
// Sending a mail: the MIME message (RFC 5322/2045/2047: UTF-8 headers encoded, plain text with
// an HTML alternative, calendar files attached), and its delivery over SMTP by libcurl.

#include "server/mail/compose.hpp"

#include <chrono>
#include <string>

namespace creneau::server {

// The whole message, CRLF line ends. `from` is "Name <address>" or an address; `date` is
// the Date header's instant; the Message-ID is made from the mail's key, so that a mail
// sent twice (a crash between the server's acceptance and our record of it) can be told.
std::string mime_message(const mail& m, const std::string& from, instant date);

// An SMTP server: smtp://[user:password@]host[:port] (STARTTLS when offered),
// smtp+starttls://… (STARTTLS required) or smtps://… (TLS from the start).
struct smtp_settings {
    std::string url;
    std::string from;  // the envelope sender and From header
    std::chrono::seconds timeout{30};
};

struct send_result {
    bool ok = false;
    bool permanent = false;  // the server refused the mail itself (5xx): retrying will not help
    std::string error;
};

// Sends one message; blocking (the outbox's worker thread calls it). Never throws.
send_result smtp_send(const smtp_settings& s, const mail& m);

// Whether a URL names an SMTP server this build can use (for the configuration's checks).
bool valid_smtp_url(const std::string& url);

}  // namespace creneau::server
