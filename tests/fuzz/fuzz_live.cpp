// Messages of the live channel: reading never crashes, and what is accepted keeps its bounds.

#include "server/live/live_protocol.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = creneau::server::parse_live_request(text);
    if (auto* ok = std::get_if<creneau::server::live_request>(&r)) {
        if (ok->topics.size() > 100) std::abort();
        for (const auto& t : ok->topics)
            if (t.size() > 200) std::abort();
    }
    return 0;
}
