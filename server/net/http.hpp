#pragma once
// Types and helpers shared by the HTTP parts of the server.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include "common/core/json.hpp"

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace creneau::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// A JSON answer with the given status.
response json_response(const request& req, http::status status, const json& body);
// The same, its body already written as JSON text (docs/architecture.md, "Answers written as
// text").
response json_text_response(const request& req, http::status status, std::string body);

// An RFC 9457 problem answer (application/problem+json) with a stable `code`.
// `extra` members (an object) are added to the body, e.g. the field at fault.
response problem_response(const request& req, http::status status, std::string_view code,
                          std::string_view detail, const json& extra = nullptr);

// A plain answer with the given content type.
response text_response(const request& req, http::status status, std::string body,
                       std::string_view content_type);

// The completion of a detached coroutine: an exception that escapes it is logged (with
// `what`) instead of ending the process.
std::function<void(std::exception_ptr)> log_escape(const char* what);

// Validators for the answer to a GET: a strong ETag from the body's hash, and the answer
// turned into 304 Not Modified when the client has that body already (If-None-Match). The
// browser then revalidates each time ("private, no-cache") instead of never storing it.
// An answer that carries an ETag already (page_response) is left as it is.
void revalidate(const request& req, response& res);

// The strong ETag of a body: a quoted hex BLAKE2b hash of its bytes.
std::string etag_of(std::string_view body);

// An answer's start line and fields, ending with the empty line, as Beast's serializer writes
// them for a body that is not chunked: written as one string with the body beside it in one
// gathered write (server/net/http_session.cpp), cheaper than the serializer for small answers.
std::string head_text(const http::response_header<>& head);

// A JSON answer of bytes rendered before, with their ETag: 304 without a body when the
// request's If-None-Match holds it.
response page_response(const request& req, const std::string& body, const std::string& etag);

// Whether an If-None-Match header (a list of validators, weak or strong, or "*") matches.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// A header field's value, or an item of it, without the blanks around it (spaces and tabs).
std::string_view trim_blanks(std::string_view v);

// Whether an item of a comma-separated field value, blanks trimmed, satisfies `pred`.
template <class Pred>
bool any_list_item(std::string_view list, Pred&& pred) {
    for (;;) {
        const auto comma = list.find(',');
        if (pred(trim_blanks(list.substr(0, comma)))) return true;
        if (comma == std::string_view::npos) return false;
        list.remove_prefix(comma + 1);
    }
}

// The path of a request target, without its query string.
std::string_view target_path(std::string_view target);

// The value of one cookie of a Cookie header, if present.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

// The decoded value of one query parameter, if present.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break; a cell a
// spreadsheet would take for a formula starts with an apostrophe.
std::string csv_cell(const std::string& v);

// A Content-Disposition value for a download, the file name reduced to safe characters.
std::string attachment(std::string_view filename);

// Percent-decoding ('+' is a space in query strings). Returns nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view in, bool plus_is_space);

}  // namespace creneau::server
