// The web root's path mapping: whatever the path, the file it names (if any) lies under the
// web root, symbolic links leaving it included.

#include "server/net/static_files.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>

namespace fs = std::filesystem;
using namespace creneau::server;

namespace {

fs::path root;

void make_tree() {
    auto base = fs::temp_directory_path() /
                (std::string("creneau-fuzz-web-").append(std::to_string(::getpid())));
    fs::create_directories(base / "web" / "sub");
    fs::create_directories(base / "secret");
    std::ofstream(base / "web" / "index.html") << "<!doctype html>";
    std::ofstream(base / "web" / "app.js") << "0";
    std::ofstream(base / "web" / "sub" / "x.css") << "a{}";
    std::ofstream(base / "web" / ".hidden") << "no";
    std::ofstream(base / "secret" / "creneau.db") << "no";
    std::error_code ec;
    fs::create_directory_symlink(base / "secret", base / "web" / "out", ec);
    fs::create_symlink("/etc/passwd", base / "web" / "passwd", ec);
    root = fs::canonical(base / "web");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    make_tree();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view path(reinterpret_cast<const char*>(data), size);
    auto file = map_static_path(root, path);
    if (!file) return 0;
    if (!path_within(*file, root) || file->filename() == ".hidden") std::abort();
    return 0;
}
