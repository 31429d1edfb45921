#include "common/events.hpp"

#include "common/access.hpp"
#include "common/commands.hpp"
#include "common/json_read.hpp"

#include <algorithm>
#include <cctype>

namespace creneau {
using nlohmann::json;
using namespace json_read;

// ---- JSON -------------------------------------------------------------------------------

json to_json(const event& e) {
    json questions = json::array();
    for (const auto& q : e.questions) questions.push_back({{"id", q.id}, {"label", q.label}, {"required", q.required}});
    return {{"id", e.id},
            {"kind", name_of(e.kind)},
            {"title", e.title},
            {"description", e.description},
            {"reservations", e.reservations},
            {"capacity", e.capacity},
            {"opens", format_utc(e.opens)},
            {"closes", format_utc(e.closes)},
            {"restricted", e.restricted},
            {"organisations", e.organisations},
            {"questions", questions},
            {"organiser", e.organiser},
            {"team_min", e.team_min},
            {"team_max", e.team_max},
            {"day_start", format_utc(e.day_start)},
            {"slot_minutes", e.slot_minutes},
            {"slots", e.slots},
            {"breaks", e.breaks}};
}

event event_from_json(const json& j) {
    event e;
    e.id = str_or(j, "id", "", "");
    e.kind = enum_value<event_kind>(j, "kind", "", parse_event_kind, "welcome-day, job-dating, culturathon, talk");
    e.title = str(j, "title", "");
    e.description = str_or(j, "description", "", "");
    e.reservations = strings_or(j, "reservations", "");
    e.capacity = small_int(j, "capacity", "");
    e.opens = when(j, "opens", "");
    e.closes = when(j, "closes", "");
    e.restricted = boolean_or(j, "restricted", "", false);
    e.organisations = strings_or(j, "organisations", "");
    if (j.contains("questions")) {
        const auto& qs = j.at("questions");
        if (!qs.is_array()) fail("/questions", "expected an array");
        for (std::size_t i = 0; i < qs.size(); ++i) {
            auto p = "/questions/" + std::to_string(i);
            e.questions.push_back({str(qs[i], "id", p), str(qs[i], "label", p), boolean_or(qs[i], "required", p, false)});
        }
    }
    e.organiser = str_or(j, "organiser", "", "");
    e.team_min = static_cast<int>(integer_or(j, "team_min", "", 1));
    e.team_max = static_cast<int>(integer_or(j, "team_max", "", 4));
    if (j.contains("day_start")) e.day_start = when(j, "day_start", "");
    e.slot_minutes = static_cast<int>(integer_or(j, "slot_minutes", "", 15));
    e.slots = static_cast<int>(integer_or(j, "slots", "", 0));
    if (j.contains("breaks")) {
        if (!j.at("breaks").is_array()) fail("/breaks", "expected an array of slot numbers");
        for (const auto& b : j.at("breaks")) {
            if (!b.is_number_integer()) fail("/breaks", "expected slot numbers");
            e.breaks.push_back(b.get<int>());
        }
    }
    return e;
}

json to_json(const registration& r) {
    return {{"id", r.id},
            {"event", r.event},
            {"code", r.code},
            {"name", r.name},
            {"email", r.email},
            {"organisation", r.organisation},
            {"user", r.user},
            {"answers", r.answers},
            {"status", name_of(r.status)},
            {"created", format_utc(r.created)},
            {"role", r.role},
            {"ranking", r.ranking},
            {"wants", r.wants},
            {"declines", r.declines},
            {"max_meetings", r.max_meetings},
            {"tables", r.tables},
            {"first_slot", r.first_slot},
            {"last_slot", r.last_slot},
            {"no_show", r.no_show}};
}

registration registration_from_json(const json& j) {
    registration r;
    r.id = str_or(j, "id", "", "");
    r.event = str_or(j, "event", "", "");
    r.code = str_or(j, "code", "", "");
    r.name = str(j, "name", "");
    r.email = str_or(j, "email", "", "");
    r.organisation = str_or(j, "organisation", "", "");
    r.user = str_or(j, "user", "", "");
    if (j.contains("answers")) {
        if (!j.at("answers").is_object()) fail("/answers", "expected an object of answers");
        for (const auto& [k, v] : j.at("answers").items()) {
            if (!v.is_string()) fail("/answers/" + k, "expected a string");
            r.answers[k] = v.get<std::string>();
        }
    }
    if (j.contains("status"))
        r.status = enum_value<registration_status>(j, "status", "", parse_registration_status, "a registration status");
    if (j.contains("created")) r.created = when(j, "created", "");
    r.role = str_or(j, "role", "", "");
    r.ranking = strings_or(j, "ranking", "");
    r.wants = strings_or(j, "wants", "");
    r.declines = strings_or(j, "declines", "");
    r.max_meetings = static_cast<int>(integer_or(j, "max_meetings", "", 0));
    r.tables = static_cast<int>(integer_or(j, "tables", "", 1));
    r.first_slot = static_cast<int>(integer_or(j, "first_slot", "", 0));
    r.last_slot = static_cast<int>(integer_or(j, "last_slot", "", 1 << 30));
    r.no_show = boolean_or(j, "no_show", "", false);
    return r;
}

json to_json(const team& t) {
    return {{"id", t.id}, {"event", t.event}, {"name", t.name}, {"code", t.code}, {"members", t.members}, {"pepite", t.pepite}};
}

team team_from_json(const json& j) {
    return {str(j, "id", ""), str(j, "event", ""), str(j, "name", ""), str_or(j, "code", "", ""),
            strings_or(j, "members", ""), boolean_or(j, "pepite", "", false)};
}

namespace {

json meetings_json(const std::vector<jd_meeting>& ms) {
    json out = json::array();
    for (const auto& m : ms)
        out.push_back({{"student", m.student}, {"company", m.company}, {"slot", m.slot}, {"table", m.table}, {"pinned", m.pinned}});
    return out;
}

std::vector<jd_meeting> meetings_from(const json& j, const char* key) {
    std::vector<jd_meeting> out;
    if (!j.contains(key)) return out;
    const auto& ms = j.at(key);
    if (!ms.is_array()) fail(std::string("/") + key, "expected an array");
    for (std::size_t i = 0; i < ms.size(); ++i) {
        auto p = std::string("/") + key + "/" + std::to_string(i);
        out.push_back({str(ms[i], "student", p), str(ms[i], "company", p), small_int(ms[i], "slot", p),
                       static_cast<int>(integer_or(ms[i], "table", p, 0)), boolean_or(ms[i], "pinned", p, false)});
    }
    return out;
}

}  // namespace

json to_json(const jd_timetable& t) {
    return {{"meetings", meetings_json(t.meetings)}, {"dropped", meetings_json(t.dropped)},
            {"published", t.published}, {"revision", t.revision}};
}

jd_timetable timetable_from_json(const json& j) {
    jd_timetable t;
    t.meetings = meetings_from(j, "meetings");
    t.dropped = meetings_from(j, "dropped");
    t.published = boolean_or(j, "published", "", false);
    t.revision = static_cast<int>(integer_or(j, "revision", "", 0));
    return t;
}

// ---- rules ------------------------------------------------------------------------------

event_counts counts_of(const state& s, const std::string& event_id) {
    event_counts c;
    for (const auto& [id, r] : s.registrations) {
        if (r.event != event_id) continue;
        if (r.status == registration_status::registered || r.status == registration_status::checked_in) ++c.registered;
        if (r.status == registration_status::checked_in) ++c.checked_in;
        if (r.status == registration_status::waiting) ++c.waiting;
    }
    return c;
}

json to_json(const event_counts& c) {
    return {{"registered", c.registered}, {"waiting", c.waiting}, {"checked_in", c.checked_in}};
}

jobdating::problem jobdating_problem(const state& s, const event& e, const std::vector<jobdating::meeting>& pins,
                                     const std::set<std::pair<std::string, std::string>>& removed, int now_slot) {
    jobdating::problem p;
    p.slots = e.slots;
    p.breaks.insert(e.breaks.begin(), e.breaks.end());
    p.now_slot = now_slot;
    p.pinned = pins;
    if (auto t = s.timetables.find(e.id); t != s.timetables.end())
        for (const auto& m : t->second.meetings)
            if (!removed.count({m.student, m.company})) p.previous.push_back({m.student, m.company, m.slot, m.table, m.pinned});
    std::map<std::string, const registration*> present;
    for (const auto& [id, r] : s.registrations)
        if (r.event == e.id && !r.no_show &&
            (r.status == registration_status::registered || r.status == registration_status::checked_in))
            present[id] = &r;
    for (const auto& [id, r] : present) {
        if (r->role == "company") {
            jobdating::company c;
            c.id = id;
            c.name = r->name;
            c.wants.insert(r->wants.begin(), r->wants.end());
            c.declines.insert(r->declines.begin(), r->declines.end());
            for (const auto& [sid, cid] : removed)
                if (cid == id) c.declines.insert(sid);  // removed by the organiser: not again
            c.max_meetings = r->max_meetings > 0 ? r->max_meetings : e.slots * r->tables;
            c.tables = r->tables;
            c.first_slot = r->first_slot;
            c.last_slot = r->last_slot;
            p.companies.push_back(c);
        } else if (r->role == "student") {
            jobdating::student st;
            st.id = id;
            st.name = r->name;
            for (const auto& cid : r->ranking)
                if (present.count(cid)) st.ranking.push_back(cid);
            st.max_meetings = r->max_meetings > 0 ? r->max_meetings : e.slots;
            st.first_slot = r->first_slot;
            st.last_slot = r->last_slot;
            p.students.push_back(st);
        }
    }
    return p;
}

int slot_at(const event& e, instant now) {
    if (e.slot_minutes <= 0) return 0;
    auto since = std::chrono::duration_cast<minutes>(now - e.day_start).count();
    if (since < 0) return 0;
    return static_cast<int>(std::min<long long>(e.slots, (since + e.slot_minutes - 1) / e.slot_minutes));
}

instant slot_start(const event& e, int slot) { return e.day_start + minutes(std::int64_t{slot} * e.slot_minutes); }

namespace {

const event* find_event(const state& s, const std::string& id) {
    auto it = s.events.find(id);
    return it == s.events.end() ? nullptr : &it->second;
}

const registration* by_code(const state& s, const std::string& event_id, const std::string& code) {
    if (code.empty()) return nullptr;
    for (const auto& [id, r] : s.registrations)
        if (r.event == event_id && r.code == code) return &r;
    return nullptr;
}

bool may_organise(const state&, const event& e, const context& ctx) { return may_manage_event(ctx.who, e); }

const team* team_of(const state& s, const std::string& registration_id) {
    for (const auto& [id, t] : s.teams)
        if (std::find(t.members.begin(), t.members.end(), registration_id) != t.members.end()) return &t;
    return nullptr;
}

}  // namespace

decision decide_event(const state& s, const define_event& c, const context& ctx) {
    auto e = c.value;
    if (!valid_slug(e.id)) return decision::refuse(error::bad_request, "an event needs an id (a-z, 0-9, -, _, .)", "id");
    if (blank(e.title) || e.title.size() > 200) return decision::refuse(error::bad_request, "an event needs a title", "title");
    if (e.description.size() > 10000) return decision::refuse(error::bad_request, "the description is too long", "description");
    if (e.capacity < 1 || e.capacity > 100000) return decision::refuse(error::bad_request, "capacity must be between 1 and 100000", "capacity");
    if (e.closes <= e.opens) return decision::refuse(error::bad_request, "registration closes after it opens", "closes");
    if (e.team_min < 1 || e.team_max < e.team_min || e.team_max > 100)
        return decision::refuse(error::bad_request, "team sizes: 1 <= team_min <= team_max <= 100", "team_min");
    if (e.kind == event_kind::job_dating && (e.slots < 1 || e.slots > 200 || e.slot_minutes < 1 || e.slot_minutes > 24 * 60))
        return decision::refuse(error::bad_request, "a Job Dating needs its slots (1..200) and their length", "slots");
    if (e.questions.size() > 50) return decision::refuse(error::bad_request, "at most 50 questions", "questions");
    for (std::size_t i = 0; i < e.questions.size(); ++i)
        if (!valid_id(e.questions[i].id) || blank(e.questions[i].label) || e.questions[i].label.size() > 500)
            return decision::refuse(error::bad_request, "a question needs an id and a label",
                                    "questions/" + std::to_string(i));
    const event* old = find_event(s, e.id);
    if (old) {
        if (!may_organise(s, *old, ctx)) return decision::refuse(error::forbidden, "only its organisers change an event");
        e.organiser = old->organiser;
    } else {
        if (!may_create_event(ctx.who))
            return decision::refuse(error::forbidden, "events are created by organisers and administrators");
        // The organisation that runs it is the creator's; only the system names another.
        if (!ctx.who.system || e.organiser.empty()) e.organiser = ctx.who.organisation;
        if (ctx.who.system && !e.organiser.empty() && !s.organisations.count(e.organiser))
            return decision::refuse(error::not_found, "no organisation '" + e.organiser + "'", "organiser");
    }
    for (const auto& rid : e.reservations) {
        const reservation* r = s.find_reservation(rid);
        // Only reservations the organisers may see: another organisation's stay unknown.
        if (!r || !(r->organisation == e.organiser || may_see(s, ctx.who, *r)))
            return decision::refuse(error::not_found, "no reservation '" + rid + "'", "reservations");
    }
    for (const auto& org : e.organisations)
        if (!s.organisations.count(org))
            return decision::refuse(error::not_found, "no organisation '" + org + "'", "organisations");
    return {{event_defined{e}}, {}};
}

decision decide_event(const state& s, const register_for_event& c, const context& ctx) {
    auto r = c.value;
    const event* e = find_event(s, r.event);
    if (!e) return decision::refuse(error::not_found, "no event '" + r.event + "'", "event");
    if (blank(r.name) || r.name.size() > 200) return decision::refuse(error::bad_request, "a registration needs a name", "name");
    if (r.email.size() > 254 || (!r.email.empty() && r.email.find('@') == std::string::npos))
        return decision::refuse(error::bad_request, "invalid email", "email");
    const bool organiser = may_organise(s, *e, ctx);
    if (!may_see_event(ctx.who, *e)) return decision::refuse(error::not_found, "no event '" + r.event + "'", "event");
    // Walk-ins are registered by the organisers on the day, window or not.
    if (!organiser && (ctx.now < e->opens || ctx.now >= e->closes))
        return decision::refuse(error::closed, "registration is not open", "event");
    if (!may_register(ctx.who, *e))
        return decision::refuse(error::forbidden, "this event is open to some organisations only", "event");
    if (!valid_id(r.code)) return decision::refuse(error::bad_request, "a registration needs a code", "code");
    if (r.answers.size() > 50) return decision::refuse(error::bad_request, "too many answers", "answers");
    for (const auto& [k, v] : r.answers)
        if (v.size() > 2000) return decision::refuse(error::bad_request, "an answer is too long", "answers/" + k);
    for (const auto& q : e->questions)
        if (q.required && (r.answers.find(q.id) == r.answers.end() || blank(r.answers.at(q.id))))
            return decision::refuse(error::bad_request, "the question '" + q.label + "' needs an answer", "answers/" + q.id);
    for (const auto& answer : r.answers) {
        const auto& k = answer.first;
        if (std::none_of(e->questions.begin(), e->questions.end(), [&](const event_question& q) { return q.id == k; }))
            return decision::refuse(error::bad_request, "unknown question '" + k + "'", "answers/" + k);
    }
    const auto email = email_key(r.email);
    for (const auto& [id, other] : s.registrations) {
        if (other.event != r.event) continue;
        if (other.code == r.code) return decision::refuse(error::exists, "this code is in use", "code");
        if (!email.empty() && other.status != registration_status::left && email_key(other.email) == email)
            return decision::refuse(error::exists, "this email is registered already", "email");
    }
    if (e->kind == event_kind::job_dating) {
        if (r.role != "student" && r.role != "company")
            return decision::refuse(error::bad_request, "a Job Dating registration is a student or a company", "role");
        if (r.max_meetings < 0 || r.max_meetings > 1000 || r.tables < 1 || r.tables > 20)
            return decision::refuse(error::bad_request, "meetings between 0 and 1000, tables between 1 and 20", "max_meetings");
        if (r.first_slot < 0 || r.last_slot < r.first_slot)
            return decision::refuse(error::bad_request, "leaving comes after arriving", "last_slot");
        if (r.ranking.size() > 200 || r.wants.size() > 1000 || r.declines.size() > 1000)
            return decision::refuse(error::bad_request, "too many wishes", "ranking");
        for (const auto& cid : r.ranking) {
            auto it = s.registrations.find(cid);
            if (it == s.registrations.end() || it->second.event != r.event || it->second.role != "company")
                return decision::refuse(error::bad_request, "ranking names a company not registered: '" + cid + "'", "ranking");
        }
    } else {
        r.role.clear();
    }
    r.id = "g" + std::to_string(s.registration_counter + 1);
    r.created = ctx.now;
    r.user = ctx.who.system ? "" : ctx.who.id;
    r.status = counts_of(s, e->id).registered < e->capacity ? registration_status::registered : registration_status::waiting;
    return {{registered{r}}, {}};
}

decision decide_event(const state& s, const leave_event& c, const context&) {
    const registration* r = by_code(s, c.event, c.code);
    if (!r) return decision::refuse(error::not_found, "no registration with this code", "code");
    if (r->status == registration_status::left) return decision::refuse(error::already_ended, "already left");
    decision d;
    d.facts.push_back(registration_left{r->id});
    if (auto t = team_of(s, r->id)) d.facts.push_back(team_left{t->id, r->id});
    // A place frees up: the first person waiting takes it.
    if (r->status != registration_status::waiting) {
        auto w = s.waiting.find(c.event);
        if (w != s.waiting.end() && !w->second.empty()) d.facts.push_back(registration_promoted{w->second.front()});
    }
    return d;
}

decision decide_event(const state& s, const reorder_waitlist& c, const context& ctx) {
    const event* e = find_event(s, c.event);
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (!may_organise(s, *e, ctx)) return decision::refuse(error::forbidden, "only the organisers reorder the list");
    auto current = s.waiting.count(c.event) ? s.waiting.at(c.event) : std::vector<std::string>{};
    auto a = current, b = c.order;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b) return decision::refuse(error::bad_request, "the order must list exactly the people waiting", "order");
    return {{waitlist_reordered{c.event, c.order}}, {}};
}

decision decide_event(const state& s, const check_in& c, const context& ctx) {
    const event* e = find_event(s, c.event);
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (!may_organise(s, *e, ctx)) return decision::refuse(error::forbidden, "only the organisers check people in");
    const registration* r = by_code(s, c.event, c.code);
    if (!r) return decision::refuse(error::not_found, "no registration with this code", "code");
    if (r->status == registration_status::checked_in) return decision::refuse(error::already_ended, "checked in already");
    if (r->status != registration_status::registered)
        return decision::refuse(error::not_pending, "this registration is " + std::string(name_of(r->status)));
    return {{checked_in{r->id}}, {}};
}

decision decide_event(const state& s, const mark_no_show& c, const context& ctx) {
    const event* e = find_event(s, c.event);
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (!may_organise(s, *e, ctx)) return decision::refuse(error::forbidden, "only the organisers mark no-shows");
    auto it = s.registrations.find(c.registration);
    if (it == s.registrations.end() || it->second.event != c.event)
        return decision::refuse(error::not_found, "no such registration", "registration");
    return {{participation_changed{c.registration, c.no_show}}, {}};
}

decision decide_event(const state& s, const create_team& c, const context&) {
    const event* e = find_event(s, c.event);
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (e->kind != event_kind::culturathon) return decision::refuse(error::bad_request, "teams are for the Culturathon", "event");
    const registration* r = by_code(s, c.event, c.registration_code);
    if (!r || r->status == registration_status::left || r->status == registration_status::waiting)
        return decision::refuse(error::not_found, "no registration with this code", "code");
    if (team_of(s, r->id)) return decision::refuse(error::exists, "already in a team", "code");
    if (blank(c.name) || c.name.size() > 100) return decision::refuse(error::bad_request, "a team needs a name", "name");
    if (!valid_id(c.team_id) || !valid_id(c.team_code)) return decision::refuse(error::bad_request, "a team needs an id and a code", "team");
    if (s.teams.count(c.team_id)) return decision::refuse(error::exists, "this team id is in use", "team");
    for (const auto& [id, other] : s.teams)
        if (other.event == c.event && other.code == c.team_code)
            return decision::refuse(error::exists, "this team code is in use", "team_code");
    team t{c.team_id, c.event, c.name, c.team_code, {r->id}, false};
    return {{team_created{t}}, {}};
}

decision decide_event(const state& s, const join_team& c, const context&) {
    const registration* r = by_code(s, c.event, c.registration_code);
    if (!r || r->status == registration_status::left || r->status == registration_status::waiting)
        return decision::refuse(error::not_found, "no registration with this code", "code");
    if (team_of(s, r->id)) return decision::refuse(error::exists, "already in a team", "code");
    for (const auto& [id, t] : s.teams)
        if (t.event == c.event && t.code == c.team_code) {
            const auto& e = s.events.at(c.event);
            if (static_cast<int>(t.members.size()) >= e.team_max)
                return decision::refuse(error::over_capacity, "a team has at most " + std::to_string(e.team_max) + " members", "team");
            return {{team_joined{t.id, r->id}}, {}};
        }
    return decision::refuse(error::not_found, "no team with this code", "team_code");
}

decision decide_event(const state& s, const leave_team& c, const context&) {
    const registration* r = by_code(s, c.event, c.registration_code);
    if (!r) return decision::refuse(error::not_found, "no registration with this code", "code");
    const team* t = team_of(s, r->id);
    if (!t) return decision::refuse(error::not_found, "not in a team", "code");
    return {{team_left{t->id, r->id}}, {}};
}

decision decide_event(const state& s, const flag_team& c, const context& ctx) {
    auto it = s.teams.find(c.team);
    if (it == s.teams.end()) return decision::refuse(error::not_found, "no team '" + c.team + "'", "team");
    if (!may_organise(s, s.events.at(it->second.event), ctx))
        return decision::refuse(error::forbidden, "only the organisers flag a project for Campus PÉPITE");
    const auto& e = s.events.at(it->second.event);
    if (c.pepite && static_cast<int>(it->second.members.size()) < e.team_min)
        return decision::refuse(error::bad_request, "the team is smaller than the event's minimum", "team");
    return {{team_flagged{c.team, c.pepite}}, {}};
}

decision decide_event(const state& s, const set_timetable& c, const context& ctx) {
    const event* e = find_event(s, c.event);
    if (!e) return decision::refuse(error::not_found, "no event '" + c.event + "'", "event");
    if (e->kind != event_kind::job_dating) return decision::refuse(error::bad_request, "only a Job Dating has a timetable", "event");
    if (!may_organise(s, *e, ctx)) return decision::refuse(error::forbidden, "only the organisers set the timetable");
    if (c.based_on) {
        auto inputs = s.event_inputs.find(c.event);
        if (*c.based_on != (inputs == s.event_inputs.end() ? 0 : inputs->second))
            return decision::refuse(error::conflict, "the registrations changed while the timetable was built", "based_on");
    }
    if (c.value.meetings.size() > 100000) return decision::refuse(error::bad_request, "too many meetings", "meetings");
    std::set<std::pair<std::string, int>> busy;
    for (const auto& m : c.value.meetings) {
        auto st = s.registrations.find(m.student);
        auto co = s.registrations.find(m.company);
        if (st == s.registrations.end() || co == s.registrations.end() || st->second.role != "student" ||
            co->second.role != "company" || st->second.event != c.event || co->second.event != c.event)
            return decision::refuse(error::bad_request, "a meeting names someone not registered", "meetings");
        if (m.slot < 0 || m.slot >= e->slots || m.table < 0 || m.table >= co->second.tables)
            return decision::refuse(error::bad_request, "a meeting is outside the day's slots or tables", "meetings");
        if (!busy.insert({m.student, m.slot}).second ||
            !busy.insert({m.company + "#" + std::to_string(m.table), m.slot}).second)
            return decision::refuse(error::conflict, "someone would be in two meetings at once", "meetings");
        if (std::find(co->second.declines.begin(), co->second.declines.end(), m.student) != co->second.declines.end())
            return decision::refuse(error::conflict, "a company declined one of these students", "meetings");
    }
    auto t = c.value;
    auto old = s.timetables.find(c.event);
    t.revision = old == s.timetables.end() ? 1 : old->second.revision + 1;
    return {{timetable_set{c.event, t}}, {}};
}

}  // namespace creneau
