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
    if (!slot_free(s, r, c.start, c.end))
        return decision::refuse(
            error::slot_taken,
            r.name + " is already booked during this period (with set-up and clean-up)", "start");

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
    d.facts.push_back(reservation_requested{res});
    // No approval to wait for: the host's administrators booking their own rooms, or an
    // agreement that does not ask for it.
    if (host ? is_admin_of(ctx.who, owner) : !a->approval_required) approval_facts(s, res, d.facts);
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
    if (res->status != reservation_status::pending)
        return decision::refuse(error::not_pending,
                                "the reservation is " + std::string(name_of(res->status)));
    if (blank(c.reason))
        return decision::refuse(error::bad_request, "a refusal needs a reason", "reason");
    if (c.reason.size() > max_reason)
        return decision::refuse(error::bad_request, "the reason is longer than 1000 characters",
                                "reason");
    return {{reservation_refused{c.id, c.reason}}, {}};
}

decision decide_command(const state& s, const cancel_reservation& c, const context& ctx) {
    const reservation* res = s.find_reservation(c.id);
    if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
    if (!may_cancel(s, ctx.who, *res))
        return decision::refuse(error::forbidden,
                                "only the requesting organisation or the host may cancel");
    if (!res->active())
        return decision::refuse(error::already_ended,
                                "the reservation is " + std::string(name_of(res->status)));
    if (ctx.now >= res->end)
        return decision::refuse(error::already_ended, "the reservation is over");
    if (c.reason.size() > max_reason)
        return decision::refuse(error::bad_request, "the reason is longer than 1000 characters",
                                "reason");
    // A cancellation before the start gives the free unit (and quota minutes) back.
    bool releases = res->status == reservation_status::pending || ctx.now < res->start;
    return {{reservation_cancelled{c.id, c.reason, releases}}, {}};
}

}  // namespace creneau
