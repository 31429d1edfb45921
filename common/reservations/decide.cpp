#include "common/access.hpp"
#include "common/agreements/quote.hpp"
#include "common/catalogue/hours.hpp"
#include "common/domain.hpp"
#include "common/reservations/rules.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace creneau {
namespace {

constexpr std::size_t max_title = 200;
constexpr std::size_t max_reason = 1000;
constexpr auto max_duration = std::chrono::hours(24 * 14);
constexpr std::size_t max_waiting = 50;          // waiting requests per room
constexpr std::size_t max_waiting_per_org = 10;  // of them, one organisation's

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
void approval_facts(const state& s, const reservation& r, std::vector<fact_body>& out,
                    bool automatic = false) {
    auto used = quota_minutes_of(s, r);
    out.push_back(reservation_approved{r.id, used, automatic});
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

// Whether `want` (occupied, buffers included) is free once `freed` are no longer active,
// with the reservations already promoted by this decision counted.
bool fits_after(const state& s, const resource& r, period want, const std::set<std::string>& freed,
                const std::vector<const reservation*>& promoted) {
    for (const auto* p : promoted)
        if (overlaps(occupied_by(r, *p), want)) return false;
    auto idx = s.active_by_start.find(r.id);
    if (idx == s.active_by_start.end()) return true;
    // A reservation lasts at most max_duration: none starting earlier reaches `want`.
    auto it =
        idx->second.lower_bound(want.start - max_duration - r.setup_minutes - r.cleanup_minutes);
    for (; it != idx->second.end() && it->first < want.end; ++it) {
        if (freed.count(it->second)) continue;
        if (overlaps(occupied_by(r, s.reservations.at(it->second)), want)) return false;
    }
    return true;
}

// Once `freed` (refused or cancelled reservations of `room`) no longer hold their periods, the
// waiting requests of the room that now fit, in the list's order, become pending
// (docs/domain.md, "Room waiting lists"); those approved at once when asked are approved too.
void promotions(const state& s, const std::string& room, const std::set<std::string>& freed,
                const context& ctx, std::vector<fact_body>& out) {
    auto w = s.room_waiting.find(room);
    if (w == s.room_waiting.end() || freed.empty()) return;
    const resource& r = s.resources.at(room);
    const std::string zone = s.zone_of(r.id);
    std::vector<const reservation*> promoted;
    for (const auto& [rank, id] : w->second) {
        const reservation& cand = s.reservations.at(id);
        if (cand.start <= ctx.now) continue;  // its period began: it expires
        if (!within_open_hours(r, zone, cand.start, cand.end)) continue;
        if (!fits_after(s, r, occupied_by(r, cand), freed, promoted)) continue;
        promoted.push_back(&cand);
        out.push_back(reservation_promoted{id});
        // Approved at once only for a requester who still could be: an account in use, with
        // the role it has now.
        auto u = s.users.find(cand.requester);
        if (u == s.users.end() || u->second.disabled) continue;
        const actor requester{cand.requester, u->second.role, u->second.organisation, false};
        if (approved_at_once(s, cand, requester)) approval_facts(s, cand, out, true);
    }
}

// The catalogue, the agreements and their counters: what the rules read besides reservations.
state rules_part(const state& s) {
    state x;
    x.seq = s.seq;
    x.operator_org = s.operator_org;
    x.sites = s.sites;
    x.resources = s.resources;
    x.organisations = s.organisations;
    x.tariffs = s.tariffs;
    x.agreements = s.agreements;
    x.allowances = s.allowances;
    x.quotas = s.quotas;
    return x;
}

// The requests of one allowance not yet decided (pending, or waiting for their period), in the
// order they were made.
std::vector<const reservation*> open_requests(const state& s, const counter_key& k) {
    std::vector<const reservation*> out;
    auto of_key = [&](const reservation& r) {
        return r.agreement == k.agreement && r.year == k.year &&
               (r.status == reservation_status::pending || r.status == reservation_status::waiting);
    };
    // A year in any zone lies within a day of the UTC year.
    const instant from = std::chrono::sys_days{std::chrono::year{k.year} / 1 / 1} -
                         std::chrono::hours(24) - max_duration;
    const instant to =
        std::chrono::sys_days{std::chrono::year{k.year + 1} / 1 / 1} + std::chrono::hours(24);
    if (auto idx = s.active_by_start.find(k.resource); idx != s.active_by_start.end())
        for (auto it = idx->second.lower_bound(from); it != idx->second.end() && it->first < to;
             ++it)
            if (const auto* r = s.find_reservation(it->second); r && of_key(*r)) out.push_back(r);
    if (auto w = s.room_waiting.find(k.resource); w != s.room_waiting.end())
        for (const auto& [rank, id] : w->second)
            if (const auto* r = s.find_reservation(id); r && of_key(*r)) out.push_back(r);
    // Ids are "r" and the request's number.
    std::sort(out.begin(), out.end(), [](const reservation* a, const reservation* b) {
        return std::pair(a->id.size(), a->id) < std::pair(b->id.size(), b->id);
    });
    return out;
}

}  // namespace

// The requests of the same allowance take what came back oldest first: never dearer.
void requotes(const state& s, const context& ctx, std::vector<fact_body>& out) {
    // The requests of each allowance something came back to.
    std::map<counter_key, std::vector<const reservation*>> keys;
    std::set<std::string> touched;
    for (const auto& f : out) {
        if (const auto* defined = std::get_if<agreement_defined>(&f)) {
            // Its allowances that requests not yet decided, and not yet begun, are quoted under:
            // a raised one has units or minutes to give them.
            const auto& v = defined->value;
            for (const auto& terms_of : v.resources) {
                const auto& resource = terms_of.first;  // named: a lambda below captures it
                const auto& terms = terms_of.second;
                if (!terms.hour_quota && !terms.free_per_year && !terms.unlimited_free) continue;
                auto under_it = [&](const std::string& id) {
                    const auto* r = s.find_reservation(id);
                    if (r && r->agreement == v.id && ctx.now < r->start &&
                        v.in_force_on(r->start) &&
                        (r->status == reservation_status::pending ||
                         r->status == reservation_status::waiting))
                        keys[counter_key{v.id, resource, r->year}];
                };
                if (auto idx = s.active_by_start.find(resource); idx != s.active_by_start.end())
                    // Keyed by the start of the occupied period: set-up may come before now.
                    for (auto it = idx->second.lower_bound(ctx.now - std::chrono::hours(24));
                         it != idx->second.end(); ++it)
                        under_it(it->second);
                if (auto w = s.room_waiting.find(resource); w != s.room_waiting.end())
                    for (const auto& [rank, id] : w->second) under_it(id);
            }
            continue;
        }
        std::string id;
        if (const auto* x = std::get_if<reservation_refused>(&f)) id = x->id;
        if (const auto* x = std::get_if<reservation_cancelled>(&f)) id = x->id;
        if (id.empty()) continue;
        touched.insert(id);
        const reservation* r = s.find_reservation(id);
        if (!r || r->agreement.empty()) continue;
        // What a request not yet decided gives back: its unit, its minutes quoted free; an
        // approved reservation cancelled before its start: its unit, its minutes used.
        const bool undecided =
            r->status == reservation_status::pending || r->status == reservation_status::waiting;
        const auto* cancelled = std::get_if<reservation_cancelled>(&f);
        const bool gives_back =
            undecided ? r->holds_unit || (r->quote.hours && r->quote.hours->this_minutes >
                                                                r->quote.hours->beyond_minutes)
                      : cancelled && cancelled->releases && (r->holds_unit || r->quota_minutes > 0);
        if (gives_back) keys[counter_key{r->agreement, r->resource, r->year}];
    }
    if (keys.empty()) return;
    // The part of the state the new quotes read, with the facts decided so far applied.
    state x = rules_part(s);
    for (const auto& id : touched)
        if (const auto* r = s.find_reservation(id)) x.reservations.emplace(id, *r);
    for (auto& [k, requests] : keys) {
        requests = open_requests(s, k);
        for (const auto* r : requests) x.reservations.emplace(r->id, *r);
    }
    for (const auto& f : out) apply(x, fact{x.seq + 1, ctx.now, "system", f});
    for (const auto& [k, requests] : keys) {
        auto a = x.agreements.find(k.agreement);
        auto room = x.resources.find(k.resource);
        if (a == x.agreements.end() || room == x.resources.end()) continue;
        auto terms = a->second.resources.find(k.resource);
        if (terms == a->second.resources.end()) continue;
        // Those the facts so far left undecided.
        std::vector<const reservation*> open;
        for (const auto* r : requests) {
            const auto& now = x.reservations.at(r->id);
            if (now.status == reservation_status::pending ||
                now.status == reservation_status::waiting)
                open.push_back(&now);
        }
        if (terms->second.hour_quota) {
            // Minutes not promised free: the quota less what approved appointments used and
            // what requests not yet decided were told is free.
            const std::int64_t quota = std::int64_t{*terms->second.hour_quota} * 60;
            std::int64_t promised = x.quotas[k].used_minutes;
            for (const auto* r : open)
                if (r->quote.hours)
                    promised += r->quote.hours->this_minutes - r->quote.hours->beyond_minutes;
            std::int64_t left = quota - promised;
            for (const auto* r : open) {
                if (left <= 0) break;
                if (!r->quote.hours || r->quote.hours->beyond_minutes <= 0 || r->start <= ctx.now ||
                    !a->second.in_force_on(r->start))
                    continue;
                const auto beyond = r->quote.hours->beyond_minutes;
                const auto take = std::min(left, beyond);
                // Counted before it: what approved appointments used, and what the other
                // requests not yet decided were promised free.
                const auto used = x.quotas[k].used_minutes;
                const quota_counter before{
                    used, quota - left - used - (r->quote.hours->this_minutes - beyond), {}};
                bool holds = false;
                quote again = make_quote(x, room->second, &a->second,
                                         std::chrono::duration_cast<minutes>(r->end - r->start),
                                         r->year, holds, &before);
                if (!again.hours || again.hours->beyond_minutes >= beyond ||
                    again.total_cents > r->quote.total_cents)
                    continue;
                left -= take;
                reservation_requoted requoted{r->id, std::move(again), false};
                apply(x, fact{x.seq + 1, ctx.now, "system", requoted});
                out.push_back(std::move(requoted));
            }
        } else if (terms->second.free_per_year || terms->second.unlimited_free) {
            // A free unit of the year each, while they last; or, lending made free of charge
            // (reciprocal), a free quote for every one billed.
            const bool unlimited = terms->second.unlimited_free;
            for (const auto* r : open) {
                if (!unlimited && allowance_of(x, a->second, k.resource, k.year).left <= 0) break;
                if (r->holds_unit || r->quote.free || r->start <= ctx.now ||
                    !a->second.in_force_on(r->start))
                    continue;
                bool holds = false;
                quote again = make_quote(x, room->second, &a->second,
                                         std::chrono::duration_cast<minutes>(r->end - r->start),
                                         r->year, holds);
                if (!(holds || (unlimited && again.free)) ||
                    again.total_cents > r->quote.total_cents)
                    continue;
                reservation_requoted requoted{r->id, std::move(again), holds};
                apply(x, fact{x.seq + 1, ctx.now, "system", requoted});
                out.push_back(std::move(requoted));
            }
        }
    }
}

namespace {

// What deciding requests of `room` between `from` and `to` reads of the state: the catalogue,
// the agreements and their counters, and the room's reservations and waiting list around that
// time. Deciding on it and applying each decision's facts to it, one after the other, decides
// as the whole state would, at the cost of that part (docs/domain.md, "Series").
state scratch_for(const state& s, const std::string& room, instant from, instant to) {
    state x = rules_part(s);
    x.reservation_counter = s.reservation_counter;
    const auto margin = max_duration + std::chrono::hours(24);
    if (auto idx = s.active_by_start.find(room); idx != s.active_by_start.end()) {
        auto& to_index = x.active_by_start[room];
        for (auto it = idx->second.lower_bound(from - margin);
             it != idx->second.end() && it->first < to + margin; ++it) {
            to_index.emplace(it->first, it->second);
            x.reservations.emplace(it->second, s.reservations.at(it->second));
        }
    }
    if (auto w = s.room_waiting.find(room); w != s.room_waiting.end()) {
        x.room_waiting[room] = w->second;
        for (const auto& [rank, id] : w->second) x.reservations.emplace(id, s.reservations.at(id));
    }
    return x;
}

// The reservations a decision on `r` applies to, in time order (docs/domain.md, "Series").
std::vector<const reservation*> in_scope(const state& s, const reservation& r, series_scope scope) {
    auto sr = s.series.find(r.series);
    if (scope == series_scope::one || sr == s.series.end()) return {&r};
    std::vector<const reservation*> out;
    for (const auto& o : sr->second.occurrences) {
        if (o.reservation.empty()) continue;
        const reservation* x = s.find_reservation(o.reservation);
        if (x && (scope == series_scope::all || x->start >= r.start)) out.push_back(x);
    }
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->start < b->start; });
    return out;
}

}  // namespace

namespace {

// A request for `c.organisation` made by `requester`: by the requester themselves, or, through
// an agreement's single window, by the window's operator (`window`: that agreement, the only
// one that may cover it).
decision decide_request(const state& s, const request_reservation& c, const context& ctx,
                        const actor& requester, const agreement* window) {
    if (auto no = check_fields(c)) return *no;
    auto rit = s.resources.find(c.resource);
    if (rit == s.resources.end())
        return decision::refuse(error::not_found, "no resource '" + c.resource + "'", "resource");
    const resource& r = rit->second;
    if (!s.organisations.count(c.organisation))
        return decision::refuse(error::not_found, "no organisation '" + c.organisation + "'",
                                "organisation");
    if (!window && !may_act_for(ctx.who, c.organisation))
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
    const bool host = !window && c.organisation == owner;
    const agreement* a = window ? (window_covers(*window, owner, r.id, c.start) ? window : nullptr)
                         : host ? nullptr
                                : covering_agreement(s, c.organisation, owner, r.id, c.start);
    if (!host && !a)
        return decision::refuse(
            error::outside_agreement,
            window ? "agreement '" + window->id + "' does not cover " + r.name + " on that date"
                   : "no agreement of '" + c.organisation + "' covers " + r.name + " on that date",
            "resource");
    if (a && c.start < a->earliest_start(ctx.now)) return notice_refusal(*a);
    const bool taken = !slot_free(s, r, c.start, c.end);
    // Rooms have waiting lists; appointments (MuséoLab) do not.
    if (taken && (!c.wait || r.kind != resource_kind::room))
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
            std::size_t own = 0;
            for (const auto& [rank, id] : w->second) {
                const auto& other = s.reservations.at(id);
                if (other.organisation != c.organisation) continue;
                if (overlaps({other.start, other.end}, {c.start, c.end}))
                    return decision::refuse(
                        error::conflict,
                        "your organisation already waits for this period (" + other.id + ")",
                        "start");
                if (++own >= max_waiting_per_org)
                    return decision::refuse(error::conflict,
                                            "your organisation already has " +
                                                std::to_string(max_waiting_per_org) +
                                                " requests on " + r.name + "'s waiting list",
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
    res.requester = requester.id;
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
    if (approved_at_once(s, res, requester)) approval_facts(s, res, d.facts);
    return d;
}

}  // namespace

decision notice_refusal(const agreement& a) {
    return decision::refuse(error::notice_too_short,
                            "agreement '" + a.id + "' asks for " +
                                std::to_string(a.min_notice.months) + " months and " +
                                std::to_string(a.min_notice.days) + " days of notice",
                            "start");
}

decision decide_command(const state& s, const request_reservation& c, const context& ctx) {
    return decide_request(s, c, ctx, ctx.who, nullptr);
}

decision request_through_window(const state& s, const request_reservation& c, const context& ctx,
                                const actor& requester, const agreement& window) {
    return decide_request(s, c, ctx, requester, &window);
}

decision decide_command(const state& s, const approve_reservation& c, const context& ctx) {
    const reservation* res = s.find_reservation(c.id);
    if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
    if (!may_decide(s, ctx.who, *res))
        return decision::refuse(error::forbidden,
                                "only the host's administrators approve reservations");
    std::vector<const reservation*> pending;
    for (const auto* r : in_scope(s, *res, c.scope))
        if (r->status == reservation_status::pending) pending.push_back(r);
    if (pending.empty())
        return decision::refuse(error::not_pending,
                                "the reservation is " + std::string(name_of(res->status)));
    decision d;
    if (pending.size() == 1) {
        approval_facts(s, *pending.front(), d.facts);
        return d;
    }
    // Each approval counts the hours of those before it: decided on the part of the state
    // they read, each applied before the next.
    state x = scratch_for(s, res->resource, pending.front()->start, pending.back()->end);
    for (const auto* r : pending) {
        std::vector<fact_body> facts;
        approval_facts(x, x.reservations.at(r->id), facts);
        for (auto& f : facts) {
            apply(x, fact{x.seq + 1, ctx.now, ctx.who.id, f});
            d.facts.push_back(std::move(f));
        }
    }
    return d;
}

decision decide_command(const state& s, const refuse_reservation& c, const context& ctx) {
    const reservation* res = s.find_reservation(c.id);
    if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
    if (!may_decide(s, ctx.who, *res))
        return decision::refuse(error::forbidden,
                                "only the host's administrators refuse reservations");
    std::vector<const reservation*> open;
    for (const auto* r : in_scope(s, *res, c.scope))
        if (r->status == reservation_status::pending || r->status == reservation_status::waiting)
            open.push_back(r);
    if (open.empty())
        return decision::refuse(error::not_pending,
                                "the reservation is " + std::string(name_of(res->status)));
    if (blank(c.reason))
        return decision::refuse(error::bad_request, "a refusal needs a reason", "reason");
    if (c.reason.size() > max_reason)
        return decision::refuse(error::bad_request, "the reason is longer than 1000 characters",
                                "reason");
    decision d;
    std::set<std::string> freed;
    for (const auto* r : open) {
        d.facts.push_back(reservation_refused{r->id, c.reason});
        if (r->active()) freed.insert(r->id);
    }
    // The units given back first, to the requests waiting then (a promoted one among them).
    requotes(s, ctx, d.facts);
    promotions(s, res->resource, freed, ctx, d.facts);
    return d;
}

decision decide_command(const state& s, const cancel_reservation& c, const context& ctx) {
    const reservation* res = s.find_reservation(c.id);
    if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
    if (!may_cancel(s, ctx.who, *res))
        return decision::refuse(error::forbidden,
                                "only the requesting organisation or the host may cancel");
    if (c.reason.size() > max_reason)
        return decision::refuse(error::bad_request, "the reason is longer than 1000 characters",
                                "reason");
    // Those of the scope still to come or under way: a past occurrence stays as it was.
    std::vector<const reservation*> open;
    for (const auto* r : in_scope(s, *res, c.scope))
        if ((r->active() || r->status == reservation_status::waiting) && ctx.now < r->end)
            open.push_back(r);
    if (open.empty()) {
        if (!res->active() && res->status != reservation_status::waiting)
            return decision::refuse(error::already_ended,
                                    "the reservation is " + std::string(name_of(res->status)));
        return decision::refuse(error::already_ended, "the reservation is over");
    }
    decision d;
    std::set<std::string> freed;
    for (const auto* r : open) {
        // A cancellation before the start gives the free unit (and quota minutes) back.
        bool releases = r->status != reservation_status::approved || ctx.now < r->start;
        d.facts.push_back(reservation_cancelled{r->id, c.reason, releases});
        if (r->active()) freed.insert(r->id);
    }
    // The units given back first, to the requests waiting then (a promoted one among them).
    requotes(s, ctx, d.facts);
    promotions(s, res->resource, freed, ctx, d.facts);
    return d;
}

decision decide_command(const state& s, const reorder_room_waitlist& c, const context& ctx) {
    auto rit = s.resources.find(c.resource);
    if (rit == s.resources.end())
        return decision::refuse(error::not_found, "no resource '" + c.resource + "'", "resource");
    if (!is_admin_of(ctx.who, s.owner_of(c.resource)))
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
    requotes(s, ctx, d.facts);
    return d;
}

}  // namespace creneau

namespace creneau {

// A series: each date the rule gives, not skipped, is decided as a request of its own, in
// order, each seeing the ones before it (their periods, the free units they hold); then all of
// them, or those that can be, are booked (docs/domain.md, "Series").
decision decide_command(const state& s, const request_series& c, const context& ctx) {
    if (auto no = check_fields(c.first)) return *no;
    auto rit = s.resources.find(c.first.resource);
    if (rit == s.resources.end())
        return decision::refuse(error::not_found, "no resource '" + c.first.resource + "'",
                                "resource");
    const std::string zone = s.zone_of(rit->first);
    auto ex = expand_series(c.rule, c.first.start, c.first.end, zone);
    if (!ex.error.empty()) return decision::refuse(error::bad_request, ex.error, ex.field);

    series sr;
    sr.id = "s" + std::to_string(s.series.size() + 1);
    sr.resource = rit->first;
    sr.organisation = c.first.organisation;
    sr.requester = ctx.who.id;
    sr.title = c.first.title;
    sr.zone = zone;
    sr.start = c.first.start;
    sr.end = c.first.end;
    sr.rule = c.rule;
    sr.all_or_nothing = c.all_or_nothing;
    sr.created = ctx.now;
    instant from = ex.occurrences.front().start, to = ex.occurrences.front().end;
    for (const auto& o : ex.occurrences) {
        from = std::min(from, o.start);
        to = std::max(to, o.end);
    }
    state x = scratch_for(s, sr.resource, from, to);
    decision d;
    d.facts.push_back(series_requested{});
    std::optional<refusal> first_refusal;
    int refused = 0, booked = 0;
    for (auto& o : ex.occurrences) {
        if (!o.skipped) {
            request_reservation one = c.first;
            one.start = o.start;
            one.end = o.end;
            one.wait = false;
            auto od = decide_command(x, one, ctx);
            if (od.refused) {
                o.code = std::string(code_of(od.refused->code));
                o.detail = od.refused->detail;
                if (!first_refusal) first_refusal = od.refused;
                ++refused;
            } else {
                auto& req = std::get<reservation_requested>(od.facts.front()).value;
                req.series = sr.id;
                o.reservation = req.id;
                ++booked;
                for (auto& f : od.facts) {
                    apply(x, fact{x.seq + 1, ctx.now, ctx.who.id, f});
                    d.facts.push_back(std::move(f));
                }
            }
        }
        sr.occurrences.push_back(std::move(o));
    }
    if (refused > 0 && (c.all_or_nothing || booked == 0)) {
        if (booked == 0 && refused == 1) return decision{{}, first_refusal};
        return decision::refuse(error::series_refused,
                                std::to_string(refused) + " of the series' " +
                                    std::to_string(refused + booked) +
                                    " dates cannot be booked; the first: " + first_refusal->detail,
                                first_refusal->field);
    }
    d.facts.front() = series_requested{std::move(sr)};
    return d;
}

}  // namespace creneau
