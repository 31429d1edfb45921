// Events: registrations and their waiting list, check-in, Culturathon teams, and the Job
// Dating timetable (built by common/jobdating, stored as a fact).

#include "server/api.hpp"
#include "server/ical.hpp"
#include "server/routes.hpp"
#include "server/shared_state.hpp"

#include "common/jobdating.hpp"

#include <sodium.h>

namespace creneau::server {
namespace {

// A short code people can type: 8 letters and digits without look-alikes.
std::string new_code() {
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string out;
    for (int i = 0; i < 8; ++i) out += alphabet[randombytes_uniform(sizeof alphabet - 1)];
    return out;
}

instant now() { return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now()); }

nlohmann::json public_event(const state& s, const event& e) {
    auto j = to_json(e);
    j["counts"] = to_json(counts_of(s, e.id));
    return j;
}

const event& need_event(const state& s, const std::string& id) {
    auto it = s.events.find(id);
    if (it == s.events.end()) fail(http::status::not_found, "not-found", "no event '" + id + "'");
    return it->second;
}

void need_organiser(const state& s, const event& e, const caller& who) {
    require_user(who);
    if (!organises(s, e, who.who->organisation, who.who->user_role, false))
        fail(http::status::forbidden, "forbidden", "Only the event's organisers may do this.");
}

// Runs a command and answers `ok(state)` (status `code`), or the refusal.
template <class Ok>
net::awaitable<response> run(shared_state& st, call& c, const command& cmd, const actor& by, http::status code, Ok ok) {
    auto o = co_await submit(*st.book, cmd, by);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    co_return json_response(c.req, code, st.book->read([&](const state& s) { return ok(s, o); }));
}

jobdating::problem problem_of(const state& s, const event& e, const std::vector<jobdating::meeting>& pins,
                              const std::set<std::pair<std::string, std::string>>& removed, int now_slot) {
    jobdating::problem p;
    p.slots = e.slots;
    p.breaks.insert(e.breaks.begin(), e.breaks.end());
    p.now_slot = now_slot;
    p.pinned = pins;
    if (auto t = s.timetables.find(e.id); t != s.timetables.end())
        for (const auto& m : t->second.meetings) p.previous.push_back({m.student, m.company, m.slot, m.table, m.pinned});
    std::map<std::string, const registration*> regs;
    for (const auto& [id, r] : s.registrations)
        if (r.event == e.id && (r.status == registration_status::registered || r.status == registration_status::checked_in) &&
            !r.no_show)
            regs[id] = &r;
    for (const auto& [id, r] : regs) {
        if (r->role == "company") {
            jobdating::company c;
            c.id = id;
            c.name = r->name;
            c.wants.insert(r->wants.begin(), r->wants.end());
            c.declines.insert(r->declines.begin(), r->declines.end());
            for (const auto& [sid, rem] : removed)
                if (rem == id) c.declines.insert(sid);  // removed by the organiser: not again
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
                if (regs.count(cid)) st.ranking.push_back(cid);
            st.max_meetings = r->max_meetings > 0 ? r->max_meetings : e.slots;
            st.first_slot = r->first_slot;
            st.last_slot = r->last_slot;
            p.students.push_back(st);
        }
    }
    return p;
}

int slot_now(const event& e) {
    if (e.slot_minutes <= 0) return 0;
    auto since = std::chrono::duration_cast<minutes>(now() - e.day_start).count();
    if (since < 0) return 0;
    return static_cast<int>(std::min<long long>(e.slots, (since + e.slot_minutes - 1) / e.slot_minutes));
}

nlohmann::json figures_json(const jobdating::figures& f) {
    nlohmann::json by_rank = nlohmann::json::object();
    for (const auto& [r, n] : f.honoured_by_rank) by_rank[std::to_string(r)] = n;
    return {{"meetings", f.meetings}, {"upper_bound", f.upper_bound}, {"honoured_by_rank", by_rank},
            {"mutual", f.mutual}, {"per_company", f.per_company}, {"per_student", f.per_student}};
}

// The timetable as people read it: names beside ids, and the times of the slots.
nlohmann::json timetable_view(const state& s, const event& e, const jd_timetable& t, bool full) {
    auto items = nlohmann::json::array();
    for (const auto& m : t.meetings) {
        auto start = e.day_start + minutes(m.slot * e.slot_minutes);
        nlohmann::json j = {{"slot", m.slot}, {"table", m.table}, {"company", m.company},
                            {"company_name", s.registrations.at(m.company).name}, {"start", format_utc(start)},
                            {"end", format_utc(start + minutes(e.slot_minutes))}, {"pinned", m.pinned}};
        if (full) {
            j["student"] = m.student;
            j["student_name"] = s.registrations.at(m.student).name;
        }
        items.push_back(j);
    }
    auto dropped = nlohmann::json::array();
    if (full)
        for (const auto& m : t.dropped) dropped.push_back({{"student", m.student}, {"company", m.company}});
    return {{"event", e.id}, {"published", t.published}, {"revision", t.revision}, {"meetings", items}, {"dropped", dropped}};
}

net::awaitable<response> build_timetable(shared_state& st, call& c) {
    auto who = identify(st, c.req);
    check_origin(st, c.req, who);
    auto body = c.req.body().empty() ? nlohmann::json::object() : json_body(c.req);
    const auto id = c.param("id");
    std::vector<jobdating::meeting> pins;
    std::set<std::pair<std::string, std::string>> removed;
    auto read_pairs = [&](const char* key, auto add) {
        if (!body.contains(key)) return;
        if (!body[key].is_array()) fail(http::status::bad_request, "bad-request", std::string("'") + key + "' is an array", key);
        for (const auto& m : body[key]) {
            if (!m.is_object()) fail(http::status::bad_request, "bad-request", std::string("'") + key + "' holds objects", key);
            add(m);
        }
    };
    read_pairs("pin", [&](const nlohmann::json& m) {
        pins.push_back({field_string(m, "student"), field_string(m, "company"), field_int(m, "slot"), field_int(m, "table", false, 0), true});
    });
    read_pairs("remove", [&](const nlohmann::json& m) { removed.insert({field_string(m, "student"), field_string(m, "company")}); });
    bool publish = body.value("publish", false);

    jobdating::timetable built;
    jd_timetable t;
    st.book->read([&](const state& s) {
        const auto& e = need_event(s, id);
        need_organiser(s, e, who);
        if (e.kind != event_kind::job_dating) fail(http::status::bad_request, "bad-request", "only a Job Dating has a timetable");
        // Pins from before stay pinned unless removed.
        if (auto old = s.timetables.find(id); old != s.timetables.end())
            for (const auto& m : old->second.meetings)
                if (m.pinned && !removed.count({m.student, m.company})) pins.push_back({m.student, m.company, m.slot, m.table, true});
        auto p = problem_of(s, e, pins, removed, slot_now(e));
        // Removed meetings leave the previous timetable too.
        std::erase_if(p.previous, [&](const jobdating::meeting& m) { return removed.count({m.student, m.company}) > 0; });
        built = jobdating::build(p);
        for (const auto& m : built.meetings) t.meetings.push_back({m.student, m.company, m.slot, m.table, m.pinned});
        for (const auto& m : built.dropped) t.dropped.push_back({m.student, m.company, m.slot, m.table, false});
        t.published = publish;
        return 0;
    });
    const command cmd = set_timetable{id, t};
    const actor by = who.as_actor();
    auto o = co_await submit(*st.book, cmd, by);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    auto view = st.book->read([&](const state& s) {
        auto v = timetable_view(s, s.events.at(id), s.timetables.at(id), true);
        v["figures"] = figures_json(built.stats);
        return v;
    });
    co_return json_response(c.req, http::status::ok, view);
}

}  // namespace

void add_event_routes(shared_state& st) {
    auto* s = &st;
    st.routes.add(http::verb::get, "/api/events", guarded([s](call& c) -> net::awaitable<response> {
        co_return json_response(c.req, http::status::ok, s->book->read([](const state& x) {
            auto out = nlohmann::json::array();
            for (const auto& [id, e] : x.events) out.push_back(public_event(x, e));
            return out;
        }));
    }));
    st.routes.add(http::verb::get, "/api/events/{id}", guarded([s](call& c) -> net::awaitable<response> {
        co_return json_response(c.req, http::status::ok,
                                s->book->read([&](const state& x) { return public_event(x, need_event(x, c.param("id"))); }));
    }));
    st.routes.add(http::verb::put, "/api/events/{id}", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        check_origin(*s, c.req, who);
        auto body = json_body(c.req);
        body["id"] = c.param("id");
        event e;
        try {
            e = event_from_json(body);
        } catch (const std::invalid_argument& err) {
            fail(http::status::bad_request, "bad-request", err.what());
        }
        const command cmd = define_event{e};
        const actor by = who.as_actor();
        co_return co_await run(*s, c, cmd, by, http::status::ok,
                               [&](const state& x, const outcome&) { return public_event(x, x.events.at(c.param("id"))); });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/registrations", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        check_origin(*s, c.req, who);
        auto body = json_body(c.req);
        body.erase("id");
        body.erase("status");
        body.erase("code");
        registration r;
        try {
            r = registration_from_json(body);
        } catch (const std::invalid_argument& err) {
            fail(http::status::bad_request, "bad-request", err.what());
        }
        r.event = c.param("id");
        r.code = new_code();
        if (who.who && r.organisation.empty()) r.organisation = who.who->organisation;
        const command cmd = register_for_event{r};
        const actor by = who.who ? who.as_actor() : actor{"anonymous", role::member, "", false};
        co_return co_await run(*s, c, cmd, by, http::status::created, [](const state& x, const outcome& o) {
            const auto& reg = x.registrations.at(std::get<registered>(o.facts.front().body).value.id);
            return nlohmann::json{{"id", reg.id}, {"code", reg.code}, {"status", name_of(reg.status)}};
        });
    }));
    st.routes.add(http::verb::get, "/api/events/{id}/registrations", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        auto rows = s->book->read([&](const state& x) {
            const auto& e = need_event(x, c.param("id"));
            need_organiser(x, e, who);
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
            res.set(http::field::content_disposition, "attachment; filename=\"registrations-" + c.param("id") + ".csv\"");
            co_return res;
        }
        auto list = nlohmann::json::array();
        for (const auto& r : rows.first) list.push_back(to_json(r));
        co_return json_response(c.req, http::status::ok, {{"registrations", list}, {"waiting", rows.second}});
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/leave", guarded([s](call& c) -> net::awaitable<response> {
        auto body = json_body(c.req);
        const command cmd = leave_event{c.param("id"), field_string(body, "code")};
        const actor by{"anonymous", role::member, "", false};
        co_return co_await run(*s, c, cmd, by, http::status::ok, [](const state&, const outcome& o) {
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
        const command cmd = reorder_waitlist{c.param("id"), field_strings(body, "order")};
        const actor by = who.as_actor();
        co_return co_await run(*s, c, cmd, by, http::status::ok,
                               [&](const state& x, const outcome&) { return nlohmann::json{{"waiting", x.waiting.at(c.param("id"))}}; });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/check-in", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        check_origin(*s, c.req, who);
        auto body = json_body(c.req);
        const command cmd = check_in{c.param("id"), field_string(body, "code")};
        const actor by = who.as_actor();
        co_return co_await run(*s, c, cmd, by, http::status::ok,
                               [&](const state& x, const outcome&) { return to_json(counts_of(x, c.param("id"))); });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/no-show", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        check_origin(*s, c.req, who);
        auto body = json_body(c.req);
        const command cmd = mark_no_show{c.param("id"), field_string(body, "registration"), body.value("no_show", true)};
        const actor by = who.as_actor();
        co_return co_await run(*s, c, cmd, by, http::status::ok, [](const state&, const outcome&) { return nlohmann::json{{"status", "ok"}}; });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/teams", guarded([s](call& c) -> net::awaitable<response> {
        auto body = json_body(c.req);
        auto code = new_code();
        std::string team_id = "t-" + new_code();
        const command cmd = create_team{c.param("id"), field_string(body, "code"), field_string(body, "name"), team_id, code};
        const actor by{"anonymous", role::member, "", false};
        co_return co_await run(*s, c, cmd, by, http::status::created,
                               [&](const state& x, const outcome&) { return to_json(x.teams.at(team_id)); });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/teams/join", guarded([s](call& c) -> net::awaitable<response> {
        auto body = json_body(c.req);
        const command cmd = join_team{c.param("id"), field_string(body, "code"), field_string(body, "team_code")};
        const actor by{"anonymous", role::member, "", false};
        co_return co_await run(*s, c, cmd, by, http::status::ok, [](const state& x, const outcome& o) {
            return to_json(x.teams.at(std::get<team_joined>(o.facts.front().body).team));
        });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/teams/leave", guarded([s](call& c) -> net::awaitable<response> {
        auto body = json_body(c.req);
        const command cmd = leave_team{c.param("id"), field_string(body, "code")};
        const actor by{"anonymous", role::member, "", false};
        co_return co_await run(*s, c, cmd, by, http::status::ok, [](const state& x, const outcome& o) {
            return to_json(x.teams.at(std::get<team_left>(o.facts.front().body).team));
        });
    }));
    st.routes.add(http::verb::post, "/api/teams/{id}/pepite", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        require_user(who);
        check_origin(*s, c.req, who);
        auto body = c.req.body().empty() ? nlohmann::json::object() : json_body(c.req);
        const command cmd = flag_team{c.param("id"), body.value("pepite", true)};
        const actor by = who.as_actor();
        co_return co_await run(*s, c, cmd, by, http::status::ok,
                               [&](const state& x, const outcome&) { return to_json(x.teams.at(c.param("id"))); });
    }));
    st.routes.add(http::verb::post, "/api/events/{id}/timetable", guarded([s](call& c) { return build_timetable(*s, c); }));
    st.routes.add(http::verb::get, "/api/events/{id}/timetable", guarded([s](call& c) -> net::awaitable<response> {
        auto who = identify(*s, c.req);
        co_return json_response(c.req, http::status::ok, s->book->read([&](const state& x) {
            const auto& e = need_event(x, c.param("id"));
            bool full = who.who && organises(x, e, who.who->organisation, who.who->user_role, false);
            auto t = x.timetables.find(e.id);
            if (t == x.timetables.end() || (!full && !t->second.published))
                fail(http::status::not_found, "not-found", "no published timetable yet");
            return timetable_view(x, e, t->second, full);
        }));
    }));
    // A participant's own timetable, by registration code: JSON, or iCalendar with .ics.
    st.routes.add(http::verb::get, "/api/events/{id}/timetable/{code}", guarded([s](call& c) -> net::awaitable<response> {
        std::string code = c.param("code");
        bool ics = code.size() > 4 && code.substr(code.size() - 4) == ".ics";
        if (ics) code.resize(code.size() - 4);
        auto result = s->book->read([&](const state& x) -> std::pair<nlohmann::json, std::string> {
            const auto& e = need_event(x, c.param("id"));
            const registration* me = nullptr;
            for (const auto& [id, r] : x.registrations)
                if (r.event == e.id && r.code == code) me = &r;
            auto t = x.timetables.find(e.id);
            if (!me || t == x.timetables.end() || !t->second.published) fail(http::status::not_found, "not-found", "no timetable for this code");
            auto items = nlohmann::json::array();
            std::vector<reservation> slots;
            for (const auto& m : t->second.meetings) {
                if (m.student != me->id && m.company != me->id) continue;
                const auto& other = x.registrations.at(m.student == me->id ? m.company : m.student);
                auto start = e.day_start + minutes(m.slot * e.slot_minutes);
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
        if (ics) {
            auto res = text_response(c.req, http::status::ok, std::move(result.second), "text/calendar; charset=utf-8");
            co_return res;
        }
        co_return json_response(c.req, http::status::ok, result.first);
    }));
}

}  // namespace creneau::server
