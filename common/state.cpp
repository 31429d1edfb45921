#include "common/state.hpp"

namespace creneau {

const reservation* state::find_reservation(const std::string& id) const {
    auto it = reservations.find(id);
    return it == reservations.end() ? nullptr : &it->second;
}

std::string state::owner_of(const std::string& resource_id) const {
    auto r = resources.find(resource_id);
    if (r == resources.end()) return {};
    auto s = sites.find(r->second.site);
    return s == sites.end() ? std::string{} : s->second.owner;
}

std::string state::zone_of(const std::string& resource_id) const {
    auto r = resources.find(resource_id);
    if (r == resources.end()) return "UTC";
    auto s = sites.find(r->second.site);
    return s == sites.end() ? std::string{"UTC"} : s->second.zone;
}

}  // namespace creneau
