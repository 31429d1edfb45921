#include "common/access.hpp"
#include "common/commands.hpp"
#include "common/hours.hpp"
#include "common/quote.hpp"

#include <algorithm>
#include <cctype>

namespace creneau {
namespace {

constexpr std::size_t max_title = 200;
constexpr std::size_t max_reason = 1000;
constexpr auto max_duration = std::chrono::hours(24 * 14);

bool valid_date(const std::string& d) {
    auto t = parse_rfc3339(d + "T00:00:00Z");
    return d.size() == 10 && t.has_value();
}

struct decider {
    const state& s;
    const context& ctx;


    // The agreement under which `org` may request `r` starting at `start`.
    const agreement* covering(const std::string& org, const std::string& owner, const resource& r,
                              instant start) const {
        for (const auto& [id, a] : s.agreements) {
            if (!a.binds(org, owner) || !a.resources.count(r.id)) continue;
            auto day = local_date(start, a.zone);
            if (day >= a.valid_from && day <= a.valid_to) return &a;
        }
        return nullptr;
    }

    // The approval of a pending reservation: the approval fact, then any quota alerts.
    void approval_facts(const reservation& res, std::vector<fact_body>& out) const {
        reservation_approved approved{res.id, 0};
        std::vector<fact_body> alerts;
        if (!res.agreement.empty()) {
            const auto& a = s.agreements.at(res.agreement);
            const auto& terms = a.resources.at(res.resource);
            if (terms.hour_quota) {
                // Art. 5-4: approved appointments consume the quota to the minute.
                auto minutes_used = std::chrono::duration_cast<minutes>(res.end - res.start).count();
                approved.quota_minutes = minutes_used;
                counter_key key{a.id, res.resource, res.year};
                quota_counter q;
                if (auto it = s.quotas.find(key); it != s.quotas.end()) q = it->second;
                std::int64_t quota = std::int64_t{*terms.hour_quota} * 60;
                std::int64_t after = q.used_minutes + minutes_used;
                for (int t : terms.alert_percents) {
                    if (q.alerts.count(t) || after * 100 < std::int64_t{t} * quota) continue;
                    alerts.push_back(quota_alert_raised{a.id, res.resource, res.year, t, after, quota});
                }
            }
        }
        out.push_back(approved);
        out.insert(out.end(), alerts.begin(), alerts.end());
    }

    quote make_quote(const request_reservation& c, const resource& r, const agreement* a, int year,
                     bool& holds_unit) const {
        quote q;
        holds_unit = false;
        if (!a) {  // the host's own booking: nothing billed
            q.free = true;
            q.billed_as = member_category::host;
            return q;
        }
        q.agreement = a->id;
        q.billed_as = a->billed_as;
        const auto& terms = a->resources.at(r.id);
        const tariff_grid* grid = nullptr;
        if (auto g = s.tariffs.find(a->tariff_grid); g != s.tariffs.end()) grid = &g->second;
        auto duration = std::chrono::duration_cast<minutes>(c.end - c.start);

        if (terms.hour_quota) {
            // MuséoLab (art. 5-4): within the quota, accompaniment is free; beyond it,
            // the minutes are billed at the grid's hourly price.
            hours_view h;
            h.year = year;
            h.quota_minutes = std::int64_t{*terms.hour_quota} * 60;
            if (auto it = s.quotas.find(counter_key{a->id, r.id, year}); it != s.quotas.end())
                h.used_minutes = it->second.used_minutes;
            h.this_minutes = duration.count();
            h.beyond_minutes = std::clamp<std::int64_t>(
                h.used_minutes + h.this_minutes - h.quota_minutes, 0, h.this_minutes);
            q.free = h.beyond_minutes == 0;
            if (h.beyond_minutes > 0) {
                auto hourly = grid ? hourly_price(*grid, r.id, a->billed_as) : std::nullopt;
                cents amount = hourly ? (*hourly * h.beyond_minutes + 30) / 60 : 0;
                q.lines.push_back({"hours-beyond-quota",
                                   r.name + " : " + std::to_string(h.beyond_minutes) +
                                       " min au-delà du quota" + (hourly ? "" : " (tarif non renseigné)"),
                                   amount});
            }
            q.hours = h;
        } else {
            std::string units;
            auto price = grid ? rental_price(*grid, r.id, a->billed_as, duration, units) : std::nullopt;
            if (terms.unlimited_free) {
                q.free = true;
                q.lines.push_back({"rental", "Location " + r.name + " : mise à disposition", 0});
            } else {
                allowance_view view = allowance_of(s, *a, r.id, year);
                if (terms.free_per_year && view.left > 0) {
                    // Art. 10: a free unit of the year is held by this request.
                    holds_unit = true;
                    view.held += 1;
                    view.left -= 1;
                    q.free = true;
                    q.lines.push_back({"rental",
                                       "Location " + r.name + " : " + (units.empty() ? "" : units + ", ") +
                                           "gratuite (mise à disposition " + std::to_string(year) + ")",
                                       0});
                } else {
                    // Beyond the allowance: the agreement's tariff (founder members for Artois).
                    q.lines.push_back({"rental",
                                       "Location " + r.name + " : " + (units.empty() ? "?" : units) + ", tarif " +
                                           category_label(a->billed_as) +
                                           (price ? "" : " (tarif non renseigné)"),
                                       price.value_or(0)});
                }
                if (terms.free_per_year) q.allowance = view;
            }
        }
        // Art. 6: service fees are billed with every booking, free or not.
        if (grid)
            if (auto f = grid->fees.find(r.id); f != grid->fees.end())
                for (const auto& fee : f->second) q.lines.push_back({"service-fee", fee.label, fee.amount});
        for (const auto& l : q.lines) q.total += l.amount;
        return q;
    }

    decision operator()(const request_reservation& c) const {
        if (c.resource.empty()) return decision::refuse(error::bad_request, "resource is required", "resource");
        if (c.organisation.empty())
            return decision::refuse(error::bad_request, "organisation is required", "organisation");
        if (blank(c.title)) return decision::refuse(error::bad_request, "title is required", "title");
        if (c.title.size() > max_title)
            return decision::refuse(error::bad_request, "title is longer than 200 characters", "title");
        if (c.end <= c.start) return decision::refuse(error::bad_request, "end must be after start", "end");
        if (c.end - c.start > max_duration)
            return decision::refuse(error::bad_request, "a reservation lasts at most 14 days", "end");
        if (c.attendees < 1)
            return decision::refuse(error::bad_request, "attendees must be at least 1", "attendees");

        auto rit = s.resources.find(c.resource);
        if (rit == s.resources.end())
            return decision::refuse(error::not_found, "no resource '" + c.resource + "'", "resource");
        const resource& r = rit->second;
        if (!s.organisations.count(c.organisation))
            return decision::refuse(error::not_found, "no organisation '" + c.organisation + "'",
                                    "organisation");
        if (!creneau::may_act_for(ctx.who, c.organisation))
            return decision::refuse(error::forbidden, "you may only request for your own organisation",
                                    "organisation");
        if (r.kind == resource_kind::opening_hours)
            return decision::refuse(error::not_bookable,
                                    r.name + " is not booked: it is open at its published hours", "resource");

        const layout* lay = nullptr;
        if (c.layout.empty() && r.layouts.size() == 1) {
            lay = &r.layouts.front();
        } else {
            lay = r.find_layout(c.layout);
            if (!lay) {
                std::string known;
                for (const auto& l : r.layouts) known += (known.empty() ? "" : ", ") + l.id;
                return decision::refuse(error::unknown_layout,
                                        r.name + " has no layout '" + c.layout + "' (" + known + ")",
                                        "layout");
            }
        }
        if (c.attendees > lay->capacity)
            return decision::refuse(error::over_capacity,
                                    r.name + " holds " + std::to_string(lay->capacity) + " people in the " +
                                        lay->id + " layout",
                                    "attendees");
        for (const auto& e : c.equipment)
            if (std::find(r.equipment.begin(), r.equipment.end(), e) == r.equipment.end())
                return decision::refuse(error::unknown_equipment, r.name + " has no equipment '" + e + "'",
                                        "equipment");
        if (c.start < ctx.now)
            return decision::refuse(error::in_the_past, "the period starts in the past", "start");

        const std::string zone = s.zone_of(r.id);
        if (!within_open_hours(r, zone, c.start, c.end))
            return decision::refuse(error::closed, r.name + " is closed during part of this period", "start");

        const std::string owner = s.owner_of(r.id);
        const bool host = c.organisation == owner;
        const agreement* a = host ? nullptr : covering(c.organisation, owner, r, c.start);
        if (!host && !a)
            return decision::refuse(error::outside_agreement,
                                    "no agreement of '" + c.organisation + "' covers " + r.name + " on that date",
                                    "resource");
        if (a && c.start < add_notice(ctx.now, a->zone, a->min_notice))
            return decision::refuse(error::notice_too_short,
                                    "agreement '" + a->id + "' asks for " + std::to_string(a->min_notice.months) +
                                        " months and " + std::to_string(a->min_notice.days) + " days of notice",
                                    "start");

        // No two active reservations of one resource overlap, buffers included.
        period occupied{c.start - r.setup, c.end + r.cleanup};
        if (auto idx = s.active_by_start.find(r.id); idx != s.active_by_start.end()) {
            auto next = idx->second.lower_bound(occupied.end);
            if (next != idx->second.begin()) {
                const auto& other = s.reservations.at(std::prev(next)->second);
                if (other.end + r.cleanup > occupied.start)
                    return decision::refuse(error::slot_taken,
                                            r.name + " is already booked during this period (with set-up "
                                                     "and clean-up)",
                                            "start");
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
        res.offer = make_quote(c, r, a, res.year, res.holds_unit);
        res.created = ctx.now;

        decision d;
        d.facts.push_back(reservation_requested{res});
        // No approval to wait for: the host's administrators booking their own rooms, or an
        // agreement that does not ask for it.
        bool auto_approve = host ? is_admin_of(ctx.who, owner) : !a->approval_required;
        if (auto_approve) approval_facts(res, d.facts);
        return d;
    }

    const reservation* find(const std::string& id) const { return s.find_reservation(id); }

    decision operator()(const approve_reservation& c) const {
        const reservation* res = find(c.id);
        if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
        if (!may_decide(s, ctx.who, *res))
            return decision::refuse(error::forbidden, "only the host's administrators approve reservations");
        if (res->status != reservation_status::pending)
            return decision::refuse(error::not_pending, "the reservation is " + std::string(name_of(res->status)));
        decision d;
        approval_facts(*res, d.facts);
        return d;
    }

    decision operator()(const refuse_reservation& c) const {
        const reservation* res = find(c.id);
        if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
        if (!may_decide(s, ctx.who, *res))
            return decision::refuse(error::forbidden, "only the host's administrators refuse reservations");
        if (res->status != reservation_status::pending)
            return decision::refuse(error::not_pending, "the reservation is " + std::string(name_of(res->status)));
        if (blank(c.reason)) return decision::refuse(error::bad_request, "a refusal needs a reason", "reason");
        if (c.reason.size() > max_reason)
            return decision::refuse(error::bad_request, "the reason is longer than 1000 characters", "reason");
        return {{reservation_refused{c.id, c.reason}}, {}};
    }

    decision operator()(const cancel_reservation& c) const {
        const reservation* res = find(c.id);
        if (!res) return decision::refuse(error::not_found, "no reservation '" + c.id + "'", "id");
        if (!may_cancel(s, ctx.who, *res))
            return decision::refuse(error::forbidden, "only the requesting organisation or the host may cancel");
        if (!res->active())
            return decision::refuse(error::already_ended, "the reservation is " + std::string(name_of(res->status)));
        if (ctx.now >= res->end)
            return decision::refuse(error::already_ended, "the reservation is over");
        if (c.reason.size() > max_reason)
            return decision::refuse(error::bad_request, "the reason is longer than 1000 characters", "reason");
        // A cancellation before the start gives the free unit (and quota minutes) back.
        bool releases = res->status == reservation_status::pending || ctx.now < res->start;
        return {{reservation_cancelled{c.id, c.reason, releases}}, {}};
    }

    // ---- catalogue -------------------------------------------------------------------

    static decision forbidden(const std::string& what) {
        return decision::refuse(error::forbidden, "only the administrators of its owner " + what);
    }

    decision operator()(const designate_operator& c) const {
        if (!may_manage_catalogue(s, ctx.who)) return forbidden("name the operator");
        if (!s.organisations.count(c.organisation))
            return decision::refuse(error::not_found, "unknown organisation '" + c.organisation + "'", "organisation");
        return {{operator_designated{c.organisation}}, {}};
    }

    decision operator()(const define_site& c) const {
        if (!may_manage_catalogue(s, ctx.who)) return forbidden("(the operator) change the sites");
        const auto& v = c.value;
        if (!valid_slug(v.id)) return decision::refuse(error::bad_request, "invalid site id '" + v.id + "'", "id");
        if (blank(v.name)) return decision::refuse(error::bad_request, "a site needs a name", "name");
        if (!known_zone(v.zone))
            return decision::refuse(error::bad_request, "unknown time zone '" + v.zone + "'", "zone");
        if (!s.organisations.count(v.owner))
            return decision::refuse(error::not_found, "unknown organisation '" + v.owner + "'", "owner");
        return {{site_defined{v}}, {}};
    }

    decision operator()(const define_organisation& c) const {
        if (!may_manage_catalogue(s, ctx.who)) return forbidden("(the operator) change the organisations");
        const auto& v = c.value;
        if (!valid_slug(v.id))
            return decision::refuse(error::bad_request, "invalid organisation id '" + v.id + "'", "id");
        if (blank(v.name)) return decision::refuse(error::bad_request, "an organisation needs a name", "name");
        return {{organisation_defined{v}}, {}};
    }

    decision operator()(const define_resource& c) const {
        const auto& v = c.value;
        auto old = s.resources.find(v.id);
        if (!may_manage_site_resources(s, ctx.who, v.site) ||
            (old != s.resources.end() && !may_manage_site_resources(s, ctx.who, old->second.site)))
            return forbidden("change its resources");
        if (!valid_slug(v.id))
            return decision::refuse(error::bad_request, "invalid resource id '" + v.id + "'", "id");
        if (blank(v.name)) return decision::refuse(error::bad_request, "a resource needs a name", "name");
        if (!s.sites.count(v.site))
            return decision::refuse(error::not_found, "unknown site '" + v.site + "'", "site");
        if (v.kind != resource_kind::opening_hours && v.layouts.empty())
            return decision::refuse(error::bad_request, "a bookable resource needs at least one layout", "layouts");
        std::set<std::string> ids;
        for (std::size_t i = 0; i < v.layouts.size(); ++i) {
            const auto& l = v.layouts[i];
            auto field = "layouts/" + std::to_string(i);
            if (!valid_slug(l.id)) return decision::refuse(error::bad_request, "invalid layout id", field + "/id");
            if (!ids.insert(l.id).second)
                return decision::refuse(error::bad_request, "layout '" + l.id + "' twice", field + "/id");
            if (l.capacity < 1)
                return decision::refuse(error::bad_request,
                                        "capacity of layout '" + l.id + "' must be at least 1 (got " +
                                            std::to_string(l.capacity) + ")",
                                        field + "/capacity");
        }
        for (std::size_t d = 0; d < 7; ++d)
            for (const auto& h : v.hours[d])
                if (h.open < 0 || h.close > 24 * 60 || h.open >= h.close)
                    return decision::refuse(error::bad_request, "opening hours must satisfy 00:00 <= open < close <= 24:00",
                                            "hours");
        for (const auto& cl : v.closures)
            if (cl.end <= cl.start)
                return decision::refuse(error::bad_request, "a closure must end after it starts", "closures");
        if (v.setup < minutes{0} || v.cleanup < minutes{0} || v.setup > minutes{24 * 60} || v.cleanup > minutes{24 * 60})
            return decision::refuse(error::bad_request, "buffers must be between 0 and 24 hours", "setup");
        return {{resource_defined{v}}, {}};
    }

    decision operator()(const define_tariff_grid& c) const {
        auto v = c.value;
        auto old = s.tariffs.find(v.id);
        // A grid keeps its owner unless the operator gives it another.
        if (v.owner.empty()) v.owner = old != s.tariffs.end() ? owner_of(s, old->second) : ctx.who.organisation;
        if (!may_manage_grid(s, ctx.who, v) || (old != s.tariffs.end() && !may_manage_grid(s, ctx.who, old->second)))
            return forbidden("change its tariff grids");
        if (!v.owner.empty() && !s.organisations.count(v.owner))
            return decision::refuse(error::not_found, "unknown organisation '" + v.owner + "'", "owner");
        if (!valid_slug(v.id))
            return decision::refuse(error::bad_request, "invalid tariff grid id '" + v.id + "'", "id");
        if (v.half_day <= minutes{0} || v.day <= minutes{0})
            return decision::refuse(error::bad_request, "half-day and day must be positive", "day_minutes");
        for (const auto& [rid, prices] : v.prices) {
            if (!s.resources.count(rid))
                return decision::refuse(error::not_found, "unknown resource '" + rid + "'", "prices/" + rid);
            for (const auto& [unit, by_cat] : prices.by_unit)
                for (const auto& [cat, amount] : by_cat)
                    if (amount < 0)
                        return decision::refuse(error::bad_request, "a price cannot be negative", "prices/" + rid);
        }
        for (const auto& [rid, fees] : v.fees) {
            if (!s.resources.count(rid))
                return decision::refuse(error::not_found, "unknown resource '" + rid + "'", "service_fees/" + rid);
            for (const auto& f : fees)
                if (f.amount < 0 || blank(f.label))
                    return decision::refuse(error::bad_request, "a service fee needs a label and a non-negative amount",
                                            "service_fees/" + rid);
        }
        return {{tariff_grid_defined{v}}, {}};
    }

    decision operator()(const define_agreement& c) const {
        const auto& v = c.value;
        auto old = s.agreements.find(v.id);
        if (!may_manage_agreement(s, ctx.who, v) || (old != s.agreements.end() && !may_manage_agreement(s, ctx.who, old->second)))
            return forbidden("(its provider) change an agreement");
        if (!valid_slug(v.id))
            return decision::refuse(error::bad_request, "invalid agreement id '" + v.id + "'", "id");
        if (!s.organisations.count(v.provider))
            return decision::refuse(error::not_found, "unknown organisation '" + v.provider + "'", "provider");
        if (!s.organisations.count(v.beneficiary))
            return decision::refuse(error::not_found, "unknown organisation '" + v.beneficiary + "'", "beneficiary");
        if (v.provider == v.beneficiary)
            return decision::refuse(error::bad_request, "provider and beneficiary must differ", "beneficiary");
        if (!known_zone(v.zone))
            return decision::refuse(error::bad_request, "unknown time zone '" + v.zone + "'", "zone");
        if (!valid_date(v.valid_from))
            return decision::refuse(error::bad_request, "valid_from must be a date YYYY-MM-DD", "valid_from");
        if (!valid_date(v.valid_to) || v.valid_to < v.valid_from)
            return decision::refuse(error::bad_request, "valid_to must be a date on or after valid_from", "valid_to");
        if (v.min_notice.months < 0 || v.min_notice.days < 0 || v.min_notice.months > 36)
            return decision::refuse(error::bad_request, "notice must be between 0 and 36 months", "min_notice");
        if (v.resources.empty())
            return decision::refuse(error::bad_request, "an agreement covers at least one resource", "resources");
        bool billable = false;
        for (const auto& [rid, t] : v.resources) {
            auto field = "resources/" + rid;
            auto r = s.resources.find(rid);
            if (r == s.resources.end())
                return decision::refuse(error::not_found, "unknown resource '" + rid + "'", field);
            auto owner = s.owner_of(rid);
            if (owner != v.provider && !(v.reciprocal && owner == v.beneficiary))
                return decision::refuse(error::bad_request,
                                        "resource '" + rid + "' does not belong to a lending party", field);
            if (t.free_per_year && *t.free_per_year < 0)
                return decision::refuse(error::bad_request, "free_per_year cannot be negative", field);
            if (t.hour_quota && (*t.hour_quota <= 0 || r->second.kind != resource_kind::hour_quota))
                return decision::refuse(error::bad_request,
                                        "an hour quota is positive and only for an hour-quota resource", field);
            for (int p : t.alert_percents)
                if (p < 1 || p > 100)
                    return decision::refuse(error::bad_request, "alert thresholds are percents 1..100", field);
            if (!t.unlimited_free) billable = true;
        }
        if (billable && !s.tariffs.count(v.tariff_grid))
            return decision::refuse(error::not_found, "unknown tariff grid '" + v.tariff_grid + "'", "tariff_grid");
        // Two agreements between the same parties may not both cover a resource on one day.
        for (const auto& [id, other] : s.agreements) {
            if (id == v.id) continue;
            bool same_parties = (other.provider == v.provider && other.beneficiary == v.beneficiary) ||
                                ((other.reciprocal || v.reciprocal) && other.provider == v.beneficiary &&
                                 other.beneficiary == v.provider);
            if (!same_parties || other.valid_to < v.valid_from || v.valid_to < other.valid_from) continue;
            for (const auto& [rid, t] : v.resources)
                if (other.resources.count(rid))
                    return decision::refuse(error::conflict,
                                            "agreement '" + id + "' already covers '" + rid + "' from " +
                                                other.valid_from + " to " + other.valid_to,
                                            "valid_from");
        }
        return {{agreement_defined{v}}, {}};
    }

    decision operator()(const add_user& c) const {
        const auto& v = c.value;
        if (!may_manage_users(s, ctx.who, v.organisation)) return forbidden("organisation add its accounts");
        if (!valid_id(v.id)) return decision::refuse(error::bad_request, "a user needs an id", "id");
        if (s.users.count(v.id)) return decision::refuse(error::exists, "user id already in use", "id");
        auto at = v.email.find('@');
        if (at == std::string::npos || at == 0 || at + 1 >= v.email.size() || v.email.size() > 254)
            return decision::refuse(error::bad_request, "invalid email '" + v.email + "'", "email");
        if (s.user_by_email.count(email_key(v.email)))
            return decision::refuse(error::exists, "a user with this email exists", "email");
        if (blank(v.name)) return decision::refuse(error::bad_request, "a user needs a name", "name");
        if (!s.organisations.count(v.organisation))
            return decision::refuse(error::not_found, "unknown organisation '" + v.organisation + "'", "org");
        if (v.password_hash.empty())
            return decision::refuse(error::bad_request, "a user needs a password", "password");
        return {{user_added{v}}, {}};
    }

    decision operator()(const open_session& c) const {
        if (!ctx.who.system) return decision::refuse(error::forbidden, "sessions are opened by the server");
        if (!s.users.count(c.user)) return decision::refuse(error::not_found, "no such user", "user");
        if (c.token_hash.empty() || c.expires <= ctx.now)
            return decision::refuse(error::bad_request, "a session needs a token and a future expiry");
        return {{session_opened{c.token_hash, c.user, c.expires}}, {}};
    }

    decision operator()(const close_session& c) const {
        auto it = s.sessions.find(c.token_hash);
        if (it == s.sessions.end()) return decision::refuse(error::not_found, "no such session");
        if (!ctx.who.system && it->second.user != ctx.who.id)
            return decision::refuse(error::forbidden, "a session is closed by its own user");
        return {{session_closed{c.token_hash}}, {}};
    }

    template <class C>
        requires requires(const C& c) { decide_event(std::declval<const state&>(), c, std::declval<const context&>()); }
    decision operator()(const C& c) const {
        return decide_event(s, c, ctx);
    }

    decision operator()(const issue_calendar_feed& c) const {
        if (!s.organisations.count(c.organisation))
            return decision::refuse(error::not_found, "no organisation '" + c.organisation + "'", "organisation");
        if (!may_issue_feed(ctx.who, c.organisation))
            return decision::refuse(error::forbidden, "only the organisation's members get its private feed");
        if (c.token_hash.empty()) return decision::refuse(error::bad_request, "a feed needs a token");
        return {{calendar_feed_issued{c.organisation, c.token_hash}}, {}};
    }
};

}  // namespace

decision decide(const state& s, const command& c, const context& ctx) {
    return std::visit(decider{s, ctx}, c);
}

}  // namespace creneau
