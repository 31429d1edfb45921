// RFC 3339 instants: never a crash; what parses prints back to the same instant.

#include "common/core/time.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto t = creneau::parse_rfc3339(text);
    if (!t) return 0;
    auto back = creneau::parse_rfc3339(creneau::format_utc(*t));
    if (!back || *back != *t) std::abort();
    (void)creneau::year_in_zone(*t, "Europe/Paris");
    return 0;
}
