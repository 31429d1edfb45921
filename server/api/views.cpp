#include "server/api/views.hpp"

#include "common/accounts/rules.hpp"
#include "common/privacy/rules.hpp"

namespace creneau::server {

json user_view(const state& s, const user& u) {
    auto org = s.organisations.find(u.organisation);
    json j = {{"id", u.id},
              {"email", u.email},
              {"name", u.name},
              {"role", u.role},
              {"organisation", u.organisation},
              {"organisation_name", org == s.organisations.end() ? "" : org->second.name},
              {"disabled", u.disabled},
              {"invited", u.password_hash.empty()},
              {"inactive", long_inactive(s, u.id, now_seconds())}};
    if (auto at = s.last_active.find(u.id); at != s.last_active.end()) {
        j["last_active"] = at->second;
        // Flagged: erased by the retention sweep then, unless an administrator keeps it.
        if (j["inactive"] == true)
            j["erasure_due"] = at->second + inactivity_limit + inactivity_grace;
    }
    return j;
}

json history_view(const state& s, const history_entry& h) {
    auto u = s.users.find(h.actor);
    return {{"seq", h.seq},       {"at", format_utc(h.at)},
            {"actor", h.actor},   {"actor_name", u == s.users.end() ? h.actor : u->second.name},
            {"action", h.action}, {"detail", h.detail}};
}

json reservation_view(const state& s, const reservation& r) {
    json j = r;
    j.erase("holds_unit");
    j.erase("rank");
    auto res = s.resources.find(r.resource);
    // A waiting request's place among those waiting for its period (the requests of the
    // room's list whose periods, buffers included, overlap its own), from 1.
    if (r.status == reservation_status::waiting && res != s.resources.end())
        if (auto w = s.room_waiting.find(r.resource); w != s.room_waiting.end()) {
            const auto before = res->second.setup_minutes;
            const auto after = res->second.cleanup_minutes;
            int place = 1;
            for (const auto& [rank, id] : w->second) {
                if (rank >= r.rank) break;
                const auto& x = s.reservations.at(id);
                if (x.start - before < r.end + after && r.start - before < x.end + after) ++place;
            }
            j["place"] = place;
        }
    j["resource_name"] = res == s.resources.end() ? r.resource : res->second.name;
    auto org = s.organisations.find(r.organisation);
    j["organisation_name"] = org == s.organisations.end() ? r.organisation : org->second.name;
    auto u = s.users.find(r.requester);
    j["requester_name"] = u == s.users.end() ? r.requester : u->second.name;
    return j;
}

}  // namespace creneau::server
