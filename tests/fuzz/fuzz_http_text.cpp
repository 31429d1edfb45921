// Request targets, query strings and cookies: decoding never crashes, and what decodes
// never holds more bytes than it came from.

#include "server/net/http.hpp"

#include <cstdint>
#include <cstdlib>

using namespace creneau::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto path = target_path(text);
    if (path.size() > text.size()) std::abort();
    for (bool plus : {false, true})
        if (auto d = url_decode(text, plus); d && d->size() > text.size()) std::abort();
    for (const char* name : {"resource", "from", "to", "format", ""})
        if (auto v = query_param(text, name); v && v->size() > text.size()) std::abort();
    if (auto c = cookie_value(text, "creneau_session"); c && c->size() > text.size()) std::abort();
    auto cell = csv_cell(std::string(text));
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos)
        std::abort();
    auto disposition = attachment(text);
    if (disposition.find_first_of("\r\n\"", 22) != disposition.size() - 1) std::abort();
    return 0;
}
