// Events: their definitions, registrations and waiting list, check-in, Culturathon teams.
// Registrants act by the code they were given; organisers by their account.

#include "server/api/events.hpp"
#include "server/api/routes.hpp"

#include "common/access.hpp"
#include "common/events/queries.hpp"

#include <sodium.h>

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

// Codes are typed by people: compared in upper case.
std::string code_field(const json& body, const char* name) {
    auto code = field_id(body, name);
    for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return code;
}

// Commands decided for someone who proves who they are by their registration code.
const actor anonymous = actor::anonymous();

json public_event(const state& s, const event& e) {
    json j = e;
    j["counts"] = counts_of(s, e.id);
    return j;
}

// The handlers below that only return `organise(…)` are not coroutines themselves: what they
// hand it is captured by value, never by reference to their own locals.

// Runs a command and answers `ok(state, outcome)` (status `code`), or the refusal.
template <class Ok>
net::awaitable<response> run(const api_base& api, call& c, const command& cmd, const actor& by,
                             http::status code, Ok ok) {
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
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        auto out = json::array();
        for (const auto& [id, e] : s.events)
            if (may_see_event(who.as_actor(), e)) out.push_back(public_event(s, e));
        return out;
    }));
}

net::awaitable<response> one_event(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        return public_event(s, need_event(s, c.param("id"), who));
    }));
}

net::awaitable<response> define(const api_base& api, call& c) {
    const auto id = c.param("id");
    return organise(
        api, c,
        [id](json& body) -> command {
            body["id"] = id;
            return define_event{read_json<event>(body)};
        },
        [id](const state& s, const outcome&) { return public_event(s, s.events.at(id)); });
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
    std::string csv = "id,name,email,organisation,status,role,created,answers\r\n";
    for (const auto& r : rows) {
        std::string answers;
        for (const auto& [k, v] : r.answers)
            answers += (answers.empty() ? "" : "; ") + k + ": " + v;
        csv += csv_cell(r.id) + "," + csv_cell(r.name) + "," + csv_cell(r.email) + "," +
               csv_cell(r.organisation) + "," + std::string(name_of(r.status)) + "," +
               csv_cell(r.role) + "," + format_utc(r.created) + "," + csv_cell(answers) + "\r\n";
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

net::awaitable<response> reorder(const api_base& api, call& c) {
    const auto id = c.param("id");
    return organise(
        api, c,
        [id](json& body) -> command {
            return reorder_waitlist{id, field_ids(body, "order")};
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
    routes.add(http::verb::post, "/api/events/{id}/leave", with(leave));
    routes.add(http::verb::post, "/api/events/{id}/waitlist", with(reorder));
    routes.add(http::verb::post, "/api/events/{id}/check-in", with(check_in_route));
    routes.add(http::verb::post, "/api/events/{id}/no-show", with(no_show));
    routes.add(http::verb::post, "/api/events/{id}/teams", with(create_team_route));
    routes.add(http::verb::post, "/api/events/{id}/teams/join", with(join));
    routes.add(http::verb::post, "/api/events/{id}/teams/leave", with(quit_team));
    routes.add(http::verb::post, "/api/teams/{id}/pepite", with(flag));
}

}  // namespace creneau::server
