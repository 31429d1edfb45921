// The Job Dating timetable: built by common/jobdating on the solver's thread from a snapshot
// of its inputs, stored as a fact, read by the organisers in full, by the public without
// students once published (the live board), and by each participant by their code.

#include "server/api/events.hpp"
#include "server/api/ical.hpp"
#include "server/api/routes.hpp"
#include "server/api/support.hpp"

#include "common/access.hpp"
#include "common/events/queries.hpp"
#include "common/jobdating/exact.hpp"
#include "common/jobdating/problem.hpp"

#include <cctype>

namespace creneau::server {
namespace {

json figures_json(const jobdating::figures& f) {
    json by_rank = json::object();
    for (const auto& [r, n] : f.honoured_by_rank) by_rank[std::to_string(r)] = n;
    return {{"meetings", f.meetings},
            {"upper_bound", f.upper_bound},
            {"gap", f.upper_bound - f.meetings},
            {"optimal", f.proven},
            {"exact", f.exact},
            {"rank_cost", f.rank_cost},
            {"honoured_by_rank", by_rank},
            {"mutual", f.mutual},
            {"idle", {{"total", f.idle_total}, {"mean", f.idle_mean}, {"worst", f.idle_worst}}},
            {"solve_ms", static_cast<long>(f.seconds * 1000)},
            {"per_company", f.per_company},
            {"per_student", f.per_student}};
}

// The timetable as people read it: names beside ids, and the times of the slots.
json timetable_view(const state& s, const event& e, const timetable& t, bool full) {
    auto name_of_registration = [&](const std::string& id) {
        auto r = s.registrations.find(id);
        return r == s.registrations.end() ? std::string{} : r->second.name;
    };
    auto items = json::array();
    for (const auto& m : t.meetings) {
        auto start = slot_start(e, m.slot);
        json j = {{"slot", m.slot},
                  {"table", m.table},
                  {"company", m.company},
                  {"company_name", name_of_registration(m.company)},
                  {"start", format_utc(start)},
                  {"end", format_utc(start + minutes(e.slot_minutes))},
                  {"pinned", m.pinned}};
        if (t.published && (!takes_part(s, m.student) || !takes_part(s, m.company)))
            j["withdrawn"] = true;
        if (full) {
            j["student"] = m.student;
            j["student_name"] = name_of_registration(m.student);
        }
        items.push_back(j);
    }
    auto dropped = json::array();
    if (full)
        for (const auto& m : t.dropped)
            dropped.push_back({{"student", m.student}, {"company", m.company}});
    return {{"event", e.id},
            {"published", t.published},
            {"revision", t.revision},
            {"meetings", items},
            {"dropped", dropped}};
}

using pair_set = std::set<std::pair<std::string, std::string>>;

void read_pairs(const json& body, const char* key, const std::function<void(const json&)>& add) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return;
    if (!it->is_array() || it->size() > 10000)
        fail(http::status::bad_request, "bad-request",
             std::string("'") + key + "' is an array of meetings", key);
    for (const auto& m : *it) {
        if (!m.is_object())
            fail(http::status::bad_request, "bad-request",
                 std::string("'") + key + "' holds objects", key);
        add(m);
    }
}

// Pins, removals and unpins name a student and a company of this event; pins a slot of its
// day and one of the company's tables. Anything else is a mistake worth saying.
void check_pairs(const state& s, const event& e, const std::vector<meeting>& pins,
                 const pair_set& removed, const pair_set& unpinned) {
    auto is = [&](const std::string& id, const char* role) {
        auto r = s.registrations.find(id);
        return r != s.registrations.end() && r->second.event == e.id && r->second.role == role;
    };
    auto check = [&](const std::string& student, const std::string& company, const char* field) {
        if (!is(student, "student") || !is(company, "company"))
            fail(http::status::bad_request, "bad-request",
                 std::string("'") + field + "' names a student and a company of this event", field);
    };
    for (const auto& m : pins) {
        check(m.student, m.company, "pin");
        if (m.slot < 0 || m.slot >= e.slots || m.table < 0 ||
            m.table >= s.registrations.at(m.company).tables)
            fail(http::status::bad_request, "bad-request",
                 "a pin takes a slot of the day and one of the company's tables", "pin");
    }
    for (const auto& [student, company] : removed) check(student, company, "remove");
    for (const auto& [student, company] : unpinned) check(student, company, "unpin");
}

// Builds the timetable on the solver's thread, from a snapshot of its inputs taken under
// the ledger's shared lock; the result is committed only if the inputs are still the same
// (set_timetable's `based_on`), else built again.
net::awaitable<response> build_timetable(const api_base& st, net::thread_pool& solver, call& c) {
    auto who = st.identify(c.req);
    require_user(who);
    st.check_origin(c.req, who);
    auto body = json_body(c.req, true);
    for (const auto& [key, value] : body.items())
        if (key != "pin" && key != "remove" && key != "unpin" && key != "publish" &&
            key != "time_budget_seconds")
            fail(http::status::bad_request, "bad-request",
                 "'" + key + "' is not a member of a timetable request", key);
    const auto id = c.param("id");
    std::vector<meeting> asked_pins;
    pair_set removed;
    read_pairs(body, "pin", [&](const json& m) {
        asked_pins.push_back({field_id(m, "student"), field_id(m, "company"), field_int(m, "slot"),
                              field_int(m, "table", false, 0), true});
    });
    read_pairs(body, "remove", [&](const json& m) {
        removed.insert({field_id(m, "student"), field_id(m, "company")});
    });
    pair_set unpinned;  // stay in the timetable if they fit, without being held in place
    read_pairs(body, "unpin", [&](const json& m) {
        unpinned.insert({field_id(m, "student"), field_id(m, "company")});
    });
    const bool publish = field_bool(body, "publish", false);
    // How long the exact search may take (common/jobdating/exact.hpp), 1 to 30 seconds.
    const int budget = field_int(body, "time_budget_seconds", false, 3);
    if (budget < 1 || budget > 30)
        fail(http::status::bad_request, "bad-request",
             "'time_budget_seconds' is a whole number of seconds from 1 to 30",
             "time_budget_seconds");

    // The timetable as it stands after `o`, with the figures of the build that made it (none
    // for an answer from the journal).
    const auto answer = [&](const outcome& o, const jobdating::figures* figures) {
        return json_response(c.req, http::status::ok, st.book.read([&](const state& s) {
            auto e = s.events.find(id);
            auto t = s.timetables.find(id);
            if (e == s.events.end() || t == s.timetables.end())
                fail(http::status::not_found, "not-found", "no such timetable");
            auto v = timetable_view(s, e->second, t->second, true);
            if (figures && !o.replayed) v["figures"] = figures_json(*figures);
            return v;
        }));
    };

    // A request made again with its key is answered from the journal (docs/api.md,
    // "Idempotency"): the ledger replays the first answer, or says it keeps no such key, and
    // only then is a timetable built. A malformed key, or a caller who may not build this
    // timetable, is refused before that.
    const actor by = who.as_actor();
    const auto key = idempotency_of(c.req, by);
    st.book.read([&](const state& s) {
        need_organiser(need_event(s, id, who), who);
        return 0;
    });
    if (key) {
        auto retry = key;
        retry->replay_only = true;
        const command cmd = set_timetable{id, timetable{}, 0};  // never decided
        auto o = co_await submit(st.book, cmd, by, retry);
        if (!o.unrecorded) {
            if (auto failure = failure_response(c.req, o)) co_return *failure;
            co_return answer(o, nullptr);
        }
    }

    for (int attempt = 1;; ++attempt) {
        jobdating::problem problem;
        std::int64_t based_on = 0;
        st.book.read([&](const state& s) {
            const auto& e = need_event(s, id, who);
            need_organiser(e, who);
            if (e.kind != event_kind::job_dating)
                fail(http::status::bad_request, "bad-request", "only a Job Dating has a timetable");
            check_pairs(s, e, asked_pins, removed, unpinned);
            // Pins from before stay pinned unless removed.
            auto pins = asked_pins;
            if (auto old = s.timetables.find(id); old != s.timetables.end())
                for (const auto& m : old->second.meetings)
                    if (m.pinned && !removed.count({m.student, m.company}) &&
                        !unpinned.count({m.student, m.company}))
                        pins.push_back({m.student, m.company, m.slot, m.table, true});
            problem = jobdating_problem(s, e, pins, removed, slot_at(e, now_seconds()));
            auto inputs = s.event_inputs.find(id);
            based_on = inputs == s.event_inputs.end() ? 0 : inputs->second;
            return 0;
        });

        // A build again (the inputs changed meanwhile) gets a second, not the whole budget.
        const auto solve = [&problem, seconds = attempt == 1 ? budget : 1] {
            return jobdating::build_best(problem, {std::chrono::seconds(seconds)});
        };
        const jobdating::solution built = co_await on_pool(solver, solve);

        timetable t{built.meetings, built.dropped, publish, 0};
        for (auto& m : t.dropped) m.pinned = false;
        const command cmd = set_timetable{id, t, based_on};
        auto o = co_await submit(st.book, cmd, by, key);
        // Someone registered or left while it was built: build it again from the new inputs.
        if (refused_for(o, error::conflict, "based_on") && attempt < 3) continue;
        if (auto failure = failure_response(c.req, o)) co_return *failure;
        co_return answer(o, &built.stats);
    }
}

}  // namespace

namespace {

// One's meetings in a timetable, with the other party's name, and withdrawn if that party no
// longer takes part (common/jobdating/problem.hpp): cancelled until the organisers build again.
struct own_meeting {
    const meeting* m;
    std::string with;
    instant start;
    instant end;
    bool withdrawn = false;
};

std::vector<own_meeting> own_meetings(const state& s, const event& e, const timetable& t,
                                      const registration& me) {
    std::vector<own_meeting> out;
    for (const auto& m : t.meetings) {
        if (m.student != me.id && m.company != me.id) continue;
        const auto& other_id = m.student == me.id ? m.company : m.student;
        auto other = s.registrations.find(other_id);
        auto start = slot_start(e, m.slot);
        out.push_back({&m, other == s.registrations.end() ? std::string{} : other->second.name,
                       start, start + minutes(e.slot_minutes), !takes_part(s, other_id)});
    }
    return out;
}

}  // namespace

std::string personal_ics(const state& s, const event& e, const timetable& t, const registration& me,
                         instant stamp) {
    std::vector<ical_entry> entries;
    // A withdrawn meeting is cancelled, as the participant's page says.
    for (const auto& o : own_meetings(s, e, t, me))
        entries.push_back(
            {e.id + "-" + me.id + "-" + std::to_string(o.m->slot), o.start, o.end, t.revision,
             o.withdrawn ? "CANCELLED" : "CONFIRMED",
             e.title + " — " + o.with + " (table " + std::to_string(o.m->table + 1) + ")", "", ""});
    return ical_calendar(e.title, "Europe/Paris", entries, stamp);
}

namespace {

// A participant's own timetable, by registration code: JSON, or iCalendar with .ics.
net::awaitable<response> personal_timetable(const api_base& st, call& c) {
    std::string code = c.param("code");
    bool ics = code.size() > 4 && code.substr(code.size() - 4) == ".ics";
    if (ics) code.resize(code.size() - 4);
    code = code_upper(code);
    auto result = st.book.read([&](const state& x) -> std::pair<json, std::string> {
        auto ev = x.events.find(c.param("id"));
        const registration* me =
            ev == x.events.end() ? nullptr : registration_by_code(x, ev->first, code);
        if (!me) fail(http::status::not_found, "not-found", "no timetable for this code");
        const auto& e = ev->second;
        auto t = x.timetables.find(e.id);
        if (t == x.timetables.end() || !t->second.published)
            fail(http::status::not_found, "not-found", "no timetable for this code");
        auto items = json::array();
        for (const auto& o : own_meetings(x, e, t->second, *me)) {
            json item = {{"slot", o.m->slot},
                         {"table", o.m->table},
                         {"with", o.with},
                         {"start", format_utc(o.start)},
                         {"end", format_utc(o.end)}};
            if (o.withdrawn) item["withdrawn"] = true;
            items.push_back(std::move(item));
        }
        return {json{{"event", e.id}, {"name", me->name}, {"meetings", items}},
                ics ? personal_ics(x, e, t->second, *me, now_seconds()) : std::string{}};
    });
    if (ics)
        co_return text_response(c.req, http::status::ok, std::move(result.second),
                                "text/calendar; charset=utf-8");
    co_return json_response(c.req, http::status::ok, result.first);
}

net::awaitable<response> read_timetable(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    std::string key = "timetable ";
    key.append(c.param("id")).append(" ").append(audience_key(who));
    auto answer = cached_read(api, c.req, key, [&](const state& s) -> std::optional<json> {
        const auto& e = need_event(s, c.param("id"), who);
        bool full = may_manage_event(who.as_actor(), e);
        auto t = s.timetables.find(e.id);
        if (t == s.timetables.end() || (!full && !t->second.published))
            fail(http::status::not_found, "not-found", "no published timetable yet");
        return timetable_view(s, e, t->second, full);
    });
    co_return std::move(*answer);
}

}  // namespace

void add_jobdating_routes(router& routes, const api_base& api, net::thread_pool& solver) {
    routes.add(http::verb::post, "/api/events/{id}/timetable",
               guarded([api, &solver](call& c) { return build_timetable(api, solver, c); }));
    routes.add(http::verb::get, "/api/events/{id}/timetable",
               guarded([api](call& c) { return read_timetable(api, c); }));
    routes.add(http::verb::get, "/api/events/{id}/timetable/{code}",
               guarded([api](call& c) { return personal_timetable(api, c); }));
}

}  // namespace creneau::server
