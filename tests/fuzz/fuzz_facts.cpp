// Facts as the journal (or another instance through Redis) hands them over: decoding
// never crashes, refuses with std::invalid_argument, and what decodes round-trips.

#include "common/core/json.hpp"
#include "common/facts.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!creneau::json_depth_within(text)) return 0;
    auto j = creneau::json::parse(text, nullptr, false);
    if (j.is_discarded()) return 0;
    creneau::fact f;
    try {
        f = creneau::fact_from_json(j);
    } catch (const std::invalid_argument&) {
        return 0;
    }
    auto again = creneau::fact_from_json(creneau::json::parse(
        creneau::to_json(f).dump(-1, ' ', false, creneau::json::error_handler_t::replace)));
    if (!(again.seq == f.seq && again.at == f.at &&
          creneau::type_of(again.body) == creneau::type_of(f.body)))
        std::abort();
    return 0;
}
