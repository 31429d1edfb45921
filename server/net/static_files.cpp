#include "server/net/static_files.hpp"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
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

// Quick settings: a first request compresses the file while its client waits (off the
// cache's lock), and the text files of the app shrink almost as much as at the slowest.
std::string gzip(const std::string& in) {
    z_stream z{};
    // 15 + 16: a gzip header and trailer around the deflate stream.
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
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
    if (!BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, in.size(),
                               reinterpret_cast<const std::uint8_t*>(in.data()), &size,
                               reinterpret_cast<std::uint8_t*>(out.data())))
        return {};
    out.resize(size);
    return out;
}

// Files larger than this travel as they are.
constexpr std::uintmax_t max_compressed_file = 2 * 1024 * 1024;

// The compressed forms of the app's text files, one per version of a file (its size and
// modification time) and encoding, made on first demand and kept in memory.
class compression_cache {
  public:
    std::shared_ptr<const std::string> get(const std::filesystem::path& file,
                                           const std::string& version, std::string_view encoding) {
        const std::string key = file.string() + '\n' + std::string(encoding);
        {
            std::lock_guard lock(mutex_);
            auto it = cache_.find(key);
            if (it != cache_.end() && it->second.first == version) return it->second.second;
        }
        std::ifstream in(file, std::ios::binary);
        std::ostringstream body;
        body << in.rdbuf();
        auto made = std::make_shared<const std::string>(encoding == "br" ? brotli(body.str())
                                                                         : gzip(body.str()));
        std::lock_guard lock(mutex_);
        cache_[key] = {version, made};
        return made;
    }

  private:
    std::mutex mutex_;
    std::map<std::string, std::pair<std::string, std::shared_ptr<const std::string>>> cache_;
};

compression_cache& cache() {
    static compression_cache c;
    return c;
}

std::string_view trim(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
}

// The encoding to send, from Accept-Encoding (RFC 9110): the client's preferred of brotli
// and gzip by their q-values (brotli on a tie); none if it refuses both (q=0).
std::string_view chosen_encoding(std::string_view accept) {
    double br = 0, gz = 0;
    while (!accept.empty()) {
        auto comma = accept.find(',');
        auto item = accept.substr(0, comma);
        accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
        auto semi = item.find(';');
        std::string name = std::string(trim(item.substr(0, semi)));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        double q = 1;
        if (semi != std::string_view::npos) {
            std::string param(trim(item.substr(semi + 1)));
            std::transform(param.begin(), param.end(), param.begin(),
                           [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
            if (param.rfind("q=", 0) == 0) {
                char* end = nullptr;
                q = std::strtod(param.c_str() + 2, &end);
                if (end == param.c_str() + 2 || q < 0 || q > 1) q = 0;
            }
        }
        if (name == "br") br = q;
        if (name == "gzip" || name == "x-gzip") gz = q;
    }
    if (br > 0 && br >= gz) return "br";
    if (gz > 0) return "gzip";
    return {};
}

// What the web root publishes: the app's own files, and of the npm packages only the built
// files of the three the app loads (not the test tools, not the package manifests).
bool published(const std::filesystem::path& rel) {
    auto first = rel.begin();
    if (first == rel.end()) return true;
    if (std::next(first) == rel.end())
        return *first != "package.json" && *first != "package-lock.json";
    if (*first != "node_modules") return true;
    const std::string path = rel.generic_string();
    return path.rfind("node_modules/@event-calendar/build/dist/", 0) == 0 ||
           path.rfind("node_modules/chart.js/dist/", 0) == 0 ||
           path.rfind("node_modules/qrcode-generator/dist/", 0) == 0;
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
    if (!published(rel)) return std::nullopt;
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
    const auto encoding = compressible(*file) && size <= max_compressed_file
                              ? chosen_encoding(req[http::field::accept_encoding])
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

    if (etag_matches(req[http::field::if_none_match], etag)) {
        response res{http::status::not_modified, req.version()};
        headers(res);
        return res;
    }
    if (!encoding.empty()) {
        auto made = cache().get(*file, version.str(), encoding);
        const std::string& body = *made;
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
