#include "support/http_client.hpp"
#include "support/text.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <mutex>

namespace creneau::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Whether the text nests arrays and objects at most `limit` deep (the parser recurses).
bool shallow(const std::string& text, int limit = 200) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

// A JSON body as JSON, anything else as null: hostile bodies (too big, too deep, not JSON)
// are recorded as not JSON.
nlohmann::json json_or_null(const std::string& text) {
    if (text.empty() || text.size() > 1024 * 1024 || !shallow(text)) return nullptr;
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

// With CRENEAU_RECORD_ANSWERS naming a folder, every exchange is appended to a file of this
// process in it, one JSON object per line: tests/contract/answers.test.mjs checks each answer
// against the operation of the API document it belongs to.
void record(http::verb method, const std::string& target, const std::string& body,
            const http_reply& reply) {
    static const char* folder = std::getenv("CRENEAU_RECORD_ANSWERS");
    if (!folder || !*folder) return;
    static std::mutex lock;
    std::lock_guard hold(lock);
    static std::ofstream out(
        std::string(folder) + "/answers-" + std::to_string(::getpid()) + ".jsonl", std::ios::app);
    nlohmann::json line = {
        {"method", std::string(http::to_string(method))},
        {"target", target},
        {"request", json_or_null(body)},
        {"status", reply.status},
        {"type", reply.header("content-type")},
        {"body", json_or_null(reply.body)},
        {"length", reply.body.size()},
    };
    out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'
        << std::flush;
}

}  // namespace

http_reply http_call(std::uint16_t port, http::verb method, const std::string& target,
                     const std::string& body, const std::map<std::string, std::string>& headers) {
    return http_call_from("", port, method, target, body, headers);
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout);
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    net::write(stream.socket(), net::buffer(bytes));
    std::string out;
    char buf[4096];
    for (;;) {
        beast::error_code ec;
        auto n = stream.read_some(net::buffer(buf), ec);
        out.append(buf, n);
        if (ec) break;
    }
    return out;
}

http_reply http_call_from(const std::string& source, std::uint16_t port, http::verb method,
                          const std::string& target, const std::string& body,
                          const std::map<std::string, std::string>& headers) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(60));
    if (!source.empty()) {
        stream.socket().open(net::ip::tcp::v4());
        stream.socket().bind(net::ip::tcp::endpoint(net::ip::make_address(source), 0));
    }
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));

    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, numbered("127.0.0.1:", port));
    req.set(http::field::connection, "close");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == http::verb::post || method == http::verb::put ||
        method == http::verb::patch) {
        if (headers.find("Content-Type") == headers.end())
            req.set(http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
    }
    http::write(stream, req);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(method == http::verb::head);  // the GET's Content-Length, and no body
    http::read(stream, buffer, parser);
    auto res = parser.release();

    http_reply out;
    out.status = res.result_int();
    for (const auto& field : res) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.headers[name] = std::string(field.value());
    }
    out.body = res.body();
    beast::error_code ec;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    record(method, target, body, out);
    return out;
}

}  // namespace creneau::test
