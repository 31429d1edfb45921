#include "server/net/static_files.hpp"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
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

bool compressible(const std::filesystem::path& p) {
    auto ext = p.extension().string();
    return ext == ".html" || ext == ".js" || ext == ".mjs" || ext == ".css" || ext == ".json" ||
           ext == ".svg" || ext == ".map" || ext == ".txt" || ext == ".md";
}

std::optional<std::string> decoded_segment(std::string_view raw) {
    auto s = url_decode(raw, false);
    if (!s || s->empty() || *s == "." || *s == ".." || s->front() == '.') return std::nullopt;
    if (s->find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) return std::nullopt;
    return s;
}

std::string gzip(const std::string& in) {
    z_stream z{};
    // 15 + 16: a gzip header and trailer around the deflate stream.
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    std::string out(deflateBound(&z, in.size()) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string{};
}

std::string brotli(const std::string& in) {
    std::string out(BrotliEncoderMaxCompressedSize(in.size()) + 64, '\0');
    std::size_t size = out.size();
    if (!BrotliEncoderCompress(BROTLI_MAX_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT,
                               in.size(), reinterpret_cast<const std::uint8_t*>(in.data()), &size,
                               reinterpret_cast<std::uint8_t*>(out.data())))
        return {};
    out.resize(size);
    return out;
}

// The compressed forms of the app's text files, made once per version of a file (its size
// and modification time), kept in memory.
struct compressed {
    std::string gzip;
    std::string brotli;
};

class compression_cache {
  public:
    std::shared_ptr<const compressed> get(const std::filesystem::path& file,
                                          const std::string& version) {
        std::lock_guard lock(mutex_);
        auto& slot = cache_[file.string()];
        if (slot.first != version || !slot.second) {
            std::ifstream in(file, std::ios::binary);
            std::ostringstream body;
            body << in.rdbuf();
            auto made = std::make_shared<compressed>();
            made->gzip = gzip(body.str());
            made->brotli = brotli(body.str());
            slot = {version, made};
        }
        return slot.second;
    }

  private:
    std::mutex mutex_;
    std::map<std::string, std::pair<std::string, std::shared_ptr<const compressed>>> cache_;
};

compression_cache& cache() {
    static compression_cache c;
    return c;
}

// The encoding to send: brotli, then gzip, if the client takes them (q=0 refuses).
std::string_view chosen_encoding(std::string_view accept) {
    auto takes = [&](std::string_view name) {
        auto at = accept.find(name);
        if (at == std::string_view::npos) return false;
        auto rest = accept.substr(at + name.size(), 8);
        return rest.rfind(";q=0", 0) != 0 || rest.rfind(";q=0.", 0) == 0;
    };
    if (takes("br")) return "br";
    if (takes("gzip")) return "gzip";
    return {};
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
        bool last = slash == std::string_view::npos || path.empty();
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
    std::ostringstream version;
    version << std::hex << size << "-" << mtime;
    const auto encoding = compressible(*file) ? chosen_encoding(req[http::field::accept_encoding])
                                              : std::string_view{};
    // One validator per representation: the encoded bytes differ.
    std::string etag = "\"";
    etag.append(version.str());
    if (!encoding.empty()) etag.append("-").append(encoding);
    etag.append("\"");

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
        if (compressible(*file)) res.set(http::field::vary, "Accept-Encoding");
        if (file->extension() == ".html") {
            res.set(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
            res.set("Referrer-Policy", "same-origin");
        }
        res.keep_alive(req.keep_alive());
    };

    if (req[http::field::if_none_match] == etag) {
        response res{http::status::not_modified, req.version()};
        headers(res);
        return res;
    }
    if (!encoding.empty()) {
        auto made = cache().get(*file, version.str());
        const std::string& body = encoding == "br" ? made->brotli : made->gzip;
        if (!body.empty()) {
            response res{http::status::ok, req.version()};
            headers(res);
            res.set(http::field::content_encoding, encoding);
            res.body() = body;
            res.prepare_payload();
            return res;
        }
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
