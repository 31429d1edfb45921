#include "common/reservations/availability.hpp"

#include "common/catalogue/hours.hpp"

namespace creneau {

availability availability_of(const state& s, const std::string& resource_id, instant from,
                             instant to) {
    availability out;
    auto rit = s.resources.find(resource_id);
    if (rit == s.resources.end() || to <= from) return out;
    const resource& r = rit->second;

    std::vector<period> occupied;
    if (auto idx = s.active_by_start.find(resource_id); idx != s.active_by_start.end()) {
        // Start one before the window: that reservation may reach into it.
        auto it = idx->second.lower_bound(from - r.cleanup_minutes);
        if (it != idx->second.begin()) --it;
        for (; it != idx->second.end() && it->first < to; ++it) {
            const auto& res = s.reservations.at(it->second);
            if (res.end + r.cleanup_minutes <= from) continue;
            if (res.end > from && res.start < to)
                out.busy.push_back({res.start, res.end, res.status, res.id});
            occupied.push_back({res.start - r.setup_minutes, res.end + r.cleanup_minutes});
        }
    }

    auto open = open_periods(r, s.zone_of(resource_id), from, to);
    // Both lists are in time order and the occupied periods do not overlap: one merge pass.
    std::size_t k = 0;
    for (auto p : open) {
        while (k < occupied.size() && occupied[k].end <= p.start) ++k;
        std::size_t j = k;
        while (j < occupied.size() && occupied[j].start < p.end) {
            if (occupied[j].start > p.start) out.free.push_back({p.start, occupied[j].start});
            p.start = std::max(p.start, occupied[j].end);
            ++j;
        }
        if (p.start < p.end) out.free.push_back(p);
    }
    return out;
}

}  // namespace creneau
