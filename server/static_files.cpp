// The browser app: files of the web root, with their types and caching headers.

#include "server/api.hpp"
#include "server/routes.hpp"
#include "server/shared_state.hpp"

#include <fstream>
#include <sstream>

namespace creneau::server {
namespace {

std::string_view mime_of(const std::filesystem::path& p) {
    auto ext = p.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".map") return "application/json";
    if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

}  // namespace

net::awaitable<response> serve_static(const shared_state& st, call& c) {
    std::string path(target_path(c.req.target()));
    auto decoded = url_decode(path, false);
    if (!decoded || decoded->find('\0') != std::string::npos)
        co_return problem_response(c.req, http::status::bad_request, "bad-request", "Malformed path.");
    std::filesystem::path rel = decoded->substr(1);
    if (rel.empty() || decoded->back() == '/') rel /= "index.html";
    // Never leave the web root.
    for (const auto& part : rel)
        if (part == ".." || part.string().rfind(".", 0) == 0)
            co_return problem_response(c.req, http::status::not_found, "not-found", "No such file.");
    auto file = st.web_root / rel;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        co_return problem_response(c.req, http::status::not_found, "not-found", "No such path: " + path);
    auto size = std::filesystem::file_size(file, ec);
    auto mtime = std::filesystem::last_write_time(file, ec).time_since_epoch().count();
    std::ostringstream etag;
    etag << "\"" << std::hex << size << "-" << mtime << "\"";
    response res{http::status::ok, c.req.version()};
    res.set(http::field::etag, etag.str());
    // Pages are checked every time; other files are revalidated after five minutes, and
    // the npm packages (pinned by package-lock.json) are kept for a day.
    bool vendor = rel.begin() != rel.end() && *rel.begin() == "node_modules";
    res.set(http::field::cache_control, file.extension() == ".html" ? "no-cache"
                                        : vendor                     ? "public, max-age=86400"
                                                                     : "public, max-age=300");
    res.set(http::field::content_type, mime_of(file));
    res.set("X-Content-Type-Options", "nosniff");
    if (file.extension() == ".html") {
        res.set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'");
        res.set("Referrer-Policy", "same-origin");
    }
    res.keep_alive(c.req.keep_alive());
    if (c.req[http::field::if_none_match] == etag.str()) {
        res.result(http::status::not_modified);
        co_return res;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    res.body() = body.str();
    res.prepare_payload();
    co_return res;
}

}  // namespace creneau::server
