#include "server/mail/smtp.hpp"

#include "common/core/text.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <ctime>
#include <memory>

namespace creneau::server {
namespace {

std::string base64(std::string_view data) {
    if (data.empty()) return {};
    std::string out(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                      data.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

// Base64 in lines of 76 characters, CRLF after each.
std::string base64_lines(std::string_view data) {
    auto b = base64(data);
    std::string out;
    for (std::size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
    return out;
}

bool plain_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x7f || c < 0x20) return false;
    return true;
}

// An RFC 2047 encoded-word for a header value, split so that no word passes 75 characters and
// no UTF-8 sequence is cut.
std::string header_words(std::string_view text) {
    if (plain_ascii(text)) return std::string(text);
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t n = 0;
        while (i + n < text.size() && n < 45) {
            auto c = static_cast<unsigned char>(text[i + n]);
            std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
            if (n + len > 45 && n > 0) break;
            n += len;
        }
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(text.substr(i, n)) + "?=";
        i += n;
    }
    return out;
}

// Keeps header values on one line: no CR, LF or other control character.
std::string one_line(std::string_view text) {
    std::string out;
    for (unsigned char c : text) out += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
    return out;
}

// "<address>"
std::string angle(const std::string& address) {
    std::string out;
    out.reserve(address.size() + 2);
    out += '<';
    out += address;
    out += '>';
    return out;
}

std::string mailbox(const std::string& name, const std::string& address) {
    auto addr = one_line(address);
    if (name.empty()) return "<" + addr + ">";
    auto n = one_line(name);
    if (plain_ascii(n)) {
        std::string quoted = "\"";
        for (char c : n) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        return quoted + "\" <" + addr + ">";
    }
    return header_words(n) + " <" + addr + ">";
}

std::string rfc5322_date(instant t) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                  tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

std::string domain_of(const std::string& address) {
    auto at = address.rfind('@');
    auto d = at == std::string::npos ? std::string("creneau.invalid") : address.substr(at + 1);
    std::string out;
    for (char c : d)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') out += c;
    return out.empty() ? "creneau.invalid" : out;
}

std::string boundary_of(const mail& m, const char* part) {
    unsigned char digest[12];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(m.key.data()),
                       m.key.size(), nullptr, 0);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string("=_creneau_") + part + "_" + hex;
}

struct reader {
    const std::string* text;
    std::size_t at = 0;
};

std::size_t read_message(char* buf, std::size_t size, std::size_t count, void* p) {
    auto* r = static_cast<reader*>(p);
    std::size_t n = std::min(size * count, r->text->size() - r->at);
    std::copy_n(r->text->data() + r->at, n, buf);
    r->at += n;
    return n;
}

struct curl_deleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct list_deleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string mime_message(const mail& m, const std::string& from, instant date) {
    const auto who = split_sender(from);
    const auto& from_address = who.address;
    // An address alone, or "<address>", names nobody: the mail comes from Créneau.
    const auto from_name = who.name.empty() ? std::string("Créneau") : who.name;
    std::string msg;
    msg += "From: " + mailbox(from_name, from_address) + "\r\n";
    msg += "To: " + mailbox(m.to_name, m.to) + "\r\n";
    msg += "Subject: " + header_words(one_line(m.subject)) + "\r\n";
    msg += "Date: " + rfc5322_date(date) + "\r\n";
    msg += "Message-ID: <" + m.key + "@" + domain_of(from_address) + ">\r\n";
    msg += "Content-Language: " + m.lang + "\r\n";
    msg += "Auto-Submitted: auto-generated\r\n";
    msg += "X-Creneau-Kind: " + m.kind + "\r\n";
    msg += "MIME-Version: 1.0\r\n";
    const auto mixed = boundary_of(m, "mixed"), alt = boundary_of(m, "alt");
    const bool attached = !m.attachments.empty();
    if (attached) {
        msg += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
        msg += "--" + mixed + "\r\n";
    }
    msg += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
    msg += "--" + alt + "\r\n";
    msg += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    msg += base64_lines(m.text);
    msg += "--" + alt + "\r\n";
    msg += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    msg += base64_lines(html_of(m));
    msg += "--" + alt + "--\r\n";
    if (attached) {
        for (const auto& a : m.attachments) {
            msg += "\r\n--" + mixed + "\r\n";
            msg += "Content-Type: " + one_line(a.content_type) + "\r\n";
            msg += "Content-Disposition: attachment; filename=\"" + one_line(a.filename) + "\"\r\n";
            msg += "Content-Transfer-Encoding: base64\r\n\r\n";
            msg += base64_lines(a.body);
        }
        msg += "--" + mixed + "--\r\n";
    }
    return msg;
}

bool valid_smtp_url(const std::string& url) {
    for (const char* scheme : {"smtp://", "smtps://", "smtp+starttls://"})
        if (url.rfind(scheme, 0) == 0 && url.size() > std::string_view(scheme).size()) return true;
    return false;
}

send_result smtp_send(const smtp_settings& s, const mail& m) {
    send_result out;
    std::unique_ptr<CURL, curl_deleter> curl(curl_easy_init());
    if (!curl) {
        out.error = "libcurl could not start";
        return out;
    }
    std::string url = s.url;
    long tls = CURLUSESSL_TRY;
    if (url.rfind("smtp+starttls://", 0) == 0) {
        url = "smtp://" + url.substr(16);
        tls = CURLUSESSL_ALL;
    } else if (url.rfind("smtps://", 0) == 0) {
        tls = CURLUSESSL_ALL;
    } else if (url.find('@') != std::string::npos) {
        tls = CURLUSESSL_ALL;  // credentials never travel in clear: STARTTLS is required then
    }
    const auto message = mime_message(
        m, s.from, std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now()));
    reader r{&message};
    const auto from = angle(split_sender(s.from).address);
    const auto to = angle(one_line(m.to));
    std::unique_ptr<curl_slist, list_deleter> rcpt(curl_slist_append(nullptr, to.c_str()));
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_USE_SSL, tls);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, &r);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(s.timeout.count()));
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    auto code = curl_easy_perform(c);
    if (code == CURLE_OK) {
        out.ok = true;
        return out;
    }
    long response = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response);
    // Refusals of the mailbox or the address are final; anything else (the server away, busy,
    // refusing our credentials until someone fixes them) is tried again.
    out.permanent = response == 501 || (response >= 550 && response <= 559);
    out.error = std::string(curl_easy_strerror(code)) + (error[0] ? std::string(": ") + error : "");
    if (response) out.error += " (SMTP " + std::to_string(response) + ")";
    return out;
}

}  // namespace creneau::server
