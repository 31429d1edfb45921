#include "common/access.hpp"
#include "common/agreements/quote.hpp"
#include "common/catalogue/hours.hpp"
#include "common/reservations/rules.hpp"

#include <algorithm>

namespace creneau {
namespace {

constexpr std::size_t max_title = 200;
constexpr std::size_t max_reason = 1000;
constexpr auto max_duration = std::chrono::hours(24 * 14);
constexpr std::size_t max_waiting = 50;  // waiting requests per room

// The request's own fields, before anything is looked up.
std::optional<decision> check_fields(const request_reservation& c) {
    if (c.resource.empty())
        return decision::refuse(error::bad_request, "resource is required", "resource");
    if (c.organisation.empty())
        return decision::refuse(error::bad_request, "organisation is required", "organisation");
    if (blank(c.title)) return decision::refuse(error::bad_request, "title is required", "title");
    if (c.title.size() > max_title)
        return decision::refuse(error::bad_request, "title is longer than 200 characters", "title");
    if (c.end <= c.start)
        return decision::refuse(error::bad_request, "end must be after start", "end");
    if (c.end - c.start > max_duration)
        return decision::refuse(error::bad_request, "a reservation lasts at most 14 days", "end");
    if (c.attendees < 1)
        return decision::refuse(error::bad_request, "attendees must be at least 1", "attendees");
    return std::nullopt;
}

// The layout asked for (a resource with one layout needs none named), and that the people
// and the equipment fit.
std::optional<decision> check_layout(const resource& r, const request_reservation& c,
                                     const layout*& lay) {
    lay = c.layout.empty() && r.layouts.size() == 1 ? &r.layouts.front() : r.find_layout(c.layout);
    if (!lay) {
        std::string known;
        for (const auto& l : r.layouts) known += (known.empty() ? "" : ", ") + l.id;
        return decision::refuse(error::unknown_layout,
                                r.name + " has no layout '" + c.layout + "' (" + known + ")",
                                "layout");
    }
    if (c.attendees > lay->capacity)
        return decision::refuse(error::over_capacity,
                                r.name + " holds " + std::to_string(lay->capacity) +
                                    " people in the " + lay->id + " layout",
                                "attendees");
    for (const auto& e : c.equipment)
        if (std::find(r.equipment.begin(), r.equipment.end(), e) == r.equipment.end())
            return decision::refuse(error::unknown_equipment,
                                    r.name + " has no equipment '" + e + "'", "equipment");
    return std::nullopt;
}

// No two active reservations of one resource overlap, buffers included.
bool slot_free(const state& s, const resource& r, instant start, instant end) {
    period occupied{start - r.setup_minutes, end + r.cleanup_minutes};
    auto idx = s.active_by_start.find(r.id);
    if (idx == s.active_by_start.end()) return true;
    auto next = idx->second.lower_bound(occupied.end);
    if (next == idx->second.begin()) return true;
    const auto& before = s.reservations.at(std::prev(next)->second);
    return before.end + r.cleanup_minutes <= occupied.start;
}

// The approval of a pending reservation: the approval fact, then any quota alerts.
void approval_facts(const state& s, const reservation& r, std::vector<fact_body>& out) {
    auto used = quota_minutes_of(s, r);
    out.push_back(reservation_approved{r.id, used});
    for (auto& alert : quota_alerts(s, r, used)) out.push_back(std::move(alert));
}

// Whether a request made now is approved at once: the host's administrators booking their own
// rooms, or an agreement that does not ask for approval.
bool approved_at_once(const state& s, const reservation& r, const actor& requester) {
    const std::string owner = s.owner_of(r.resource);
    if (r.organisation == owner) return is_admin_of(requester, owner);
    auto a = s.agreements.find(r.agreement);
    return a != s.agreements.end() && !a->second.approval_required;
}

bool overlaps(period a, period b) {
    return a.start < b.end && b.start < a.end;
}

period occupied_by(const resource& r, const reservation& x) {
    return {x.start - r.setup_minutes, x.end + r.cleanup_minutes};
}

// Whether `want` (occupied, buffers included) is free once `freed` is no longer active,
// with the reservations already promoted by this decision counted.
bool fits_after(const state& s, const resource& r, period want, const std::string& freed,
                const std::vector<const reservation*>& promoted) {
    for (const auto* p : promoted)
        if (overlaps(occupied_by(r, *p), want)) return false;
    auto idx = s.active_by_start.find(r.id);
    if (idx == s.active_by_start.end()) return true;
    // A reservation lasts at most max_duration: none starting earlier reaches `want`.
    auto it =
        idx->second.lower_bound(want.start - max_duration - r.setup_minutes - r.cleanup_minutes);
    for (; it != idx->second.end() && it->first < want.end; ++it) {
        if (it->second == freed) continue;
        if (overlaps(occupied_by(r, s.reservations.at(it->second)), want)) return false;
    }
    return true;
}

// Once `freed` (refused or cancelled) no longer holds its period, the waiting requests of its
// room that now fit, in the list's order, become pending (docs/domain.md, "Room waiting
// lists"); those approved at once when asked are approved too.
void promotions(const state& s, const reservation& freed, const context& ctx,
                std::vector<fact_body>& out) {
    auto w = s.room_waiting.find(freed.resource);
    if (w == s.room_waiting.end()) return;
    const resource& r = s.resources.at(freed.resource);
    const std::string zone = s.zone_of(r.id);
    std::vector<const reservation*> promoted;
    for (const auto& [rank, id] : w->second) {
        const reservation& cand = s.reservations.at(id);
        if (cand.start <= ctx.now) continue;  // its period began: it expires
        if (!within_open_hours(r, zone, cand.start, cand.end)) continue;
        if (!fits_after(s, r, occupied_by(r, cand), freed.id, promoted)) continue;
        promoted.push_back(&cand);
        out.push_back(reservation_promoted{id});
        actor requester{cand.requester, role::member, cand.organisation, false};
        if (auto u = s.users.find(cand.requester); u != s.users.end())
            requester.user_role = u->second.role;
        if (approved_at_once(s, cand, requester)) approval_facts(s, cand, out);
    }
}

}  // namespace

decision decide_command(const state& s, const request_reservation& c, const context& ctx) {
    if (auto no = check_fields(c)) return *no;
    auto rit = s.resources.find(c.resource);
    if (rit == s.resources.end())
        return decision::refuse(error::not_found, "no resource '" + c.resource + "'", "resource");
    const resource& r = rit->second;
    if (!s.organisations.count(c.organisation))
        return decision::refuse(error::not_found, "no organisation '" + c.organisation + "'",
                                "organisation");
    if (!may_act_for(ctx.who, c.organisation))
        return decision::refuse(error::forbidden, "you may only request for your own organisation",
                                "organisation");
    if (r.kind == resource_kind::opening_hours)
        return decision::refuse(error::not_bookable,
                                r.name + " is not booked: it is open at its published hours",
                                "resource");
    const layout* lay = nullptr;
    if (auto no = check_layout(r, c, lay)) return *no;
    if (c.start < ctx.now)
        return decision::refuse(error::in_the_past, "the period starts in the past", "start");
    const std::string zone = s.zone_of(r.id);
    if (!within_open_hours(r, zone, c.start, c.end))
        return decision::refuse(error::closed, r.name + " is closed during part of this period",
                                "start");

    const std::string owner = s.owner_of(r.id);
    const bool host = c.organisation == owner;
    const agreement* a =
        host ? nullptr : covering_agreement(s, c.organisation, owner, r.id, c.start);
    if (!host && !a)
        return decision::refuse(
            error::outside_agreement,
            "no agreement of '" + c.organisation + "' covers " + r.name + " on that date",
            "resource");
    if (a && c.start < add_calendar(ctx.now, a->zone, a->min_notice.months, a->min_notice.days))
        return decision::refuse(error::notice_too_short,
                                "agreement '" + a->id + "' asks for " +
                                    std::to_string(a->min_notice.months) + " months and " +
                                    std::to_string(a->min_notice.days) + " days of notice",
                                "start");
    const bool taken = !slot_free(s, r, c.start, c.end);
    if (taken && !c.wait)
        return decision::refuse(
            error::slot_taken,
            r.name + " is already booked during this period (with set-up and clean-up)", "start");
    if (taken) {
        // One place per organisation on a period's list, and a bounded list per room.
        auto w = s.room_waiting.find(r.id);
        if (w != s.room_waiting.end()) {
            if (w->second.size() >= max_waiting)
                return decision::refuse(error::conflict,
                                        r.name + "'s waiting list is full (" +
                                            std::to_string(max_waiting) + " requests)",
                                        "start");
            for (const auto& [rank, id] : w->second) {
                const auto& other = s.reservations.at(id);
                if (other.organisation == c.organisation &&
                    overlaps({other.start, other.end}, {c.start, c.end}))
                    return decision::refuse(
                        error::conflict,
                        "your organisation already waits for this period (" + other.id + ")",
                        "start");
            }
        }
    }

    reservation res;
    res.id = "r" + std::to_string(s.reservation_counter + 1);
    res.resource = r.id;
    res.start = c.start;
    res.end = c.end;
    res.layout = lay->id;
    res.attendees = c.attendees;
    res.organisation = c.organisation;
    res.requester = ctx.who.id;
    res.title = c.title;
    res.equipment = c.equipment;
    res.agreement = a ? a->id : "";
    res.year = year_in_zone(c.start, a ? a->zone : zone);
    res.quote = make_quote(s, r, a, std::chrono::duration_cast<minutes>(c.end - c.start), res.year,
                           res.holds_unit);
    res.created = ctx.now;

    decision d;
    if (taken) {
        res.status = reservation_status::waiting;
        res.rank = s.reservation_counter + 1;
        d.facts.push_back(reservation_requested{res});
        return d;
    }
    d.facts.push_back(reservation_requested{res});
    // No approval to wait for: the host's administrators booking their own rooms, or an
    // agreement that does not ask for it.
    if (approved_at_once(s, res, ctx.who)) approval_facts(s, res, d.facts);
    return d;
}

decision decide_command(const state& s, const approve_reservation& c, const context& ctx) {
    const reservation* res = s.find_reservation(c.id);
    if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
    if (!may_decide(s, ctx.who, *res))
        return decision::refuse(error::forbidden,
                                "only the host's administrators approve reservations");
    if (res->status != reservation_status::pending)
        return decision::refuse(error::not_pending,
                                "the reservation is " + std::string(name_of(res->status)));
    decision d;
    approval_facts(s, *res, d.facts);
    return d;
}

decision decide_command(const state& s, const refuse_reservation& c, const context& ctx) {
    const reservation* res = s.find_reservation(c.id);
    if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
    if (!may_decide(s, ctx.who, *res))
        return decision::refuse(error::forbidden,
                                "only the host's administrators refuse reservations");
    if (res->status != reservation_status::pending && res->status != reservation_status::waiting)
        return decision::refuse(error::not_pending,
                                "the reservation is " + std::string(name_of(res->status)));
    if (blank(c.reason))
        return decision::refuse(error::bad_request, "a refusal needs a reason", "reason");
    if (c.reason.size() > max_reason)
        return decision::refuse(error::bad_request, "the reason is longer than 1000 characters",
                                "reason");
    decision d{{reservation_refused{c.id, c.reason}}, {}};
    if (res->active()) promotions(s, *res, ctx, d.facts);
    return d;
}

decision decide_command(const state& s, const cancel_reservation& c, const context& ctx) {
    const reservation* res = s.find_reservation(c.id);
    if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
    if (!may_cancel(s, ctx.who, *res))
        return decision::refuse(error::forbidden,
                                "only the requesting organisation or the host may cancel");
    if (!res->active() && res->status != reservation_status::waiting)
        return decision::refuse(error::already_ended,
                                "the reservation is " + std::string(name_of(res->status)));
    if (ctx.now >= res->end)
        return decision::refuse(error::already_ended, "the reservation is over");
    if (c.reason.size() > max_reason)
        return decision::refuse(error::bad_request, "the reason is longer than 1000 characters",
                                "reason");
    // A cancellation before the start gives the free unit (and quota minutes) back.
    bool releases = res->status != reservation_status::approved || ctx.now < res->start;
    decision d{{reservation_cancelled{c.id, c.reason, releases}}, {}};
    if (res->active()) promotions(s, *res, ctx, d.facts);
    return d;
}

decision decide_command(const state& s, const reorder_room_waitlist& c, const context& ctx) {
    auto rit = s.resources.find(c.resource);
    if (rit == s.resources.end())
        return decision::refuse(error::not_found, "no resource '" + c.resource + "'", "resource");
    if (!is_admin_of(ctx.who, s.owner_of(c.resource)) && !is_operator(s, ctx.who))
        return decision::refuse(error::forbidden,
                                "only the room's administrators reorder its waiting list");
    std::vector<std::string> current;
    if (auto w = s.room_waiting.find(c.resource); w != s.room_waiting.end())
        for (const auto& [rank, id] : w->second) current.push_back(id);
    auto a = current, b = c.order;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b)
        return decision::refuse(error::conflict,
                                "the order must list exactly the requests waiting for " +
                                    rit->second.name + ", each once",
                                "order");
    if (c.order == current) return {};
    return {{room_waitlist_reordered{c.resource, c.order}}, {}};
}

decision decide_command(const state& s, const expire_waiting&, const context& ctx) {
    if (!ctx.who.system)
        return decision::refuse(error::forbidden, "only the server expires waiting requests");
    decision d;
    for (const auto& [resource, list] : s.room_waiting)
        for (const auto& [rank, id] : list)
            if (s.reservations.at(id).start <= ctx.now && d.facts.size() < max_expired_per_sweep)
                d.facts.push_back(reservation_cancelled{
                    id, "expired: the period began before it freed up", true});
    return d;
}

}  // namespace creneau
