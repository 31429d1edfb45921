// A person's data, as the RGPD's right of access wants it (docs/privacy.md): everything the
// state holds about an account or a registration, in one JSON document. Three doors: the
// person signed in, an administrator of their organisation, and a registrant without an
// account by their registration code.

#include "server/api/routes.hpp"
#include "server/api/support.hpp"
#include "server/api/views.hpp"

#include "common/access.hpp"
#include "common/events/queries.hpp"
#include "common/jobdating/problem.hpp"
#include "common/privacy/rules.hpp"

namespace creneau::server {
namespace {

std::string name_of_registration(const state& s, const std::string& id) {
    auto r = s.registrations.find(id);
    return r == s.registrations.end() ? std::string{} : r->second.name;
}

// Who reads an account's data: the person, or an administrator answering for them, who never
// gets the person's keys (registration and team codes) nor their sessions.
enum class reader { person, administrator };

// One registration as its holder sees it: all they gave, the event it is for, their team and,
// for a Job Dating, their published meetings.
json registration_data(const state& s, const registration& r, reader by = reader::person) {
    json mine = r;
    mine.erase("user");
    if (by == reader::administrator) mine.erase("code");
    json j = {{"registration", mine}};
    auto e = s.events.find(r.event);
    if (e != s.events.end()) {
        // The questions' wording, for the answers to be read.
        auto questions = json::object();
        for (const auto& q : e->second.questions) questions[q.id] = q.label;
        j["event"] = {{"id", e->second.id},
                      {"title", e->second.title},
                      {"kind", e->second.kind},
                      {"questions", questions}};
        auto t = s.timetables.find(r.event);
        if (t != s.timetables.end() && t->second.published) {
            auto meetings = json::array();
            for (const auto& m : t->second.meetings)
                if (m.student == r.id || m.company == r.id)
                    meetings.push_back(
                        {{"start", slot_start(e->second, m.slot)},
                         {"table", m.table + 1},
                         {"with",
                          name_of_registration(s, m.student == r.id ? m.company : m.student)}});
            j["meetings"] = meetings;
        }
    }
    if (const team* t = team_of(s, r.id)) {
        j["team"] = {{"name", t->name}};
        if (by == reader::person) j["team"]["code"] = t->code;
    }
    return j;
}

// A reservation the person requested, with its history (who decided what, and why).
json reservation_data(const state& s, const reservation& r) {
    // Who took each step, by name as well.
    auto history = json::array();
    for (const auto& h : r.history) history.push_back(history_view(s, h));
    return {{"reservation", reservation_view(s, r)}, {"history", history}};
}

json account_data(const state& s, const user& u, reader by) {
    // The account as its administrators see it, and the person's own choices.
    json account = user_view(s, u);
    account["lang"] = u.lang;
    account["muted"] = u.muted;
    account["copies"] = u.copies;
    // The registrations made signed in. Not those made with the account's address only: an
    // address is not proof (an administrator may invite any address), and a registration's
    // code opens it.
    auto registrations = json::array();
    for (const auto& [id, r] : s.registrations)
        if (r.user == u.id) registrations.push_back(registration_data(s, r, by));
    auto reservations = json::array();
    auto decisions = json::array();
    for (const auto& [id, r] : s.reservations) {
        if (r.requester == u.id) reservations.push_back(reservation_data(s, r));
        for (const auto& h : r.history)
            if (h.actor == u.id && r.requester != u.id)
                decisions.push_back({{"reservation", r.id},
                                     {"at", h.at},
                                     {"action", h.action},
                                     {"detail", h.detail}});
    }
    // The requests made to a single window (docs/domain.md, "The single window").
    auto window_requests = json::array();
    for (const auto& [id, w] : s.window_requests) {
        if (w.requester != u.id) continue;
        json j = w;
        j["history"] = w.history;
        window_requests.push_back(std::move(j));
    }
    auto changes = json::array();
    for (const auto& a : s.audit)
        if (a.actor == u.id)
            changes.push_back({{"at", a.at}, {"action", a.action}, {"subject", a.subject}});
    json data = {{"account", account},
                 {"registrations", registrations},
                 {"reservations", reservations},
                 {"decisions", decisions},
                 {"window_requests", window_requests},
                 {"changes", changes}};
    if (by == reader::person) {
        auto sessions = json::array();
        for (const auto& [hash, session] : s.sessions)
            if (session.user == u.id && session.expires > now_seconds())
                sessions.push_back({{"opened", session.opened}, {"expires", session.expires}});
        data["sessions"] = sessions;
    }
    return data;
}

json document(json data, bool erased) {
    data["generated"] = now_seconds();
    data["erased"] = erased;
    data["notice"] = "/#/privacy";
    return data;
}

net::awaitable<response> my_data(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    const auto& u = require_user(who);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        return document(account_data(s, s.users.at(u.id), reader::person),
                        erased(s, user_subject(u.id)));
    }));
}

// An administrator of the person's organisation (or of the operator) answers access requests
// for the people who cannot sign in, or ask them to.
net::awaitable<response> user_data(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        auto u = s.users.find(c.param("id"));
        if (u == s.users.end() || !may_manage_users(s, who.as_actor(), u->second.organisation))
            fail(http::status::not_found, "not-found", "no such user among the ones you manage");
        return document(account_data(s, u->second, reader::administrator),
                        erased(s, user_subject(u->first)));
    }));
}

// The registration behind a code: the code is the registrant's key (docs/authorisation.md).
net::awaitable<response> registration_export(const api_base& api, call& c) {
    co_return json_response(c.req, http::status::ok, api.book.read([&](const state& s) {
        auto e = s.events.find(c.param("id"));
        const registration* r =
            e == s.events.end() ? nullptr
                                : registration_by_code(s, e->first, code_upper(c.param("code")));
        if (!r) fail(http::status::not_found, "not-found", "no registration with this code");
        return document({{"registrations", json::array({registration_data(s, *r)})}},
                        erased(s, registration_subject(r->id)));
    }));
}

// ---- Erasure (docs/privacy.md, "Erasure") ----------------------------------------------------

// Runs an erasure and answers the subjects erased (an account's registrations with it).
// Callers pass named objects (support.hpp, submit).
net::awaitable<response> erase(const api_base& api, call& c, const std::string& subject,
                               const actor& by, const std::string& code) {
    const command cmd = erase_personal_data{subject, "request", code};
    auto o = co_await submit(api.book, cmd, by, &c.req);
    if (auto failure = failure_response(c.req, o)) co_return *failure;
    auto erased = json::array();
    for (const auto& f : o.facts)
        if (auto* e = std::get_if<personal_data_erased>(&f.body)) erased.push_back(e->subject);
    co_return json_response(c.req, http::status::ok, json{{"erased", erased}});
}

net::awaitable<response> erase_me(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    const auto& u = require_user(who);
    api.check_origin(c.req, who);
    const auto subject = user_subject(u.id);
    const auto by = who.as_actor();
    const std::string no_code;
    co_return co_await erase(api, c, subject, by, no_code);
}

net::awaitable<response> erase_user(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    api.check_origin(c.req, who);
    // Only the accounts one manages exist, as for their data (404 for the others).
    const bool known = api.book.read([&](const state& s) {
        auto u = s.users.find(c.param("id"));
        return u != s.users.end() && may_manage_users(s, who.as_actor(), u->second.organisation);
    });
    if (!known)
        fail(http::status::not_found, "not-found", "no such user among the ones you manage");
    const auto subject = user_subject(c.param("id"));
    const auto by = who.as_actor();
    const std::string no_code;
    co_return co_await erase(api, c, subject, by, no_code);
}

net::awaitable<response> erase_by_code(const api_base& api, call& c) {
    const auto code = code_upper(c.param("code"));
    auto id = api.book.read([&](const state& s) {
        auto e = s.events.find(c.param("id"));
        const registration* r =
            e == s.events.end() ? nullptr : registration_by_code(s, e->first, code);
        return r ? r->id : std::string{};
    });
    if (id.empty()) fail(http::status::not_found, "not-found", "no registration with this code");
    const auto subject = registration_subject(id);
    const auto by = actor::anonymous();
    co_return co_await erase(api, c, subject, by, code);
}

// An organiser erases a registrant who asked them (who may have lost their code).
net::awaitable<response> erase_registration(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    api.check_origin(c.req, who);
    const bool known = api.book.read([&](const state& s) {
        auto r = s.registrations.find(c.param("id"));
        auto e = r == s.registrations.end() ? s.events.end() : s.events.find(r->second.event);
        return e != s.events.end() && may_manage_event(who.as_actor(), e->second);
    });
    if (!known)
        fail(http::status::not_found, "not-found", "no such registration among your events");
    const auto subject = registration_subject(c.param("id"));
    const auto by = who.as_actor();
    const std::string no_code;
    co_return co_await erase(api, c, subject, by, no_code);
}

}  // namespace

void add_privacy_routes(router& routes, const api_base& api) {
    auto with = [api](auto f) { return guarded([api, f](call& c) { return f(api, c); }); };
    routes.add(http::verb::get, "/api/me/data", with(my_data));
    routes.add(http::verb::get, "/api/users/{id}/data", with(user_data));
    routes.add(http::verb::get, "/api/events/{id}/registrations/{code}/data",
               with(registration_export));
    routes.add(http::verb::delete_, "/api/me/data", with(erase_me));
    routes.add(http::verb::delete_, "/api/users/{id}/data", with(erase_user));
    routes.add(http::verb::delete_, "/api/events/{id}/registrations/{code}/data",
               with(erase_by_code));
    routes.add(http::verb::delete_, "/api/registrations/{id}/data", with(erase_registration));
}

}  // namespace creneau::server
