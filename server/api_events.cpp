// Events: registrations and their waiting list, check-in, Culturathon teams, and the Job
// Dating timetable (built by common/jobdating off the I/O threads, stored as a fact).

#include "server/api.hpp"
#include "server/ical.hpp"
#include "server/routes.hpp"
#include "server/shared_state.hpp"

#include "common/access.hpp"
#include "common/jobdating.hpp"

#include <sodium.h>

#include <cctype>

namespace creneau::server {
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
std::string code_field(const nlohmann::json& body, const char* name) {
    auto code = field_id(body, name);
    for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return code;
}

instant now() { return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now()); }

nlohmann::json public_event(const state& s, const event& e) {
    auto j = to_json(e);
    j["counts"] = to_json(counts_of(s, e.id));
    return j;
}

// The event, if the caller may see it (a restricted event is unknown to others).
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

bool refused_for(const outcome& o, error code, std::string_view field) {
    return o.refused && o.refused->code == code && o.refused->field == field;
}

// Runs a command and answers `ok(state, outcome)` (status `code`), or the refusal.
template <class Ok>
net::awaitable<response> run(shared_state& st, call& c, const command& cmd, const actor& by, http::status code, Ok ok) {
    auto o = co_await submit(*st.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, code, st.book->read([&](const state& s) { return ok(s, o); }));
}

nlohmann::json figures_json(const jobdating::figures& f) {
    nlohmann::json by_rank = nlohmann::json::object();
    for (const auto& [r, n] : f.honoured_by_rank) by_rank[std::to_string(r)] = n;
    return {{"meetings", f.meetings}, {"upper_bound", f.upper_bound}, {"honoured_by_rank", by_rank},
            {"mutual", f.mutual}, {"per_company", f.per_company}, {"per_student", f.per_student}};
}

// The timetable as people read it: names beside ids, and the times of the slots.
nlohmann::json timetable_view(const state& s, const event& e, const jd_timetable& t, bool full) {
    auto name_of_registration = [&](const std::string& id) {
        auto r = s.registrations.find(id);
        return r == s.registrations.end() ? std::string{} : r->second.name;
    };
    auto items = nlohmann::json::array();
    for (const auto& m : t.meetings) {
        auto start = slot_start(e, m.slot);
        nlohmann::json j = {{"slot", m.slot}, {"table", m.table}, {"company", m.company},
                            {"company_name", name_of_registration(m.company)}, {"start", format_utc(start)},
                            {"end", format_utc(start + minutes(e.slot_minutes))}, {"pinned", m.pinned}};
        if (full) {
            j["student"] = m.student;
            j["student_name"] = name_of_registration(m.student);
        }
        items.push_back(j);
    }
    auto dropped = nlohmann::json::array();
    if (full)
        for (const auto& m : t.dropped) dropped.push_back({{"student", m.student}, {"company", m.company}});
    return {{"event", e.id}, {"published", t.published}, {"revision", t.revision}, {"meetings", items}, {"dropped", dropped}};
}

using pair_set = std::set<std::pair<std::string, std::string>>;

void read_pairs(const nlohmann::json& body, const char* key, const std::function<void(const nlohmann::json&)>& add) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return;
    if (!it->is_array() || it->size() > 10000)
        fail(http::status::bad_request, "bad-request", std::string("'") + key + "' is an array of meetings", key);
    for (const auto& m : *it) {
        if (!m.is_object()) fail(http::status::bad_request, "bad-request", std::string("'") + key + "' holds objects", key);
        add(m);
    }
}

// Builds the timetable on the solver's thread, from a snapshot of its inputs taken under
// the ledger's shared lock; the result is committed only if the inputs are still the same
// (set_timetable's `based_on`), else built again.
net::awaitable<response> build_timetable(shared_state& st, call& c) {
    auto who = identify(st, c.req);
    require_user(who);
    check_origin(st, c.req, who);
    auto body = json_body(c.req, true);
    const auto id = c.param("id");
    std::vector<jobdating::meeting> asked_pins;
    pair_set removed;
    read_pairs(body, "pin", [&](const nlohmann::json& m) {
        asked_pins.push_back({field_id(m, "student"), field_id(m, "company"), field_int(m, "slot"),
                              field_int(m, "table", false, 0), true});
    });
    read_pairs(body, "remove", [&](const nlohmann::json& m) { removed.insert({field_id(m, "student"), field_id(m, "company")}); });
    const bool publish = field_bool(body, "publish", false);

    for (int attempt = 1;; ++attempt) {
        jobdating::problem problem;
        std::int64_t based_on = 0;
        st.book->read([&](const state& s) {
            const auto& e = need_event(s, id, who);
            need_organiser(e, who);
            if (e.kind != event_kind::job_dating)
                fail(http::status::bad_request, "bad-request", "only a Job Dating has a timetable");
            // Pins from before stay pinned unless removed.
            auto pins = asked_pins;
            if (auto old = s.timetables.find(id); old != s.timetables.end())
                for (const auto& m : old->second.meetings)
                    if (m.pinned && !removed.count({m.student, m.company})) pins.push_back({m.student, m.company, m.slot, m.table, true});
            problem = jobdating_problem(s, e, pins, removed, slot_at(e, now()));
            auto inputs = s.event_inputs.find(id);
            based_on = inputs == s.event_inputs.end() ? 0 : inputs->second;
            return 0;
        });

        auto io = co_await net::this_coro::executor;
        co_await net::post(st.solver_pool.get_executor(), net::use_awaitable);
        const jobdating::timetable built = jobdating::build(problem);
        co_await net::post(io, net::use_awaitable);

        jd_timetable t;
        for (const auto& m : built.meetings) t.meetings.push_back({m.student, m.company, m.slot, m.table, m.pinned});
        for (const auto& m : built.dropped) t.dropped.push_back({m.student, m.company, m.slot, m.table, false});
        t.published = publish;
        const command cmd = set_timetable{id, t, based_on};
        const actor by = who.as_actor();
        auto o = co_await submit(*st.book, cmd, by, &c.req);
        // Someone registered or left while it was built: build it again from the new inputs.
        if (refused_for(o, error::conflict, "based_on") && attempt < 3) continue;
        if (auto failure = failure_response(c.req, o)) co_return *failure;
        auto view = st.book->read([&](const state& s) {
            auto v = timetable_view(s, s.events.at(id), s.timetables.at(id), true);
            v["figures"] = figures_json(built.stats);
            return v;
        });
        co_return json_response(c.req, http::status::ok, view);
    }
}

net::awaitable<response> define(shared_state& st, call& c) {
    auto who = identify(st, c.req);
    require_user(who);
    check_origin(st, c.req, who);
    auto body = json_body(c.req);
    body["id"] = c.param("id");
    const command cmd = define_event{read_json(body, event_from_json)};
    const actor by = who.as_actor();
    const auto id = c.param("id");
    co_return co_await run(st, c, cmd, by, http::status::ok,
                           [&](const state& x, const outcome&) { return public_event(x, x.events.at(id)); });
}

net::awaitable<response> register_one(shared_state& st, call& c) {
    auto who = identify(st, c.req);
    check_origin(st, c.req, who);
    auto body = json_body(c.req);
    for (const char* chosen_by_server : {"id", "status", "code", "created", "user", "event", "no_show"})
        body.erase(chosen_by_server);
    registration r = read_json(body, registration_from_json);
    for (const auto* ids : {&r.ranking, &r.wants, &r.declines})
        for (const auto& v : *ids)
            if (!valid_id(v)) fail(http::status::bad_request, "bad-request", "wishes name registrations by their ids", "ranking");
    if (!r.organisation.empty() && !valid_id(r.organisation))
        fail(http::status::bad_request, "bad-request", "'organisation' is an identifier", "organisation");
    r.event = c.param("id");
    if (who.who && r.organisation.empty()) r.organisation = who.who->organisation;
    const actor by = who.as_actor();
    for (int attempt = 1;; ++attempt) {
        r.code = new_code();
        const command cmd = register_for_event{r};
        auto o = co_await submit(*st.book, cmd, by, &c.req);
        if (refused_for(o, error::exists, "code") && attempt < code_attempts) continue;
        if (auto failure = failure_response(c.req, o)) co_return *failure;
        auto answer = st.book->read([&](const state& x) {
            const auto& reg = x.registrations.at(std::get<registered>(o.facts.front().body).value.id);
            nlohmann::json j = {{"id", reg.id}, {"code", reg.code}, {"status", name_of(reg.status)}};
            if (reg.status == registration_status::waiting) {
                const auto& w = x.waiting.at(reg.event);
                j["position"] = std::find(w.begin(), w.end(), reg.id) - w.begin() + 1;
            }
            return j;
        });
        co_return json_response(c.req, http::status::created, answer);
    }
}

net::awaitable<response> registrations(shared_state& st, call& c) {
    auto who = identify(st, c.req);
    auto rows = st.book->read([&](const state& x) {
        const auto& e = need_event(x, c.param("id"), who);
        need_organiser(e, who);
        std::vector<registration> out;
        for (const auto& [id, r] : x.registrations)
            if (r.event == e.id) out.push_back(r);
        // The waiting list in its order.
        auto w = x.waiting.count(e.id) ? x.waiting.at(e.id) : std::vector<std::string>{};
        return std::pair{out, w};
    });
    auto format = query_param(c.req.target(), "format");
    if (format && *format == "csv") {
        const auto& cell = csv_cell;
        std::string csv = "id,name,email,organisation,status,role,created,answers\r\n";
        for (const auto& r : rows.first) {
            std::string answers;
            for (const auto& [k, v] : r.answers) answers += (answers.empty() ? "" : "; ") + k + ": " + v;
            csv += cell(r.id) + "," + cell(r.name) + "," + cell(r.email) + "," + cell(r.organisation) + "," +
                   std::string(name_of(r.status)) + "," + cell(r.role) + "," + format_utc(r.created) + "," + cell(answers) + "\r\n";
        }
        auto res = text_response(c.req, http::status::ok, std::move(csv), "text/csv; charset=utf-8");
        res.set(http::field::content_disposition, attachment("registrations-" + c.param("id") + ".csv"));
        co_return res;
    }
    if (format && *format != "json") fail(http::status::bad_request, "bad-request", "format is json or csv", "format");
    auto list = nlohmann::json::array();
    for (const auto& r : rows.first) list.push_back(to_json(r));
    co_return json_response(c.req, http::status::ok, {{"registrations", list}, {"waiting", rows.second}});
}

// A command decided for someone who proves who they are by their registration code.
const actor anonymous = actor::anonymous();

net::awaitable<response> create_team_route(shared_state& st, call& c) {
    auto body = json_body(c.req);
    const auto code = code_field(body, "code");
    const auto name = field_string(body, "name");
    for (int attempt = 1;; ++attempt) {
        auto team_code = new_code();
        std::string team_id = "t-" + team_code;
        for (auto& ch : team_id) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const command cmd = create_team{c.param("id"), code, name, team_id, team_code};
        auto o = co_await submit(*st.book, cmd, anonymous, &c.req);
        if ((refused_for(o, error::exists, "team") || refused_for(o, error::exists, "team_code")) && attempt < code_attempts)
            continue;
        if (auto failure = failure_response(c.req, o)) co_return *failure;
        const auto made = std::get<team_created>(o.facts.front().body).value.id;
        co_return json_response(c.req, http::status::created, st.book->read([&](const state& x) { return to_json(x.teams.at(made)); }));
    }
}

// A participant's own timetable, by registration code: JSON, or iCalendar with .ics.
net::awaitable<response> personal_timetable(shared_state& st, call& c) {
    std::string code = c.param("code");
    bool ics = code.size() > 4 && code.substr(code.size() - 4) == ".ics";
    if (ics) code.resize(code.size() - 4);
    for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    auto result = st.book->read([&](const state& x) -> std::pair<nlohmann::json, std::string> {
        auto ev = x.events.find(c.param("id"));
        const registration* me = nullptr;
        if (ev != x.events.end())
            for (const auto& [id, r] : x.registrations)
                if (r.event == ev->first && r.code == code) me = &r;
        if (!me) fail(http::status::not_found, "not-found", "no timetable for this code");
        const auto& e = ev->second;
        auto t = x.timetables.find(e.id);
        if (t == x.timetables.end() || !t->second.published) fail(http::status::not_found, "not-found", "no timetable for this code");
        auto items = nlohmann::json::array();
        std::vector<reservation> slots;
        for (const auto& m : t->second.meetings) {
            if (m.student != me->id && m.company != me->id) continue;
            const auto& other = x.registrations.at(m.student == me->id ? m.company : m.student);
            auto start = slot_start(e, m.slot);
            items.push_back({{"slot", m.slot}, {"table", m.table}, {"with", other.name},
                             {"start", format_utc(start)}, {"end", format_utc(start + minutes(e.slot_minutes))}});
            reservation r;
            r.id = e.id + "-" + me->id + "-" + std::to_string(m.slot);
            r.start = start;
            r.end = start + minutes(e.slot_minutes);
            r.status = reservation_status::approved;
            r.revision = t->second.revision;
            r.title = e.title + " — " + other.name + " (table " + std::to_string(m.table + 1) + ")";
            slots.push_back(r);
        }
        std::vector<ical_event> events;
        for (const auto& r : slots) events.push_back({&r, r.title, "", ""});
        return {nlohmann::json{{"event", e.id}, {"name", me->name}, {"meetings", items}},
                ics ? ical_calendar(e.title, "Europe/Paris", events, now()) : std::string{}};
    });
    if (ics) co_return text_response(c.req, http::status::ok, std::move(result.second), "text/calendar; charset=utf-8");
    co_return json_response(c.req, http::status::ok, result.first);
}

}  // namespace

void add_event_routes(shared_state& st) {
    auto* s = &st;
    st.routes.add(http::verb::get, "/api/events", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        co_return json_response(c.req, http::status::ok, s->book->read([&](const state& x) {
            auto out = nlohmann::json::array();
            for (const auto& [id, e] : x.events)
                if (may_see_event(who.as_actor(), e)) out.push_back(public_event(x, e));
            return out;
        }));
    }));
    st.routes.add(http::verb::get, "/api/events/{id}", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        co_return json_response(c.req, http::status::ok, s->book->read([&](const state& x) {
            return public_event(x, need_event(x, c.param("id"), who));
        }));
    }));
    st.routes.add(http::verb::put, "/api/events/{id}", guarded([s](call& c) { return define(*s, c); }));
    st.routes.add(http::verb::post, "/api/events/{id}/registrations", guarded([s](call& c) { return register_one(*s, c); }));
    st.routes.add(http::verb::get, "/api/events/{id}/registrations", guarded([s](call& c) { return registrations(*s, c); }));
    st.routes.add(http::verb::post, "/api/events/{id}/leave", guarded([s](call& c) -> net::awaitable<response> {
        auto body = json_body(c.req);
        const command cmd = leave_event{c.param("id"), code_field(body, "code")};
        co_return co_await run(*s, c, cmd, anonymous, http::status::ok, [](const state&, const outcome& o) {
            nlohmann::json j = {{"status", "left"}};
            for (const auto& f : o.facts)
                if (auto* p = std::get_if<registration_promoted>(&f.body)) j["promoted"] = p->id;
            return j;
        });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/waitlist", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        check_origin(*s, c.req, who);
        auto body = json_body(c.req);
        const command cmd = reorder_waitlist{c.param("id"), field_ids(body, "order")};
        const actor by = who.as_actor();
        co_return co_await run(*s, c, cmd, by, http::status::ok,
                               [&](const state& x, const outcome&) { return nlohmann::json{{"waiting", x.waiting.at(c.param("id"))}}; });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/check-in", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        check_origin(*s, c.req, who);
        auto body = json_body(c.req);
        const command cmd = check_in{c.param("id"), code_field(body, "code")};
        const actor by = who.as_actor();
        co_return co_await run(*s, c, cmd, by, http::status::ok,
                               [&](const state& x, const outcome&) { return to_json(counts_of(x, c.param("id"))); });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/no-show", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        check_origin(*s, c.req, who);
        auto body = json_body(c.req);
        const command cmd = mark_no_show{c.param("id"), field_id(body, "registration"), field_bool(body, "no_show", true)};
        const actor by = who.as_actor();
        co_return co_await run(*s, c, cmd, by, http::status::ok, [](const state&, const outcome&) { return nlohmann::json{{"status", "ok"}}; });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/teams", guarded([s](call& c) { return create_team_route(*s, c); }));
    st.routes.add(http::verb::post, "/api/events/{id}/teams/join", guarded([s](call& c) -> net::awaitable<response> {
        auto body = json_body(c.req);
        const command cmd = join_team{c.param("id"), code_field(body, "code"), code_field(body, "team_code")};
        co_return co_await run(*s, c, cmd, anonymous, http::status::ok, [](const state& x, const outcome& o) {
            return to_json(x.teams.at(std::get<team_joined>(o.facts.front().body).team));
        });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/teams/leave", guarded([s](call& c) -> net::awaitable<response> {
        auto body = json_body(c.req);
        const command cmd = leave_team{c.param("id"), code_field(body, "code")};
        co_return co_await run(*s, c, cmd, anonymous, http::status::ok, [](const state& x, const outcome& o) {
            return to_json(x.teams.at(std::get<team_left>(o.facts.front().body).team));
        });
    }));
    st.routes.add(http::verb::post, "/api/teams/{id}/pepite", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        check_origin(*s, c.req, who);
        auto body = json_body(c.req, true);
        const command cmd = flag_team{c.param("id"), field_bool(body, "pepite", true)};
        const actor by = who.as_actor();
        co_return co_await run(*s, c, cmd, by, http::status::ok,
                               [&](const state& x, const outcome&) { return to_json(x.teams.at(c.param("id"))); });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/timetable", guarded([s](call& c) { return build_timetable(*s, c); }));
    st.routes.add(http::verb::get, "/api/events/{id}/timetable", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        co_return json_response(c.req, http::status::ok, s->book->read([&](const state& x) {
            const auto& e = need_event(x, c.param("id"), who);
            bool full = may_manage_event(who.as_actor(), e);
            auto t = x.timetables.find(e.id);
            if (t == x.timetables.end() || (!full && !t->second.published))
                fail(http::status::not_found, "not-found", "no published timetable yet");
            return timetable_view(x, e, t->second, full);
        }));
    }));
    st.routes.add(http::verb::get, "/api/events/{id}/timetable/{code}", guarded([s](call& c) { return personal_timetable(*s, c); }));
}

}  // namespace creneau::server
