#include "server/net/static_files.hpp"

#include <algorithm>
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

std::optional<std::string> decoded_segment(std::string_view raw) {
    auto s = url_decode(raw, false);
    if (!s || s->empty() || *s == "." || *s == ".." || s->front() == '.') return std::nullopt;
    if (s->find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) return std::nullopt;
    return s;
}

}  // namespace

bool path_within(const std::filesystem::path& inner, const std::filesystem::path& outer) {
    auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
    // A trailing empty component ("root/") matches anything below.
    return o == outer.end() || (std::next(o) == outer.end() && o->empty());
}

std::optional<std::filesystem::path> map_static_path(const std::filesystem::path& canonical_root,
                                                     std::string_view path) {
    if (path.empty() || path.front() != '/') return std::nullopt;
    path.remove_prefix(1);
    std::filesystem::path rel;
    while (!path.empty()) {
        auto slash = path.find('/');
        auto raw = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
        bool last = slash == std::string_view::npos || (path.empty());
        if (raw.empty()) return std::nullopt;  // "//": an absolute path would replace the root
        auto seg = decoded_segment(raw);
        if (!seg) return std::nullopt;
        rel /= *seg;
        if (last && slash != std::string_view::npos) rel /= "index.html";  // "folder/"
    }
    if (rel.empty()) rel = "index.html";
    std::error_code ec;
    auto file = std::filesystem::canonical(canonical_root / rel, ec);
    if (ec || !path_within(file, canonical_root)) return std::nullopt;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    return file;
}

std::variant<response, file_response> serve_static(const std::filesystem::path& canonical_root,
                                                   const request& req) {
    auto path = target_path(req.target());
    auto file = map_static_path(canonical_root, path);
    if (!file) return problem_response(req, http::status::not_found, "not-found", "No such file.");
    std::error_code ec;
    auto size = std::filesystem::file_size(*file, ec);
    auto mtime = std::filesystem::last_write_time(*file, ec).time_since_epoch().count();
    std::ostringstream tag;
    tag << "\"" << std::hex << size << "-" << mtime << "\"";
    const std::string etag = tag.str();

    auto headers = [&](auto& res) {
        res.set(http::field::etag, etag);
        // Pages are checked every time; other files are revalidated after five minutes, and
        // the npm packages (pinned by package-lock.json) are kept for a day.
        auto rel = file->lexically_relative(canonical_root);
        bool vendor = rel.begin() != rel.end() && *rel.begin() == "node_modules";
        res.set(http::field::cache_control, file->extension() == ".html" ? "no-cache"
                                            : vendor                     ? "public, max-age=86400"
                                                                         : "public, max-age=300");
        res.set(http::field::content_type, mime_of(*file));
        res.set("X-Content-Type-Options", "nosniff");
        if (file->extension() == ".html") {
            res.set("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                    "connect-src 'self'; "
                    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
            res.set("Referrer-Policy", "same-origin");
        }
        res.keep_alive(req.keep_alive());
    };

    if (req[http::field::if_none_match] == etag) {
        response res{http::status::not_modified, req.version()};
        headers(res);
        return res;
    }
    file_response res{http::status::ok, req.version()};
    headers(res);
    beast::error_code open_ec;
    res.body().open(file->c_str(), beast::file_mode::scan, open_ec);
    if (open_ec)
        return problem_response(req, http::status::not_found, "not-found", "No such file.");
    res.prepare_payload();
    return res;
}

}  // namespace creneau::server
