// The single window's rules (docs/domain.md, "The single window").

#include "common/access.hpp"
#include "common/agreements/quote.hpp"
#include "common/core/text.hpp"
#include "common/reservations/rules.hpp"
#include "common/window/rules.hpp"

namespace creneau {
namespace {

constexpr std::size_t max_title = 200;
constexpr std::size_t max_description = 2000;
constexpr std::size_t max_reason = 1000;
constexpr int max_attendees = 5000;
constexpr auto max_duration = std::chrono::hours(24 * 14);
// Requests of one association in one window's queue at once.
constexpr std::size_t max_open = 20;

const window_request* find(const state& s, const std::string& id) {
    auto it = s.window_requests.find(id);
    return it == s.window_requests.end() ? nullptr : &it->second;
}

decision no_request(const std::string& id) {
    return decision::refuse(error::not_found, "no request '" + id + "' at a single window", "id");
}

}  // namespace

bool routable(const state& s, const window_request& w) {
    if (w.status == window_status::submitted) return true;
    if (w.status != window_status::assigned) return false;
    const reservation* r = s.find_reservation(w.reservation);
    if (!r) return false;
    if (r->status == reservation_status::refused) return true;
    if (r->status != reservation_status::cancelled) return false;
    // Cancelled by its lender, not by the association: the window may find another room.
    for (auto h = r->history.rbegin(); h != r->history.rend(); ++h)
        if (h->action == "cancelled") {
            auto u = s.users.find(h->actor);
            return u == s.users.end() || u->second.organisation != w.organisation;
        }
    return false;
}

decision decide_command(const state& s, const submit_window_request& c, const context& ctx) {
    auto g = s.agreements.find(c.agreement);
    if (g == s.agreements.end() || g->second.window_operator.empty())
        return decision::refuse(
            error::not_found, "no single window for agreement '" + c.agreement + "'", "agreement");
    const agreement& a = g->second;
    if (!s.organisations.count(c.organisation))
        return decision::refuse(error::not_found, "no organisation '" + c.organisation + "'",
                                "organisation");
    if (!may_act_for(ctx.who, c.organisation))
        return decision::refuse(error::forbidden, "you may only request for your own organisation",
                                "organisation");
    if (!may_submit_to_window(s, c.organisation, a))
        return decision::refuse(error::forbidden,
                                "this window takes the requests of the student associations "
                                "accredited by the agreement's parties",
                                "organisation");
    if (blank(c.title)) return decision::refuse(error::bad_request, "title is required", "title");
    if (c.title.size() > max_title)
        return decision::refuse(error::bad_request, "title is longer than 200 characters", "title");
    if (c.description.size() > max_description)
        return decision::refuse(error::bad_request, "description is longer than 2000 characters",
                                "description");
    if (c.end <= c.start)
        return decision::refuse(error::bad_request, "end must be after start", "end");
    if (c.end - c.start > max_duration)
        return decision::refuse(error::bad_request, "an event lasts at most 14 days", "end");
    if (c.attendees < 1 || c.attendees > max_attendees)
        return decision::refuse(error::bad_request, "attendees must be from 1 to 5000",
                                "attendees");
    if (c.start < ctx.now)
        return decision::refuse(error::in_the_past, "the period starts in the past", "start");
    if (!a.in_force_on(c.start))
        return decision::refuse(error::outside_agreement,
                                "agreement '" + a.id + "' is not in force on that date", "start");
    // The window must still be able to give the parties the notice they agreed on.
    if (c.start < a.earliest_start(ctx.now)) return notice_refusal(a);
    std::size_t open = 0;
    for (const auto& [id, w] : s.window_requests)
        if (w.organisation == c.organisation && w.agreement == a.id &&
            w.status == window_status::submitted && ++open >= max_open)
            return decision::refuse(error::conflict,
                                    "your association already has " + std::to_string(max_open) +
                                        " requests waiting at this window",
                                    "agreement");

    window_request w;
    w.id = "w" + std::to_string(s.window_counter + 1);
    w.agreement = a.id;
    w.organisation = c.organisation;
    w.requester = ctx.who.id;
    w.title = c.title;
    w.description = c.description;
    w.start = c.start;
    w.end = c.end;
    w.attendees = c.attendees;
    w.kind = c.kind;
    w.created = ctx.now;
    return {{window_request_submitted{w}}, {}};
}

decision decide_command(const state& s, const assign_window_request& c, const context& ctx) {
    const window_request* w = find(s, c.id);
    if (!w) return no_request(c.id);
    const agreement& a = s.agreements.at(w->agreement);
    if (!may_run_window(ctx.who, a))
        return decision::refuse(error::forbidden,
                                "only the window's operator routes its requests to rooms");
    if (!routable(s, *w))
        return decision::refuse(error::not_pending,
                                "the request is " + std::string(name_of(w->status)));
    if (!may_submit_to_window(s, w->organisation, a))
        return decision::refuse(error::forbidden,
                                "the association is no longer one this window takes requests from",
                                "id");
    if (c.resource.empty())
        return decision::refuse(error::bad_request, "resource is required", "resource");
    auto room = s.resources.find(c.resource);
    if (room == s.resources.end())
        return decision::refuse(error::not_found, "no resource '" + c.resource + "'", "resource");
    if (!window_covers(a, s.owner_of(c.resource), c.resource, w->start))
        return decision::refuse(
            error::outside_agreement,
            "agreement '" + a.id + "' does not cover " + room->second.name + " on that date",
            "resource");
    // The request as the association made it, for the room chosen; every rule of a request
    // applies, under this agreement, the notice counted from now.
    request_reservation r{c.resource,      w->start, w->end, c.layout, w->attendees,
                          w->organisation, w->title, {},     false};
    actor requester{w->requester, role::member, w->organisation, false};
    if (auto u = s.users.find(w->requester); u != s.users.end())
        requester.user_role = u->second.role;
    auto d = request_through_window(s, r, ctx, requester, a);
    if (!d.ok()) return d;
    const auto& res = std::get<reservation_requested>(d.facts.front()).value;
    d.facts.push_back(window_request_assigned{w->id, res.id});
    return d;
}

decision decide_command(const state& s, const decline_window_request& c, const context& ctx) {
    const window_request* w = find(s, c.id);
    if (!w) return no_request(c.id);
    if (!may_run_window(ctx.who, s.agreements.at(w->agreement)))
        return decision::refuse(error::forbidden, "only the window's operator declines requests");
    if (!routable(s, *w))
        return decision::refuse(error::not_pending,
                                "the request is " + std::string(name_of(w->status)));
    if (blank(c.reason))
        return decision::refuse(error::bad_request, "say why the request is declined", "reason");
    if (c.reason.size() > max_reason)
        return decision::refuse(error::bad_request, "reason is longer than 1000 characters",
                                "reason");
    return {{window_request_declined{w->id, c.reason}}, {}};
}

decision decide_command(const state& s, const withdraw_window_request& c, const context& ctx) {
    const window_request* w = find(s, c.id);
    if (!w) return no_request(c.id);
    if (!may_act_for(ctx.who, w->organisation))
        return decision::refuse(error::forbidden,
                                "only the association that made the request withdraws it");
    if (!routable(s, *w)) {
        const reservation* r = s.find_reservation(w->reservation);
        return decision::refuse(
            error::not_pending,
            w->status != window_status::assigned
                ? "the request is " + std::string(name_of(w->status))
            : r && r->active() ? "the request was routed to a room: cancel its reservation instead"
                               : "the request ended with its reservation");
    }
    if (c.reason.size() > max_reason)
        return decision::refuse(error::bad_request, "reason is longer than 1000 characters",
                                "reason");
    return {{window_request_withdrawn{w->id, c.reason}}, {}};
}

}  // namespace creneau
