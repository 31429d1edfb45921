#include "server/net/http.hpp"

#include "server/ops/log.hpp"

#include "common/core/json_text.hpp"

#include <sodium.h>

#include <cctype>

namespace creneau::server {

response json_response(const request& req, http::status status, const json& body) {
    return json_text_response(req, status, json_text(body));
}

response json_text_response(const request& req, http::status status, std::string body) {
    return text_response(req, status, std::move(body), "application/json");
}

response problem_response(const request& req, http::status status, std::string_view code,
                          std::string_view detail, const json& extra) {
    json body = {
        {"type", "urn:creneau:problem:" + std::string(code)},
        {"title", std::string(http::obsolete_reason(status))},
        {"status", static_cast<unsigned>(status)},
        {"detail", std::string(detail)},
        {"code", std::string(code)},
    };
    if (extra.is_object())
        for (const auto& [k, v] : extra.items()) body[k] = v;
    response res = json_response(req, status, body);
    res.set(http::field::content_type, "application/problem+json");
    // RFC 9110, 11.6.1: a 401 says how to authenticate (a bearer token, or the cookie).
    if (status == http::status::unauthorized)
        res.set(http::field::www_authenticate, "Bearer realm=\"creneau\"");
    return res;
}

response text_response(const request& req, http::status status, std::string body,
                       std::string_view content_type) {
    response res{status, req.version()};
    res.set(http::field::content_type, content_type);
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(body);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

std::string csv_cell(const std::string& text) {
    // A cell a spreadsheet would evaluate (=, +, -, @, or a tab or carriage return before
    // them) is neutralised with a leading apostrophe (OWASP, "CSV injection").
    std::string v =
        !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos
            ? "'" + text
            : text;
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string attachment(std::string_view filename) {
    // Only characters that need no quoting or escaping in a header (the names are built
    // from identifiers already; this keeps it true whatever changes).
    std::string safe;
    for (char c : filename)
        safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'
                    ? c
                    : '_';
    return "attachment; filename=\"" + safe + "\"";
}

std::function<void(std::exception_ptr)> log_escape(const char* what) {
    return [what](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            log::error("a connection failed", {{"where", what}, {"error", x.what()}});
        } catch (...) {
            log::error("a connection failed", {{"where", what}});
        }
    };
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto semi = header.find(';');
        auto part = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        auto eq = part.find('=');
        if (eq != std::string_view::npos && part.substr(0, eq) == name)
            return std::string(part.substr(eq + 1));
    }
    return std::nullopt;
}

std::string_view trim_blanks(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    return any_list_item(if_none_match, [&](std::string_view item) {
        if (item.rfind("W/", 0) == 0) item.remove_prefix(2);  // weak comparison (RFC 9110)
        return item == "*" || item == etag;
    });
}

std::string etag_of(std::string_view body) {
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(body.data()),
                       body.size(), nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    std::string etag;
    etag.reserve(sizeof hex + 1);
    etag.append("\"").append(hex).append("\"");
    return etag;
}

std::string head_text(const http::response_header<>& head) {
    std::string out;
    out.reserve(512);
    // Beast writes the status code with three digits.
    const unsigned code = head.result_int() % 1000;
    const char status[] = {static_cast<char>('0' + code / 100),
                           static_cast<char>('0' + code / 10 % 10),
                           static_cast<char>('0' + code % 10)};
    out.append("HTTP/")
        .append(1, static_cast<char>('0' + head.version() / 10 % 10))
        .append(1, '.')
        .append(1, static_cast<char>('0' + head.version() % 10))
        .append(1, ' ')
        .append(status, sizeof status)
        .append(1, ' ')
        .append(head.reason())
        .append("\r\n");
    for (const auto& field : head)
        out.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
    out.append("\r\n");
    return out;
}

void revalidate(const request& req, response& res) {
    if ((req.method() != http::verb::get && req.method() != http::verb::head) ||
        res.result() != http::status::ok || res.count(http::field::etag))
        return;
    const std::string etag = etag_of(res.body());
    res.set(http::field::etag, etag);
    if (res[http::field::cache_control].empty())
        res.set(http::field::cache_control, "private, no-cache");
    if (etag_matches(req[http::field::if_none_match], etag)) {
        res.result(http::status::not_modified);
        res.body().clear();
        res.erase(http::field::content_length);
    }
}

response page_response(const request& req, const std::string& body, const std::string& etag) {
    const bool same = etag_matches(req[http::field::if_none_match], etag);
    response res{same ? http::status::not_modified : http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::etag, etag);
    res.keep_alive(req.keep_alive());
    if (!same) {
        res.body() = body;
        res.prepare_payload();
    }
    return res;
}

std::string_view target_path(std::string_view target) {
    auto q = target.find('?');
    return q == std::string_view::npos ? target : target.substr(0, q);
}

std::optional<std::string> url_decode(std::string_view in, bool plus_is_space) {
    std::string out;
    out.reserve(in.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return std::nullopt;
            int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<std::string> query_param(std::string_view target, std::string_view name) {
    auto q = target.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        auto eq = pair.find('=');
        std::string_view key = pair.substr(0, eq);
        std::string_view value =
            eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        auto decoded_key = url_decode(key, true);
        if (decoded_key && *decoded_key == name) return url_decode(value, true);
    }
    return std::nullopt;
}

}  // namespace creneau::server
