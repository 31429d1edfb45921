// Events: their definitions, registrations and waiting list, check-in, Culturathon teams.
// Registrants act by the code they were given; organisers by their account.

#include "server/api/events.hpp"
#include "server/api/routes.hpp"

#include "server/api/ical.hpp"
#include "server/ops/log.hpp"

#include "common/access.hpp"
#include "common/events/queries.hpp"
#include "common/jobdating/problem.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>

namespace creneau::server {

const event& need_event(const state& s, const std::string& id, const caller& who) {
    auto it = s.events.find(id);
    if (it == s.events.end() || !may_see_event(who.as_actor(), it->second))
        fail(http::status::not_found, "not-found", "no event '" + id + "'");
    return it->second;
}

void need_organiser(const event& e, const caller& who) {
    require_user(who);
    require(may_manage_event(who.as_actor(), e), "Only the event's organisers may do this.");
}

namespace {

// Codes are chosen at random; a collision with an existing one is refused by the domain
// (`exists` on the code's field) and a new code is drawn, this many times at most.
constexpr int code_attempts = 5;

// A short code people can type: 8 letters and digits without look-alikes.
std::string new_code() {
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string out;
    for (int i = 0; i < 8; ++i) out += alphabet[randombytes_uniform(sizeof alphabet - 1)];
    return out;
}

// Codes are typed by people: compared in upper case (code_upper).
std::string code_field(const json& body, const char* name) {
    return code_upper(field_id(body, name));
}

// Commands decided for someone who proves who they are by their registration code.
const actor anonymous = actor::anonymous();

// The rooms an event takes place in, as long as their reservations stand.
std::vector<const reservation*> sessions_of(const state& s, const event& e) {
    std::vector<const reservation*> out;
    for (const auto& id : e.reservations)
        if (const reservation* r = s.find_reservation(id);
            r &&
            (r->status == reservation_status::approved || r->status == reservation_status::pending))
            out.push_back(r);
    std::sort(out.begin(), out.end(),
              [](const reservation* a, const reservation* b) { return a->start < b->start; });
    return out;
}

std::string resource_name(const state& s, const std::string& id) {
    auto r = s.resources.find(id);
    return r == s.resources.end() ? id : r->second.name;
}

// An event as anyone who may see it reads it: its definition, counts, when and where (its
// rooms' times, not who booked them), a Job Dating's slots, and whether the reader manages it.
json public_event(const state& s, const event& e, const actor& who) {
    json j = e;
    j["counts"] = counts_of(s, e.id);
    auto sessions = json::array();
    std::optional<instant> starts, ends;
    for (const auto* r : sessions_of(s, e)) {
        sessions.push_back({{"start", r->start},
                            {"end", r->end},
                            {"resource", r->resource},
                            {"resource_name", resource_name(s, r->resource)}});
        starts = starts ? std::min(*starts, r->start) : r->start;
        ends = ends ? std::max(*ends, r->end) : r->end;
    }
    j["sessions"] = sessions;
    if (e.kind == event_kind::job_dating && e.slots > 0) {
        auto times = json::array();
        for (int i = 0; i < e.slots; ++i) times.push_back(slot_start(e, i));
        j["slot_times"] = times;
        auto end = slot_start(e, e.slots);
        j["day_end"] = end;
        starts = starts ? std::min(*starts, e.day_start) : e.day_start;
        ends = ends ? std::max(*ends, end) : end;
    }
    if (starts) j["starts"] = *starts;
    if (ends) j["ends"] = *ends;
    j["timetable_published"] = timetable_published(s, e.id);
    j["manage"] = may_manage_event(who, e);
    return j;
}

// The handlers below that only return `organise(…)` are not coroutines themselves: what they
// hand it is captured by value, never by reference to their own locals.

// Runs a command and answers `ok(state, outcome)` (status `code`), or the refusal.
template <class Ok>
net::awaitable<response> run(const api_base& api, call& c, const command& cmd, const actor& by,
                             http::status code, const Ok& ok) {
    auto o = co_await submit(api.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, code, api.book.read([&](const state& s) { return ok(s, o); }));
}

// An organiser's command on an event: signed in, same-site, then the domain's rules.
template <class Make, class Ok>
net::awaitable<response> organise(const api_base& api, call& c, Make make, Ok ok) {
    auto who = api.identify(c.req);
    require_user(who);
    api.check_origin(c.req, who);
    auto body = json_body(c.req, true);
    const command cmd = make(body);
    const actor by = who.as_actor();
    co_return co_await run(api, c, cmd, by, http::status::ok, ok);
}

net::awaitable<response> list_events(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    std::string key = "events ";
    key.append(audience_key(who));
    auto answer = cached_read(api, c.req, key, [&](const state& s) -> std::optional<json> {
        auto out = json::array();
        for (const auto& [id, e] : s.events)
            if (may_see_event(who.as_actor(), e)) out.push_back(public_event(s, e, who.as_actor()));
        return out;
    });
    co_return std::move(*answer);
}

net::awaitable<response> one_event(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        return public_event(s, need_event(s, c.param("id"), who), who.as_actor());
    }));
}

net::awaitable<response> define(const api_base& api, call& c) {
    const auto id = c.param("id");
    const actor by = api.identify(c.req).as_actor();
    return organise(
        api, c,
        [id, limit = api.retention_limit_months](json& body) -> command {
            return define_event{read_entity<event>(body, id), limit};
        },
        [id, by](const state& s, const outcome&) { return public_event(s, s.events.at(id), by); });
}

net::awaitable<response> register_one(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    api.check_origin(c.req, who);
    auto body = json_body(c.req);
    for (const char* chosen_by_server :
         {"id", "status", "code", "created", "user", "event", "no_show"})
        body.erase(chosen_by_server);
    registration r = read_json<registration>(body);
    for (const auto* ids : {&r.ranking, &r.wants, &r.declines})
        for (const auto& v : *ids)
            if (!valid_id(v))
                fail(http::status::bad_request, "bad-request",
                     "wishes name registrations by their ids", "ranking");
    if (!r.organisation.empty() && !valid_id(r.organisation))
        fail(http::status::bad_request, "bad-request", "'organisation' is an identifier",
             "organisation");
    r.event = c.param("id");
    if (who.who && r.organisation.empty()) r.organisation = who.who->organisation;
    const actor by = who.as_actor();
    for (int attempt = 1;; ++attempt) {
        r.code = new_code();
        const command cmd = register_for_event{r};
        auto o = co_await submit(api.book, cmd, by, &c.req);
        if (refused_for(o, error::exists, "code") && attempt < code_attempts) continue;
        if (auto failure = failure_response(c.req, o)) co_return *failure;
        co_return json_response(c.req, http::status::created, api.book.read([&](const state& s) {
            const auto& reg =
                s.registrations.at(std::get<registered>(o.facts.front().body).value.id);
            json j = {{"id", reg.id}, {"code", reg.code}, {"status", reg.status}};
            if (int position = waiting_position(s, reg)) j["position"] = position;
            return j;
        }));
    }
}

std::string registrations_csv(const std::vector<registration>& rows) {
    std::string csv = "id,code,name,email,organisation,status,role,created,answers\r\n";
    for (const auto& r : rows) {
        std::string answers;
        for (const auto& [k, v] : r.answers)
            answers += (answers.empty() ? "" : "; ") + k + ": " + v;
        csv += csv_cell(r.id) + "," + csv_cell(r.code) + "," + csv_cell(r.name) + "," +
               csv_cell(r.email) + "," + csv_cell(r.organisation) + "," +
               std::string(name_of(r.status)) + "," + csv_cell(r.role) + "," +
               format_utc(r.created) + "," + csv_cell(answers) + "\r\n";
    }
    return csv;
}

net::awaitable<response> registrations(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    auto [rows, waiting] = api.book.read([&](const state& s) {
        const auto& e = need_event(s, c.param("id"), who);
        need_organiser(e, who);
        std::vector<registration> out;
        for (const auto& [id, r] : s.registrations)
            if (r.event == e.id) out.push_back(r);
        // The waiting list in its order.
        auto w = s.waiting.count(e.id) ? s.waiting.at(e.id) : std::vector<std::string>{};
        return std::pair{out, w};
    });
    auto format = query_param(c.req.target(), "format");
    if (format && *format == "csv") {
        auto res = text_response(c.req, http::status::ok, registrations_csv(rows),
                                 "text/csv; charset=utf-8");
        res.set(http::field::content_disposition,
                attachment("registrations-" + c.param("id") + ".csv"));
        co_return res;
    }
    if (format && *format != "json")
        fail(http::status::bad_request, "bad-request", "format is json or csv", "format");
    co_return json_response(c.req, http::status::ok,
                            {{"registrations", rows}, {"waiting", waiting}});
}

net::awaitable<response> leave(const api_base& api, call& c) {
    auto body = json_body(c.req);
    const command cmd = leave_event{c.param("id"), code_field(body, "code")};
    co_return co_await run(api, c, cmd, anonymous, http::status::ok,
                           [](const state&, const outcome& o) {
                               json j = {{"status", "left"}};
                               for (const auto& f : o.facts)
                                   if (auto* p = std::get_if<registration_promoted>(&f.body))
                                       j["promoted"] = p->id;
                               return j;
                           });
}

// Someone who lost their registration mail asks for it again (docs/domain.md, "Events"). The
// answer depends on the event and the address's form only: it is given before the command is
// decided, takes no Idempotency-Key (a key is recorded only when the command makes a fact),
// and says nothing of whether a mail goes.
net::awaitable<response> resend(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    api.check_origin(c.req, who);
    auto body = json_body(c.req);
    const auto email = field_string(body, "email");
    if (!valid_email(email))
        fail(http::status::bad_request, "bad-request", "invalid email", "email");
    const auto id = c.param("id");
    api.book.read([&](const state& s) { return need_event(s, id, who).id; });
    api.book.submit(resend_registration{id, email}, who.as_actor(), [id](const outcome& o) {
        if (!o.ok())
            log::warn("a registration's mail could not be sent again",
                      {{"event", id}, {"error", o.refused ? o.refused->detail : o.error}});
    });
    co_return json_response(c.req, http::status::accepted, {{"status", "accepted"}});
}

// The event and the registration behind a code, or 404. The code alone opens them: it was
// given to its holder, whatever the event's audience (docs/authorisation.md).
std::pair<const event&, const registration&> need_registration(const state& s,
                                                               const std::string& event_id,
                                                               const std::string& code) {
    auto e = s.events.find(event_id);
    const registration* r =
        e == s.events.end() ? nullptr : registration_by_code(s, event_id, code_upper(code));
    if (!r) fail(http::status::not_found, "not-found", "no registration with this code");
    return {e->second, *r};
}

// Job Dating participants named to the other side: ids, names and a company's presentation,
// nothing else (no e-mail, no answers).
json participants(const state& s, const event& e, std::string_view role) {
    auto out = json::array();
    for (const auto& [id, r] : s.registrations)
        if (r.event == e.id && r.role == role && r.status != registration_status::left &&
            r.status != registration_status::waiting) {
            json j = {{"id", r.id}, {"name", r.name}};
            if (role == "company") {
                j["description"] = r.description;
                j["tables"] = r.tables;
            }
            out.push_back(j);
        }
    return out;
}

// A registrant's own page, by their code: what they gave, their status and place in the
// waiting list, their team, and for a Job Dating the other side to choose from.
net::awaitable<response> personal(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        const auto [e, r] = need_registration(s, c.param("id"), c.param("code"));
        json mine = r;
        mine.erase("user");
        json j = {{"registration", mine}, {"event", public_event(s, e, who.as_actor())}};
        if (int position = waiting_position(s, r)) j["position"] = position;
        if (const team* t = team_of(s, r.id)) {
            auto names = json::array();
            for (const auto& m : t->members) names.push_back(s.registrations.at(m).name);
            j["team"] = {
                {"id", t->id}, {"name", t->name}, {"code", t->code}, {"member_names", names}};
        }
        j["timetable_published"] = timetable_published(s, e.id);
        if (e.kind == event_kind::job_dating) {
            if (r.role == "student") j["companies"] = participants(s, e, "company");
            // Students' names: for companies that have a place, not those waiting or gone.
            if (r.role == "company" && (r.status == registration_status::registered ||
                                        r.status == registration_status::checked_in))
                j["students"] = participants(s, e, "student");
        }
        return j;
    }));
}

// A Job Dating participant changes their wishes: what is sent replaces that part, the rest
// stays as it was.
net::awaitable<response> change_wishes(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    api.check_origin(c.req, who);
    auto body = json_body(c.req);
    const auto id = c.param("id");
    const auto code = code_upper(c.param("code"));
    const json known = wishes{};
    for (const auto& [key, value] : body.items())
        if (!known.contains(key))
            fail(http::status::bad_request, "bad-request", "'" + key + "' cannot be changed", key);
    const command cmd = update_wishes{id, code, read_json<wishes_change>(body)};
    // Named, not a temporary inside co_await (docs/architecture.md, "Coroutines").
    const auto answer = [id, code](const state& s, const outcome&) {
        json j = *registration_by_code(s, id, code);
        j.erase("user");
        return j;
    };
    co_return co_await run(api, c, cmd, anonymous, http::status::ok, answer);
}

// The companies of a Job Dating, for the students who rank them.
net::awaitable<response> companies(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        const auto& e = need_event(s, c.param("id"), who);
        if (e.kind != event_kind::job_dating)
            fail(http::status::not_found, "not-found", "only a Job Dating has companies");
        return participants(s, e, "company");
    }));
}

// The Culturathon's teams, for its organisers.
net::awaitable<response> teams(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        const auto& e = need_event(s, c.param("id"), who);
        need_organiser(e, who);
        auto out = json::array();
        for (const auto& [id, t] : s.teams)
            if (t.event == e.id) out.push_back(t);
        return out;
    }));
}

}  // namespace

std::string event_ics(const state& s, const event& e, instant stamp) {
    std::vector<ical_entry> entries;
    for (const auto* r : sessions_of(s, e))
        entries.push_back({e.id + "-" + r->id, r->start, r->end, r->revision,
                           r->status == reservation_status::approved ? "CONFIRMED" : "TENTATIVE",
                           e.title, resource_name(s, r->resource), e.description});
    if (entries.empty() && e.kind == event_kind::job_dating && e.slots > 0)
        entries.push_back({e.id, e.day_start, slot_start(e, e.slots), 0, "CONFIRMED", e.title, "",
                           e.description});
    return ical_calendar(e.title, "Europe/Paris", entries, stamp);
}

namespace {

// The event in a calendar: one VEVENT per room session, or the Job Dating's day.
net::awaitable<response> event_calendar(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    auto body = api.book.read([&](const state& s) {
        return event_ics(s, need_event(s, c.param("id"), who), now_seconds());
    });
    auto res =
        text_response(c.req, http::status::ok, std::move(body), "text/calendar; charset=utf-8");
    res.set(http::field::content_disposition, attachment(c.param("id") + ".ics"));
    co_return res;
}

net::awaitable<response> reorder(const api_base& api, call& c) {
    const auto id = c.param("id");
    return organise(
        api, c,
        [id](json& body) -> command {
            return reorder_waitlist{id, field_id_list(body, "order")};
        },
        [id](const state& s, const outcome&) {
            return json{{"waiting", s.waiting.at(id)}};
        });
}

net::awaitable<response> check_in_route(const api_base& api, call& c) {
    const auto id = c.param("id");
    return organise(
        api, c,
        [id](json& body) -> command {
            return check_in{id, code_field(body, "code")};
        },
        [id](const state& s, const outcome&) { return json(counts_of(s, id)); });
}

net::awaitable<response> no_show(const api_base& api, call& c) {
    const auto id = c.param("id");
    return organise(
        api, c,
        [id](json& body) -> command {
            return mark_no_show{id, field_id(body, "registration"),
                                field_bool(body, "no_show", true)};
        },
        [](const state&, const outcome&) {
            return json{{"status", "ok"}};
        });
}

net::awaitable<response> flag(const api_base& api, call& c) {
    const auto id = c.param("id");
    return organise(
        api, c,
        [id](json& body) -> command {
            return flag_team{id, field_bool(body, "pepite", true)};
        },
        [id](const state& s, const outcome&) { return json(s.teams.at(id)); });
}

net::awaitable<response> create_team_route(const api_base& api, call& c) {
    auto body = json_body(c.req);
    const auto code = code_field(body, "code");
    const auto name = field_string(body, "name");
    for (int attempt = 1;; ++attempt) {
        auto team_code = new_code();
        std::string team_id = "t-" + team_code;
        for (auto& ch : team_id)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const command cmd = create_team{c.param("id"), code, name, team_id, team_code};
        auto o = co_await submit(api.book, cmd, anonymous, &c.req);
        if ((refused_for(o, error::exists, "team") || refused_for(o, error::exists, "team_code")) &&
            attempt < code_attempts)
            continue;
        if (auto failure = failure_response(c.req, o)) co_return *failure;
        const auto made = std::get<team_created>(o.facts.front().body).value.id;
        co_return json_response(c.req, http::status::created, api.book.read([&](const state& s) {
            return json(s.teams.at(made));
        }));
    }
}

net::awaitable<response> join(const api_base& api, call& c) {
    auto body = json_body(c.req);
    const command cmd =
        join_team{c.param("id"), code_field(body, "code"), code_field(body, "team_code")};
    co_return co_await run(
        api, c, cmd, anonymous, http::status::ok, [](const state& s, const outcome& o) {
            return json(s.teams.at(std::get<team_joined>(o.facts.front().body).team));
        });
}

net::awaitable<response> quit_team(const api_base& api, call& c) {
    auto body = json_body(c.req);
    const command cmd = leave_team{c.param("id"), code_field(body, "code")};
    co_return co_await run(
        api, c, cmd, anonymous, http::status::ok, [](const state& s, const outcome& o) {
            return json(s.teams.at(std::get<team_left>(o.facts.front().body).team));
        });
}

}  // namespace

void add_event_routes(router& routes, const api_base& api) {
    auto with = [api](auto f) { return guarded([api, f](call& c) { return f(api, c); }); };
    routes.add(http::verb::get, "/api/events", with(list_events));
    routes.add(http::verb::get, "/api/events/{id}", with(one_event));
    routes.add(http::verb::put, "/api/events/{id}", with(define));
    routes.add(http::verb::post, "/api/events/{id}/registrations", with(register_one));
    routes.add(http::verb::get, "/api/events/{id}/registrations", with(registrations));
    routes.add(http::verb::get, "/api/events/{id}/registrations/{code}", with(personal));
    routes.add(http::verb::patch, "/api/events/{id}/registrations/{code}", with(change_wishes));
    routes.add(http::verb::get, "/api/events/{id}/companies", with(companies));
    routes.add(http::verb::get, "/api/events/{id}/teams", with(teams));
    routes.add(http::verb::get, "/api/events/{id}/calendar.ics", with(event_calendar));
    routes.add_taking_code(http::verb::post, "/api/events/{id}/leave", with(leave));
    routes.add(http::verb::post, "/api/events/{id}/resend", with(resend));
    routes.add(http::verb::post, "/api/events/{id}/waitlist", with(reorder));
    routes.add(http::verb::post, "/api/events/{id}/check-in", with(check_in_route));
    routes.add(http::verb::post, "/api/events/{id}/no-show", with(no_show));
    routes.add_taking_code(http::verb::post, "/api/events/{id}/teams", with(create_team_route));
    routes.add_taking_code(http::verb::post, "/api/events/{id}/teams/join", with(join));
    routes.add_taking_code(http::verb::post, "/api/events/{id}/teams/leave", with(quit_team));
    routes.add(http::verb::post, "/api/teams/{id}/pepite", with(flag));
}

}  // namespace creneau::server
