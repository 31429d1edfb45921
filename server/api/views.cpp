#include "server/api/views.hpp"

#include "common/accounts/rules.hpp"
#include "common/core/json_text.hpp"
#include "common/facts_text.hpp"
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

namespace {

// A waiting request's place among those waiting for its period (the requests of the room's
// list whose periods, buffers included, overlap its own), from 1.
std::optional<int> place_of(const state& s, const reservation& r) {
    if (r.status != reservation_status::waiting) return std::nullopt;
    auto res = s.resources.find(r.resource);
    auto w = s.room_waiting.find(r.resource);
    if (res == s.resources.end() || w == s.room_waiting.end()) return std::nullopt;
    const auto before = res->second.setup_minutes;
    const auto after = res->second.cleanup_minutes;
    int place = 1;
    for (const auto& [rank, id] : w->second) {
        if (rank >= r.rank) break;
        const auto& x = s.reservations.at(id);
        if (x.start - before < r.end + after && r.start - before < x.end + after) ++place;
    }
    return place;
}

template <class Map>
std::string_view name_in(const Map& m, const std::string& id) {
    auto it = m.find(id);
    return it == m.end() ? std::string_view(id) : std::string_view(it->second.name);
}

}  // namespace

json reservation_view(const state& s, const reservation& r) {
    return json::parse(reservation_view_text(s, r));
}

std::string reservation_view_text(const state& s, const reservation& r) {
    std::string out;
    out.reserve(1024);
    append_reservation(out, s, r);
    return out;
}

void append_reservation(std::string& out, const state& s, const reservation& r,
                        const reservation_text& how) {
    // The members of the reservation's document (common/reservations/model.hpp) but its
    // bookkeeping (holds_unit, rank), with the names beside the ids.
    object_text o(out);
    o.string("agreement", r.agreement);
    o.integer("attendees", r.attendees);
    o.time("created", r.created);
    o.time("end", r.end);
    o.strings("equipment", r.equipment);
    o.string("id", r.id);
    o.string("layout", r.layout);
    o.string("organisation", r.organisation);
    o.string("organisation_name", name_in(s.organisations, r.organisation));
    if (how.as_read)
        if (auto place = place_of(s, r)) o.integer("place", *place);
    o.integer("quota_minutes", r.quota_minutes);
    append_quote(o.key("quote"), r.quote);
    o.string("reason", r.reason);
    o.string("requester", r.requester);
    o.string("requester_name", name_in(s.users, r.requester));
    o.string("resource", r.resource);
    if (how.as_read) o.string("resource_name", name_in(s.resources, r.resource));
    o.integer("revision", r.revision);
    o.string("series", r.series);
    o.time("start", r.start);
    o.string("status", how.status ? *how.status : name_of(r.status));
    o.string("title", r.title);
    o.integer("year", r.year);
    o.close();
}

}  // namespace creneau::server
