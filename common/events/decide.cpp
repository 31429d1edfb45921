#include "common/access.hpp"
#include "common/events/queries.hpp"
#include "common/events/rules.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace creneau {
namespace {

const event* find_event(const state& s, const std::string& id) {
    auto it = s.events.find(id);
    return it == s.events.end() ? nullptr : &it->second;
}

bool may_organise(const event& e, const context& ctx) {
    return may_manage_event(ctx.who, e);
}

// The event, for one who may see it: a restricted event is unknown to others, on every route
// (docs/authorisation.md), so that a refusal tells nothing of it.
const event* find_visible_event(const state& s, const std::string& id, const context& ctx) {
    const event* e = find_event(s, id);
    return e && may_see_event(ctx.who, *e) ? e : nullptr;
}

// A Job Dating participant's wishes: a student ranks companies of the event, a company
// names students of the event; numbers within their bounds.
std::optional<decision> check_wishes(const state& s, const std::string& event_id,
                                     const std::string& role, const wishes& w) {
    if (w.max_meetings < 0 || w.max_meetings > 1000 || w.tables < 1 || w.tables > 20)
        return decision::refuse(error::bad_request,
                                "meetings between 0 and 1000, tables between 1 and 20",
                                w.tables < 1 || w.tables > 20 ? "tables" : "max_meetings");
    if (w.first_slot < 0 || w.last_slot < w.first_slot)
        return decision::refuse(error::bad_request, "leaving comes after arriving", "last_slot");
    if (w.ranking.size() > 200 || w.wants.size() > 1000 || w.declines.size() > 1000)
        return decision::refuse(error::bad_request, "too many wishes", "ranking");
    if (w.description.size() > 1000)
        return decision::refuse(error::bad_request, "the presentation is too long", "description");
    auto named = [&](const std::vector<std::string>& ids, const char* as,
                     const char* field) -> std::optional<decision> {
        std::set<std::string> seen;
        for (const auto& id : ids) {
            auto it = s.registrations.find(id);
            if (it == s.registrations.end() || it->second.event != event_id ||
                it->second.role != as)
                return decision::refuse(
                    error::bad_request,
                    std::string(field) + " names a " + as + " not registered: '" + id + "'", field);
            if (!seen.insert(id).second)
                return decision::refuse(error::bad_request,
                                        std::string(field) + " names '" + id + "' twice", field);
        }
        return std::nullopt;
    };
    if (role == "student") {
        if (!w.wants.empty() || !w.declines.empty())
            return decision::refuse(error::bad_request, "students rank companies", "wants");
        return named(w.ranking, "company", "ranking");
    }
    if (!w.ranking.empty())
        return decision::refuse(error::bad_request, "companies name students", "ranking");
    if (auto refused = named(w.wants, "student", "wants")) return refused;
    if (auto refused = named(w.declines, "student", "declines")) return refused;
    for (const auto& id : w.wants)
        if (std::find(w.declines.begin(), w.declines.end(), id) != w.declines.end())
            return decision::refuse(error::bad_request, "a student is wanted or declined, not both",
                                    "declines");
    return std::nullopt;
}

}  // namespace

decision decide_command(const state& s, const define_event& c, const context& ctx) {
    auto e = c.value;
    if (!valid_slug(e.id))
        return decision::refuse(error::bad_request, "an event needs an id (a-z, 0-9, -, _, .)",
                                "id");
    if (blank(e.title) || e.title.size() > 200)
        return decision::refuse(error::bad_request, "an event needs a title", "title");
    if (e.description.size() > 10000)
        return decision::refuse(error::bad_request, "the description is too long", "description");
    if (e.capacity < 1 || e.capacity > 100000)
        return decision::refuse(error::bad_request, "capacity must be between 1 and 100000",
                                "capacity");
    if (e.closes <= e.opens)
        return decision::refuse(error::bad_request, "registration closes after it opens", "closes");
    for (auto [when, field] : {std::pair{e.opens, "opens"}, std::pair{e.closes, "closes"}})
        if (!plausible_instant(when))
            return decision::refuse(error::bad_request, "a date between 2000 and 2169", field);
    if (e.team_min < 1 || e.team_max < e.team_min || e.team_max > 100)
        return decision::refuse(error::bad_request, "team sizes: 1 <= team_min <= team_max <= 100",
                                "team_min");
    if (e.kind == event_kind::job_dating &&
        (e.slots < 1 || e.slots > 200 || e.slot_minutes < 1 || e.slot_minutes > 24 * 60))
        return decision::refuse(error::bad_request,
                                "a Job Dating needs its slots (1..200) and their length", "slots");
    if (e.kind == event_kind::job_dating &&
        (!plausible_instant(e.day_start) ||
         !plausible_instant(e.day_start + minutes(std::int64_t{e.slots} * e.slot_minutes))))
        return decision::refuse(error::bad_request, "a day between 2000 and 2169", "day_start");
    for (int b : e.breaks)
        if (e.kind == event_kind::job_dating && (b < 0 || b >= e.slots))
            return decision::refuse(error::bad_request, "breaks are slots of the day", "breaks");
    if (e.retention_months < 1 || e.retention_months > c.retention_limit)
        return decision::refuse(error::bad_request,
                                "registrations are kept 1 to " + std::to_string(c.retention_limit) +
                                    " months after the event",
                                "retention_months");
    if (e.questions.size() > 50)
        return decision::refuse(error::bad_request, "at most 50 questions", "questions");
    std::set<std::string> question_ids;
    for (std::size_t i = 0; i < e.questions.size(); ++i) {
        if (!valid_id(e.questions[i].id) || blank(e.questions[i].label) ||
            e.questions[i].label.size() > 500)
            return decision::refuse(error::bad_request, "a question needs an id and a label",
                                    "questions/" + std::to_string(i));
        if (!question_ids.insert(e.questions[i].id).second)
            return decision::refuse(error::bad_request, "two questions have the same id",
                                    "questions/" + std::to_string(i));
    }
    const event* old = find_event(s, e.id);
    if (old) {
        // A restricted event stays unknown to those who may not see it.
        if (!may_see_event(ctx.who, *old))
            return decision::refuse(error::not_found, "no event '" + e.id + "'", "id");
        if (!may_organise(*old, ctx))
            return decision::refuse(error::forbidden, "only its organisers change an event");
        e.organiser = old->organiser;
    } else {
        if (!may_create_event(ctx.who))
            return decision::refuse(error::forbidden,
                                    "events are created by organisers and administrators");
        // The organisation that runs it is the creator's; only the system names another.
        if (!ctx.who.system || e.organiser.empty()) e.organiser = ctx.who.organisation;
        if (ctx.who.system && !e.organiser.empty() && !s.organisations.count(e.organiser))
            return decision::refuse(error::not_found, "no organisation '" + e.organiser + "'",
                                    "organiser");
    }
    for (const auto& rid : e.reservations) {
        const reservation* r = s.find_reservation(rid);
        // Only reservations the organisers may see: another organisation's stay unknown.
        if (!r || !(r->organisation == e.organiser || may_see(s, ctx.who, *r)))
            return decision::refuse(error::not_found, "no reservation '" + rid + "'",
                                    "reservations");
    }
    for (const auto& org : e.organisations)
        if (!s.organisations.count(org))
            return decision::refuse(error::not_found, "no organisation '" + org + "'",
                                    "organisations");
    return {{event_defined{e}}, {}};
}

decision decide_command(const state& s, const register_for_event& c, const context& ctx) {
    auto r = c.value;
    const event* e = find_event(s, r.event);
    if (!e) return decision::refuse(error::not_found, "no event '" + r.event + "'", "event");
    if (!valid_name(r.name))
        return decision::refuse(error::bad_request,
                                "a registration needs a name of at most 200 characters, without "
                                "control or invisible characters",
                                "name");
    if (!r.email.empty() && !valid_email(r.email))
        return decision::refuse(error::bad_request, "invalid email", "email");
    if (r.lang != "fr" && r.lang != "en")
        return decision::refuse(error::bad_request, "the language is fr or en", "lang");
    const bool organiser = may_organise(*e, ctx);
    if (!may_see_event(ctx.who, *e))
        return decision::refuse(error::not_found, "no event '" + r.event + "'", "event");
    // Walk-ins are registered by the organisers on the day, window or not.
    if (!organiser && (ctx.now < e->opens || ctx.now >= e->closes))
        return decision::refuse(error::closed, "registration is not open", "event");
    if (!may_register(ctx.who, *e))
        return decision::refuse(error::forbidden, "this event is open to some organisations only",
                                "event");
    if (!valid_id(r.code))
        return decision::refuse(error::bad_request, "a registration needs a code", "code");
    if (r.answers.size() > 50)
        return decision::refuse(error::bad_request, "too many answers", "answers");
    for (const auto& [k, v] : r.answers)
        if (v.size() > 2000)
            return decision::refuse(error::bad_request, "an answer is too long", "answers/" + k);
    for (const auto& q : e->questions)
        if (q.required && (r.answers.find(q.id) == r.answers.end() || blank(r.answers.at(q.id))))
            return decision::refuse(error::bad_request,
                                    "the question '" + q.label + "' needs an answer",
                                    "answers/" + q.id);
    for (const auto& answer : r.answers) {
        const auto& k = answer.first;
        if (std::none_of(e->questions.begin(), e->questions.end(),
                         [&](const event_question& q) { return q.id == k; }))
            return decision::refuse(error::bad_request, "unknown question '" + k + "'",
                                    "answers/" + k);
    }
    const auto email = email_key(r.email);
    for (const auto& [id, other] : s.registrations) {
        if (other.event != r.event) continue;
        if (other.code == r.code)
            return decision::refuse(error::exists, "this code is in use", "code");
        if (!email.empty() && other.status != registration_status::left &&
            email_key(other.email) == email)
            return decision::refuse(error::exists, "this email is registered already", "email");
    }
    if (e->kind == event_kind::job_dating) {
        if (r.role != "student" && r.role != "company")
            return decision::refuse(error::bad_request,
                                    "a Job Dating registration is a student or a company", "role");
        if (auto refused = check_wishes(s, r.event, r.role, wishes_of(r))) return *refused;
        if (r.role == "student") r.description.clear();
    } else {
        // Wishes mean something for a Job Dating only: nothing of them is kept elsewhere.
        r.role.clear();
        set_wishes(r, wishes{});
    }
    r.id = "g" + std::to_string(s.registration_counter + 1);
    r.created = ctx.now;
    r.user = ctx.who.system ? "" : ctx.who.id;
    r.status = counts_of(s, e->id).registered < e->capacity ? registration_status::registered
                                                            : registration_status::waiting;
    return {{registered{r}}, {}};
}

decision decide_command(const state& s, const update_wishes& c, const context& ctx) {
    const registration* r = registration_by_code(s, c.event, c.code);
    if (!r || r->status == registration_status::left)
        return decision::refuse(error::not_found, "no registration with this code", "code");
    const event& e = s.events.at(r->event);
    if (e.kind != event_kind::job_dating)
        return decision::refuse(error::bad_request, "wishes are for a Job Dating", "event");
    // Wishes are final when registration closes, so that the organisers build on inputs
    // that stay put; and once published, the timetable is what people hold.
    if (ctx.now >= e.closes)
        return decision::refuse(error::closed, "registration is closed: wishes are final", "event");
    if (timetable_published(s, e.id))
        return decision::refuse(error::closed, "the timetable is published: wishes are final",
                                "event");
    auto w = wishes_of(*r);
    const auto& ch = c.change;
    if (ch.ranking) w.ranking = *ch.ranking;
    if (ch.wants) w.wants = *ch.wants;
    if (ch.declines) w.declines = *ch.declines;
    if (ch.max_meetings) w.max_meetings = *ch.max_meetings;
    if (ch.tables) w.tables = *ch.tables;
    if (ch.first_slot) w.first_slot = *ch.first_slot;
    if (ch.last_slot) w.last_slot = *ch.last_slot;
    if (ch.description) w.description = *ch.description;
    if (r->role == "student") w.description.clear();
    if (auto refused = check_wishes(s, e.id, r->role, w)) return *refused;
    if (w == wishes_of(*r)) return {};
    return {{wishes_changed{r->id, w}}, {}};
}

decision decide_command(const state& s, const resend_registration& c, const context& ctx) {
    const event* e = find_event(s, c.event);
    if (!e || !may_see_event(ctx.who, *e))
        return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (!valid_email(c.email))
        return decision::refuse(error::bad_request, "invalid email", "email");
    // Nothing is said of an address that is not registered, or whose mail was sent again
    // often enough: the answer is the same (docs/domain.md, "Events").
    // The count is the address's in this event, across its registrations (registering again
    // after leaving does not start it over).
    const auto email = email_key(c.email);
    const registration* standing = nullptr;
    int sent = 0;
    for (const auto& [id, r] : s.registrations) {
        if (r.event != c.event || email_key(r.email) != email) continue;
        if (auto n = s.resent.find(id); n != s.resent.end()) sent += n->second;
        if (r.status != registration_status::left) standing = &r;
    }
    if (!standing || sent >= max_resends) return {};
    return {{registration_resent{standing->id}}, {}};
}

decision decide_command(const state& s, const leave_event& c, const context&) {
    const registration* r = registration_by_code(s, c.event, c.code);
    if (!r) return decision::refuse(error::not_found, "no registration with this code", "code");
    if (r->status == registration_status::left)
        return decision::refuse(error::already_ended, "already left");
    // In the room already: the place is theirs, and nobody waiting can take it now.
    if (r->status == registration_status::checked_in)
        return decision::refuse(error::conflict, "checked in already: the place stays taken",
                                "code");
    decision d;
    d.facts.push_back(registration_left{r->id});
    if (auto t = team_of(s, r->id)) d.facts.push_back(team_left{t->id, r->id});
    // A place frees up: the first person waiting takes it.
    if (r->status != registration_status::waiting) {
        auto w = s.waiting.find(c.event);
        if (w != s.waiting.end() && !w->second.empty())
            d.facts.push_back(registration_promoted{w->second.front()});
    }
    return d;
}

decision decide_command(const state& s, const reorder_waitlist& c, const context& ctx) {
    const event* e = find_visible_event(s, c.event, ctx);
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (!may_organise(*e, ctx))
        return decision::refuse(error::forbidden, "only the organisers reorder the list");
    auto current = s.waiting.count(c.event) ? s.waiting.at(c.event) : std::vector<std::string>{};
    auto a = current, b = c.order;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b)
        return decision::refuse(error::bad_request,
                                "the order must list exactly the people waiting", "order");
    return {{waitlist_reordered{c.event, c.order}}, {}};
}

decision decide_command(const state& s, const check_in& c, const context& ctx) {
    const event* e = find_visible_event(s, c.event, ctx);
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (!may_organise(*e, ctx))
        return decision::refuse(error::forbidden, "only the organisers check people in");
    const registration* r = registration_by_code(s, c.event, c.code);
    if (!r) return decision::refuse(error::not_found, "no registration with this code", "code");
    if (r->status == registration_status::checked_in)
        return decision::refuse(error::already_ended, "checked in already");
    if (r->status != registration_status::registered)
        return decision::refuse(error::not_pending,
                                "this registration is " + std::string(name_of(r->status)));
    return {{checked_in{r->id}}, {}};
}

decision decide_command(const state& s, const mark_no_show& c, const context& ctx) {
    const event* e = find_visible_event(s, c.event, ctx);
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (!may_organise(*e, ctx))
        return decision::refuse(error::forbidden, "only the organisers mark no-shows");
    auto it = s.registrations.find(c.registration);
    if (it == s.registrations.end() || it->second.event != c.event)
        return decision::refuse(error::not_found, "no such registration", "registration");
    return {{participation_changed{c.registration, c.no_show}}, {}};
}

decision decide_command(const state& s, const create_team& c, const context&) {
    const event* e = find_event(s, c.event);
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    // The code first: only its holder learns what kind of event this is.
    const registration* r = registration_by_code(s, c.event, c.registration_code);
    if (!r || r->status == registration_status::left || r->status == registration_status::waiting)
        return decision::refuse(error::not_found, "no registration with this code", "code");
    if (e->kind != event_kind::culturathon)
        return decision::refuse(error::bad_request, "teams are for the Culturathon", "event");
    if (team_of(s, r->id)) return decision::refuse(error::exists, "already in a team", "code");
    if (!valid_name(c.name, 100))
        return decision::refuse(error::bad_request,
                                "a team needs a name of at most 100 characters, without control "
                                "or invisible characters",
                                "name");
    if (!valid_id(c.team_id) || !valid_id(c.team_code))
        return decision::refuse(error::bad_request, "a team needs an id and a code", "team");
    if (s.teams.count(c.team_id))
        return decision::refuse(error::exists, "this team id is in use", "team");
    for (const auto& [id, other] : s.teams)
        if (other.event == c.event && other.code == c.team_code)
            return decision::refuse(error::exists, "this team code is in use", "team_code");
    team t{c.team_id, c.event, c.name, c.team_code, {r->id}, false};
    return {{team_created{t}}, {}};
}

decision decide_command(const state& s, const join_team& c, const context&) {
    const registration* r = registration_by_code(s, c.event, c.registration_code);
    if (!r || r->status == registration_status::left || r->status == registration_status::waiting)
        return decision::refuse(error::not_found, "no registration with this code", "code");
    if (team_of(s, r->id)) return decision::refuse(error::exists, "already in a team", "code");
    for (const auto& [id, t] : s.teams)
        if (t.event == c.event && t.code == c.team_code) {
            const auto& e = s.events.at(c.event);
            if (static_cast<int>(t.members.size()) >= e.team_max)
                return decision::refuse(
                    error::over_capacity,
                    "a team has at most " + std::to_string(e.team_max) + " members", "team");
            return {{team_joined{t.id, r->id}}, {}};
        }
    return decision::refuse(error::not_found, "no team with this code", "team_code");
}

decision decide_command(const state& s, const leave_team& c, const context&) {
    const registration* r = registration_by_code(s, c.event, c.registration_code);
    if (!r) return decision::refuse(error::not_found, "no registration with this code", "code");
    const team* t = team_of(s, r->id);
    if (!t) return decision::refuse(error::not_found, "not in a team", "code");
    return {{team_left{t->id, r->id}}, {}};
}

decision decide_command(const state& s, const flag_team& c, const context& ctx) {
    auto it = s.teams.find(c.team);
    if (it == s.teams.end())
        return decision::refuse(error::not_found, "no team '" + c.team + "'", "team");
    if (!may_organise(s.events.at(it->second.event), ctx))
        return decision::refuse(error::forbidden,
                                "only the organisers flag a project for Campus PÉPITE");
    const auto& e = s.events.at(it->second.event);
    if (c.pepite && static_cast<int>(it->second.members.size()) < e.team_min)
        return decision::refuse(error::bad_request, "the team is smaller than the event's minimum",
                                "team");
    return {{team_flagged{c.team, c.pepite}}, {}};
}

}  // namespace creneau
