// The authorisation model (docs/authorisation.md) as a matrix: every operation of
// openapi.json, tried by seven kinds of caller against the real process, must answer the
// status the table below says. An operation the table does not list fails the test, so a
// new route cannot land without saying who may call it. Each operation that succeeds for
// one of them is also sent again with a malformed Idempotency-Key, which it must refuse if,
// and only if, the document lists the key for it.

#include "server/api/openapi.hpp"

#include "support/http_client.hpp"
#include "support/site.hpp"
#include "support/text.hpp"

#include "common/core/time.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

using namespace creneau::test;
using nlohmann::json;
namespace http = boost::beast::http;

namespace {

// The callers, relative to the organisation that owns what the operation touches.
enum who {
    anonymous,
    member_own,
    member_other,
    organiser_own,
    admin_own,
    admin_other,
    operator_admin,
    kinds
};
const char* const who_names[] = {
    "anonymous",          "member of the owner", "member of another", "organiser of the owner",
    "admin of the owner", "admin of another",    "operator admin"};

struct request_spec {
    std::string target;
    json body = nullptr;  // null: no body
    // Sent by this client instead of the caller's own (an operation that ends its caller).
    std::optional<api_client> as = {};
};

struct row {
    http::verb method;
    std::string path;   // as openapi.json writes it
    std::string owner;  // llv, univ-artois or univ-lille
    std::array<unsigned, kinds> expected;
    // Makes what the operation needs (a fresh reservation, registration, …) and says what to send.
    std::function<request_spec(int call)> setup;
};

struct people {
    std::map<std::string, api_client> by_email;
    api_client anon;
    std::string other_of(const std::string& owner) const {
        return owner == "univ-lille" ? "univ-artois"
               : owner == "llv"      ? "univ-artois"
                                     : "univ-lille";
    }
    const api_client& pick(who w, const std::string& owner) const {
        auto short_of = [](const std::string& org) {
            return org == "univ-artois"  ? std::string("artois")
                   : org == "univ-lille" ? std::string("lille")
                                         : org;
        };
        switch (w) {
            case anonymous:
                return anon;
            case member_own:
                return by_email.at("member@" + short_of(owner) + ".fr");
            case member_other:
                return by_email.at("member@" + short_of(other_of(owner)) + ".fr");
            case organiser_own:
                return by_email.at("organiser@" + short_of(owner) + ".fr");
            case admin_own:
                return by_email.at("admin@" + short_of(owner) + ".fr");
            case admin_other:
                return by_email.at("admin@" + short_of(other_of(owner)) + ".fr");
            default:
                return by_email.at("admin@llv.fr");
        }
    }
};

// A weekday slot of its own for each call (Paris time, winter), from 1 March 2027.
json slot_booking(const std::string& resource, int n, const std::string& org = "") {
    auto start = *creneau::parse_rfc3339("2027-03-01T09:00:00+01:00") +
                 std::chrono::days((n / 5) * 7 + n % 5 + 7 * 8);
    json b = booking(resource, creneau::format_utc(start),
                     creneau::format_utc(start + std::chrono::hours(1)), 5,
                     resource == "atrium" ? "plenary" : "");
    if (!org.empty()) b["organisation"] = org;
    return b;
}

json event_body(const std::string& kind, bool restricted = false) {
    json e = {{"kind", kind},
              {"title", "Événement"},
              {"capacity", 1000},
              {"opens", "2020-01-01T00:00:00Z"},
              {"closes", "2035-01-01T00:00:00Z"},
              {"day_start", "2030-03-06T08:00:00Z"},
              {"slots", 8},
              {"restricted", restricted}};
    if (restricted) e["organisations"] = {"univ-artois"};
    return e;
}

}  // namespace

TEST_CASE(
    "authorisation: every operation of openapi.json answers each kind of caller as the model says",
    "[authorisation]") {
    temp_dir dir;
    server_options opts;
    opts.data_dir = dir.path() / "data";
    const std::vector<std::tuple<std::string, std::string, std::string>> accounts = {
        {"admin@llv.fr", "admin", "llv"},
        {"member@llv.fr", "member", "llv"},
        {"organiser@llv.fr", "organiser", "llv"},
        {"member@artois.fr", "member", "univ-artois"},
        {"organiser@artois.fr", "organiser", "univ-artois"},
        {"admin@artois.fr", "admin", "univ-artois"},
        {"member@lille.fr", "member", "univ-lille"},
        {"organiser@lille.fr", "organiser", "univ-lille"},
        {"admin@lille.fr", "admin", "univ-lille"}};
    for (const auto& [email, role, org] : accounts) add_user(opts, email, email, role, org);
    server_process server(opts);
    people p;
    p.anon = api_client{server.port(), ""};
    for (const auto& [email, role, org] : accounts)
        p.by_email[email] = api_client::sign_in(server.port(), email);
    const auto& artois = p.by_email.at("member@artois.fr");
    const auto& artois_organiser = p.by_email.at("organiser@artois.fr");

    int counter = 0;
    auto fresh = [&] { return ++counter; };
    auto new_reservation = [&](const std::string& resource = "meeting-room") {
        auto r = artois.post("/api/reservations", slot_booking(resource, fresh()));
        REQUIRE(r.status == 201);
        return r.json()["id"].get<std::string>();
    };
    auto one_date_series = [&](int n) {
        auto b = slot_booking("meeting-room", n, "univ-artois");
        b["recurrence"] = {{"frequency", "weekly"}, {"count", 1}};
        return b;
    };
    auto new_series = [&] {
        auto r = artois.post("/api/series", one_date_series(fresh()));
        REQUIRE(r.status == 201);
        return r.json()["id"].get<std::string>();
    };
    // Events of Artois: a public talk, a restricted one, a Culturathon and a Job Dating.
    REQUIRE(artois_organiser.put("/api/events/talk", event_body("talk")).status == 200);
    REQUIRE(artois_organiser.put("/api/events/closed", event_body("talk", true)).status == 200);
    REQUIRE(artois_organiser.put("/api/events/hack", event_body("culturathon")).status == 200);
    REQUIRE(artois_organiser.put("/api/events/jd", event_body("job-dating")).status == 200);
    REQUIRE(artois_organiser.put("/api/events/jd-draft", event_body("job-dating")).status == 200);
    auto register_to = [&](const std::string& event, json extra = json::object()) {
        extra["name"] = numbered("Personne ", fresh());
        auto r = p.anon.post("/api/events/" + event + "/registrations", extra);
        REQUIRE(r.status == 201);
        return r.json();
    };
    auto student = register_to("jd", {{"role", "student"}});
    auto company = register_to("jd", {{"role", "company"}});
    REQUIRE(artois_organiser.post("/api/events/jd/timetable", {{"publish", true}}).status == 200);
    auto team_of = [&] {
        auto code = register_to("hack")["code"].get<std::string>();
        auto t = p.anon.post("/api/events/hack/teams", {{"code", code}, {"name", "Équipe"}});
        REQUIRE(t.status == 201);
        return t.json();
    };

    // A fresh Artois account invited by the operator: its id, and its one-time link's token.
    const auto& operator_admin_client = p.by_email.at("admin@llv.fr");
    auto invite_one = [&] {
        auto r = operator_admin_client.post("/api/users",
                                            {{"email", numbered("compte", fresh()) + "@artois.fr"},
                                             {"name", "Compte"},
                                             {"role", "member"},
                                             {"organisation", "univ-artois"}});
        REQUIRE(r.status == 201);
        return r.json();
    };
    auto invited_id = [&] { return invite_one()["user"]["id"].get<std::string>(); };
    // A fresh signed-in account of the kind of caller `w` is, for operations that end their
    // caller (the anonymous caller stays anonymous).
    auto fresh_caller = [&](int w) {
        static const std::pair<const char*, const char*> kinds_of[] = {{"", ""},
                                                                       {"member", "univ-artois"},
                                                                       {"member", "univ-lille"},
                                                                       {"organiser", "univ-artois"},
                                                                       {"admin", "univ-artois"},
                                                                       {"admin", "univ-lille"},
                                                                       {"admin", "llv"}};
        if (w == anonymous) return p.anon;
        return invited_account(operator_admin_client, numbered("soi", fresh()) + "@exemple.fr",
                               "Soi-même", kinds_of[w].first, kinds_of[w].second);
    };
    auto invitation_token = [&] {
        auto link = invite_one()["link"].get<std::string>();
        return link.substr(link.rfind('/') + 1);
    };

    // A single window run by Lille (a renewal of the Lille agreement, in force from 2027), and
    // two student associations it takes requests from, each with a signed-in member.
    REQUIRE(operator_admin_client
                .put("/api/agreements/lille-2027",
                     {{"name", "Convention Ville de Lille – Université de Lille 2027-2030"},
                      {"provider", "ville-lille"},
                      {"beneficiary", "univ-lille"},
                      {"reciprocal", true},
                      {"valid_from", "2027-01-01"},
                      {"valid_to", "2030-12-31"},
                      {"resources",
                       {{"lille-amphi", {{"free", "unlimited"}}},
                        {"lille-salon-hotel-de-ville", {{"free", "unlimited"}}}}},
                      {"min_notice", {{"months", 2}}},
                      {"billed_as", "other"},
                      {"window_operator", "univ-lille"}})
                .status == 200);
    std::map<std::string, api_client> associations;
    for (const std::string asso : {"asso-a", "asso-b"}) {
        REQUIRE(operator_admin_client
                    .put("/api/organisations/" + asso, {{"name", "Association " + asso},
                                                        {"category", "student-association"},
                                                        {"accredited_by", "univ-lille"}})
                    .status == 200);
        associations[asso] = invited_account(operator_admin_client, "bureau@" + asso + ".fr",
                                             "Bureau", "member", asso);
    }
    // A request of `asso` in the window's queue, on a weekday of its own.
    const auto window_request_body = [&] {
        auto b = slot_booking("lille-amphi", fresh());
        return json{{"agreement", "lille-2027"}, {"title", "Conférence"}, {"start", b["start"]},
                    {"end", b["end"]},           {"attendees", 40},       {"kind", "auditorium"}};
    };
    auto new_window_request = [&](const std::string& asso) {
        auto r = associations.at(asso).post("/api/window-requests", window_request_body());
        REQUIRE(r.status == 201);
        return r.json()["id"].get<std::string>();
    };
    const auto queued = new_window_request("asso-a");

    using V = http::verb;
    const unsigned A = 401;
    // The table: expected status for anonymous, member of the owner, member of another,
    // organiser of the owner, admin of the owner, admin of another, operator admin.
    std::vector<row> table = {
        {V::get,
         "/healthz",
         "llv",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/healthz"}; }},
        {V::get,
         "/readyz",
         "llv",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/readyz"}; }},
        {V::get,
         "/metrics",
         "llv",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/metrics"}; }},
        {V::get,
         "/api/openapi.json",
         "llv",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/openapi.json"}; }},
        {V::get,
         "/live",
         "llv",
         {426, 426, 426, 426, 426, 426, 426},
         [](int) { return request_spec{"/live"}; }},
        {V::get,
         "/api/me",
         "univ-artois",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/me"}; }},
        // Resources: the owner's admins and the operator change them; everyone reads them.
        {V::get,
         "/api/resources",
         "univ-lille",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/resources"}; }},
        {V::get,
         "/api/resources/{id}",
         "univ-lille",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/resources/lille-amphi"}; }},
        {V::put,
         "/api/resources/{id}",
         "univ-lille",
         {A, 403, 403, 403, 200, 403, 200},
         [](int) {
             return request_spec{
                 "/api/resources/lille-amphi",
                 {{"name", "Amphithéâtre"},
                  {"site", "lille-campus"},
                  {"kind", "room"},
                  {"layouts", {{{"id", "plenary"}, {"capacity", 250}}}},
                  {"hours", {{"mon", json::array({json::array({"08:00", "20:00"})})}}}}};
         }},
        // Organisations: the operator alone.
        {V::get,
         "/api/organisations",
         "univ-lille",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/organisations"}; }},
        {V::put,
         "/api/organisations/{id}",
         "univ-lille",
         {A, 403, 403, 403, 403, 403, 200},
         [](int) {
             return request_spec{"/api/organisations/univ-lille",
                                 {{"name", "Université de Lille"}, {"category", "other"}}};
         }},
        // Agreements: seen by their parties, changed by their provider (and the operator).
        {V::get,
         "/api/agreements",
         "univ-artois",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/agreements"}; }},
        {V::get,
         "/api/agreements/{id}",
         "univ-artois",
         {A, 200, 404, 200, 200, 404, 200},
         [](int) { return request_spec{"/api/agreements/artois-llv-2026"}; }},
        {V::get,
         "/api/agreements/{id}/usage",
         "univ-artois",
         {A, 200, 404, 200, 200, 404, 200},
         [](int) { return request_spec{"/api/agreements/artois-llv-2026/usage?year=2027"}; }},
        {V::put,
         "/api/agreements/{id}",
         "llv",
         {A, 403, 403, 403, 200, 403, 200},
         [&](int) {
             auto a = p.by_email.at("admin@llv.fr").get("/api/agreements/artois-llv-2026").json();
             return request_spec{"/api/agreements/artois-llv-2026", a};
         }},
        // Tariff grids: their owner's admins (and the operator).
        {V::get,
         "/api/tariff-grids",
         "llv",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/tariff-grids"}; }},
        {V::put,
         "/api/tariff-grids/{id}",
         "llv",
         {A, 403, 403, 403, 200, 403, 200},
         [&](int) {
             auto grids = p.anon.get("/api/tariff-grids").json();
             return request_spec{"/api/tariff-grids/llv", grids[0]};
         }},
        // Reservations: members act for their own organisation only.
        {V::get,
         "/api/reservations",
         "univ-artois",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/reservations"}; }},
        {V::post,
         "/api/reservations",
         "univ-artois",
         {A, 201, 403, 201, 201, 403, 403},
         [&](int) {
             return request_spec{"/api/reservations",
                                 slot_booking("meeting-room", fresh(), "univ-artois")};
         }},
        {V::post,
         "/api/quotes",
         "univ-artois",
         {A, 200, 403, 200, 200, 403, 403},
         [&](int) {
             return request_spec{"/api/quotes",
                                 slot_booking("meeting-room", fresh(), "univ-artois")};
         }},
        // Series: requested for one's own organisation, seen as its reservations are.
        {V::post,
         "/api/series",
         "univ-artois",
         {A, 201, 403, 201, 201, 403, 403},
         [&](int) { return request_spec{"/api/series", one_date_series(fresh())}; }},
        {V::post,
         "/api/series/preview",
         "univ-artois",
         {A, 200, 403, 200, 200, 403, 403},
         [&](int) { return request_spec{"/api/series/preview", one_date_series(fresh())}; }},
        {V::get,
         "/api/series/{id}",
         "univ-artois",
         {A, 200, 404, 200, 200, 404, 200},
         [&](int) { return request_spec{"/api/series/" + new_series()}; }},
        // Seen by the requesting organisation and by the admins of the room's owner (LLV).
        {V::get,
         "/api/reservations/{id}",
         "univ-artois",
         {A, 200, 404, 200, 200, 404, 200},
         [&](int) { return request_spec{"/api/reservations/" + new_reservation()}; }},
        {V::get,
         "/api/reservations/{id}/history",
         "univ-artois",
         {A, 200, 404, 200, 200, 404, 200},
         [&](int) { return request_spec{"/api/reservations/" + new_reservation() + "/history"}; }},
        // Decided by the room owner's admins (LLV); the requester's own admins may not.
        {V::post,
         "/api/reservations/{id}/approve",
         "llv",
         {A, 404, 403, 404, 200, 403, 200},
         [&](int) {
             return request_spec{"/api/reservations/" + new_reservation() + "/approve",
                                 json::object()};
         }},
        {V::post,
         "/api/reservations/{id}/refuse",
         "llv",
         {A, 404, 403, 404, 200, 403, 200},
         [&](int) {
             return request_spec{"/api/reservations/" + new_reservation() + "/refuse",
                                 {{"reason", "Salle prise"}}};
         }},
        {V::post,
         "/api/reservations/{id}/cancel",
         "univ-artois",
         {A, 200, 404, 200, 200, 404, 200},
         [&](int) {
             return request_spec{"/api/reservations/" + new_reservation() + "/cancel",
                                 json::object()};
         }},
        // A room's waiting list: everyone signed in sees (their own requests on it); its
        // lender's administrators reorder it.
        {V::get,
         "/api/resources/{id}/waitlist",
         "llv",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/resources/atrium/waitlist"}; }},
        {V::post,
         "/api/resources/{id}/waitlist",
         "llv",
         {A, 403, 403, 403, 200, 403, 200},
         [](int) {
             return request_spec{"/api/resources/atrium/waitlist", {{"order", json::array()}}};
         }},
        // The single window: the associations submit; the window's operator (Lille's
        // administrators) routes and declines; its association's users and the operator's
        // administrators see a request, nobody else.
        {V::get,
         "/api/windows",
         "univ-lille",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/windows"}; }},
        {V::get,
         "/api/window-requests",
         "univ-lille",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/window-requests"}; }},
        {V::post,
         "/api/window-requests",
         "univ-lille",
         {A, 403, 403, 403, 403, 403, 403},
         [&](int) {
             auto b = slot_booking("lille-amphi", fresh());
             return request_spec{"/api/window-requests", {{"agreement", "lille-2027"},
                                                          {"title", "Conférence"},
                                                          {"start", b["start"]},
                                                          {"end", b["end"]},
                                                          {"attendees", 40}}};
         }},
        {V::get,
         "/api/window-requests/{id}",
         "univ-lille",
         {A, 404, 404, 404, 200, 404, 404},
         [&](int) { return request_spec{"/api/window-requests/" + queued}; }},
        {V::get,
         "/api/window-requests/{id}/rooms",
         "univ-lille",
         {A, 404, 404, 404, 200, 404, 404},
         [&](int) { return request_spec{"/api/window-requests/" + queued + "/rooms"}; }},
        {V::post,
         "/api/window-requests/{id}/assign",
         "univ-lille",
         {A, 404, 404, 404, 200, 404, 404},
         [&](int) {
             return request_spec{"/api/window-requests/" + new_window_request("asso-a") + "/assign",
                                 {{"resource", "lille-amphi"}}};
         }},
        {V::post,
         "/api/window-requests/{id}/decline",
         "univ-lille",
         {A, 404, 404, 404, 200, 404, 404},
         [&](int) {
             return request_spec{"/api/window-requests/" + new_window_request("asso-b") +
                                     "/decline",
                                 {{"reason", "Complet"}}};
         }},
        {V::post,
         "/api/window-requests/{id}/withdraw",
         "univ-lille",
         {A, 404, 404, 404, 403, 404, 404},
         [&](int) {
             return request_spec{
                 "/api/window-requests/" + new_window_request("asso-b") + "/withdraw",
                 json::object()};
         }},
        {V::get,
         "/api/availability",
         "llv",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) {
             return request_spec{
                 "/api/"
                 "availability?resource=atrium&from=2027-03-01T00:00:00Z&to=2027-03-08T00:00:00Z"};
         }},
        // Feeds: an organisation's own people only.
        {V::post,
         "/api/calendar-feeds",
         "univ-artois",
         {A, 201, 403, 201, 201, 403, 403},
         [](int) {
             return request_spec{"/api/calendar-feeds", {{"organisation", "univ-artois"}}};
         }},
        {V::get,
         "/api/calendars/{file}",
         "llv",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/calendars/atrium.ics"}; }},
        // A capability URL: whoever holds it (issuing a new one revokes the previous one).
        {V::get,
         "/api/calendars/private/{file}",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             return request_spec{
                 artois.post("/api/calendar-feeds").json()["url"].get<std::string>()};
         }},
        // Events: public ones for all, restricted ones for their organisations; run by
        // their organisation's organisers and admins.
        {V::get,
         "/api/events",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/events"}; }},
        {V::get,
         "/api/events/{id}",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/events/talk"}; }},
        {V::get,
         "/api/events/{id}",
         "univ-artois",
         {404, 200, 404, 200, 200, 404, 404},
         [](int) { return request_spec{"/api/events/closed"}; }},
        {V::put,
         "/api/events/{id}",
         "univ-artois",
         {A, 403, 403, 200, 200, 403, 403},
         [](int) {
             return request_spec{"/api/events/talk", event_body("talk")};
         }},
        {V::put,
         "/api/events/{id}",
         "univ-artois",
         {A, 403, 404, 200, 200, 404, 404},
         [](int) {
             // A restricted event stays unknown to those who may not see it.
             return request_spec{"/api/events/closed", event_body("talk", true)};
         }},
        {V::put,
         "/api/events/{id}",
         "univ-artois",
         {A, 403, 403, 200, 200, 200, 200},
         [&](int) {
             return request_spec{numbered("/api/events/new-", fresh()), event_body("talk")};
         }},
        {V::post,
         "/api/events/{id}/registrations",
         "univ-artois",
         {201, 201, 201, 201, 201, 201, 201},
         [&](int) {
             return request_spec{"/api/events/talk/registrations",
                                 {{"name", numbered("Inscrit ", fresh())}}};
         }},
        {V::post,
         "/api/events/{id}/registrations",
         "univ-artois",
         {404, 201, 404, 201, 201, 404, 404},
         [&](int) {
             return request_spec{"/api/events/closed/registrations",
                                 {{"name", numbered("Inscrit ", fresh())}}};
         }},
        {V::get,
         "/api/events/{id}/registrations",
         "univ-artois",
         {A, 403, 403, 200, 200, 403, 403},
         [](int) { return request_spec{"/api/events/talk/registrations"}; }},
        // By registration code: whoever holds the code.
        {V::post,
         "/api/events/{id}/leave",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             return request_spec{"/api/events/talk/leave", {{"code", register_to("talk")["code"]}}};
         }},
        // A registration's mail again: anyone who may see the event, answered alike.
        {V::post,
         "/api/events/{id}/resend",
         "univ-artois",
         {202, 202, 202, 202, 202, 202, 202},
         [&](int) {
             return request_spec{"/api/events/talk/resend", {{"email", "someone@example.org"}}};
         }},
        {V::post,
         "/api/events/{id}/resend",
         "univ-artois",
         {404, 202, 404, 202, 202, 404, 404},
         [&](int) {
             return request_spec{"/api/events/closed/resend", {{"email", "someone@example.org"}}};
         }},
        {V::post,
         "/api/events/{id}/waitlist",
         "univ-artois",
         {A, 403, 403, 200, 200, 403, 403},
         [](int) {
             return request_spec{"/api/events/talk/waitlist", {{"order", json::array()}}};
         }},
        {V::post,
         "/api/events/{id}/check-in",
         "univ-artois",
         {A, 403, 403, 200, 200, 403, 403},
         [&](int) {
             return request_spec{"/api/events/talk/check-in",
                                 {{"code", register_to("talk")["code"]}}};
         }},
        {V::post,
         "/api/events/{id}/no-show",
         "univ-artois",
         {A, 403, 403, 200, 200, 403, 403},
         [&](int) {
             return request_spec{"/api/events/talk/no-show",
                                 {{"registration", register_to("talk")["id"]}}};
         }},
        {V::post,
         "/api/events/{id}/teams",
         "univ-artois",
         {201, 201, 201, 201, 201, 201, 201},
         [&](int) {
             return request_spec{"/api/events/hack/teams",
                                 {{"code", register_to("hack")["code"]}, {"name", "Les Curieux"}}};
         }},
        {V::post,
         "/api/events/{id}/teams/join",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             auto team = team_of();
             return request_spec{
                 "/api/events/hack/teams/join",
                 {{"code", register_to("hack")["code"]}, {"team_code", team["code"]}}};
         }},
        {V::post,
         "/api/events/{id}/teams/leave",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             auto code = register_to("hack")["code"].get<std::string>();
             REQUIRE(
                 p.anon.post("/api/events/hack/teams", {{"code", code}, {"name", "Solo"}}).status ==
                 201);
             return request_spec{"/api/events/hack/teams/leave", {{"code", code}}};
         }},
        {V::post,
         "/api/teams/{id}/pepite",
         "univ-artois",
         {A, 403, 403, 200, 200, 403, 403},
         [&](int) {
             return request_spec{"/api/teams/" + team_of()["id"].get<std::string>() + "/pepite",
                                 {{"pepite", false}}};
         }},
        {V::post,
         "/api/events/{id}/timetable",
         "univ-artois",
         {A, 403, 403, 200, 200, 403, 403},
         [](int) {
             return request_spec{"/api/events/jd/timetable", {{"publish", true}}};
         }},
        {V::get,
         "/api/events/{id}/timetable",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/events/jd/timetable"}; }},
        {V::get,
         "/api/events/{id}/timetable",
         "univ-artois",
         {404, 404, 404, 200, 200, 404, 404},
         [&](int) {
             // A draft: its organisers only.
             return request_spec{"/api/events/jd-draft/timetable"};
         }},
        {V::get,
         "/api/events/{id}/timetable/{code}",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             return request_spec{"/api/events/jd/timetable/" + student["code"].get<std::string>()};
         }},
        // A registrant's own page and wishes: whoever holds the code.
        {V::get,
         "/api/events/{id}/registrations/{code}",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             return request_spec{"/api/events/talk/registrations/" +
                                 register_to("talk")["code"].get<std::string>()};
         }},
        {V::patch,
         "/api/events/{id}/registrations/{code}",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             auto code = register_to("jd-draft", {{"role", "student"}})["code"].get<std::string>();
             return request_spec{"/api/events/jd-draft/registrations/" + code,
                                 {{"max_meetings", 3}}};
         }},
        {V::get,
         "/api/events/{id}/companies",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/events/jd/companies"}; }},
        {V::get,
         "/api/events/{id}/companies",
         "univ-artois",
         {404, 404, 404, 404, 404, 404, 404},
         [](int) { return request_spec{"/api/events/talk/companies"}; }},
        {V::get,
         "/api/events/{id}/teams",
         "univ-artois",
         {A, 403, 403, 200, 200, 403, 403},
         [](int) { return request_spec{"/api/events/hack/teams"}; }},
        {V::get,
         "/api/events/{id}/calendar.ics",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/events/talk/calendar.ics"}; }},
        {V::get,
         "/api/events/{id}/calendar.ics",
         "univ-artois",
         {404, 200, 404, 200, 200, 404, 404},
         [](int) { return request_spec{"/api/events/closed/calendar.ics"}; }},
        // One's own password and sessions; accounts; one-time links; first run; audit.
        {V::post,
         "/api/me/password",
         "univ-artois",
         {A, 400, 400, 400, 400, 400, 400},
         [](int) {
             // A wrong current password: refused for everyone, and nobody's password changes.
             return request_spec{"/api/me/password", {{"current", "pas-le-bon-mot-de-passe"},
                                                      {"password", "un-nouveau-mot-de-passe"}}};
         }},
        // A person's data: their own, whoever they are; an account's, for the administrators
        // of its organisation and the operator's; a registration's, for whoever holds its code.
        {V::get,
         "/api/me/data",
         "univ-artois",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/me/data"}; }},
        {V::get,
         "/api/users/{id}/data",
         "univ-artois",
         {A, 404, 404, 404, 200, 404, 200},
         [&](int) { return request_spec{"/api/users/" + invited_id() + "/data"}; }},
        {V::get,
         "/api/events/{id}/registrations/{code}/data",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             return request_spec{"/api/events/talk/registrations/" +
                                 register_to("talk")["code"].get<std::string>() + "/data"};
         }},
        // Erasure (docs/privacy.md): one's own account, whoever one is; an account, for the
        // administrators of its organisation and the operator's; a registration, for whoever
        // holds its code, or the organisers of its event.
        {V::delete_,
         "/api/me/data",
         "univ-artois",
         {A, 200, 200, 200, 200, 200, 200},
         [&](int w) { return request_spec{"/api/me/data", nullptr, fresh_caller(w)}; }},
        {V::delete_,
         "/api/users/{id}/data",
         "univ-artois",
         {A, 404, 404, 404, 200, 404, 200},
         [&](int) { return request_spec{"/api/users/" + invited_id() + "/data"}; }},
        {V::delete_,
         "/api/events/{id}/registrations/{code}/data",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             return request_spec{"/api/events/talk/registrations/" +
                                 register_to("talk")["code"].get<std::string>() + "/data"};
         }},
        {V::delete_,
         "/api/registrations/{id}/data",
         "univ-artois",
         {A, 404, 404, 200, 200, 404, 404},
         [&](int) {
             return request_spec{"/api/registrations/" + register_to("talk")["id"].get<std::string>() +
                                 "/data"};
         }},
        {V::post,
         "/api/users/{id}/keep",
         "univ-artois",
         {A, 404, 404, 404, 200, 404, 200},
         [&](int) { return request_spec{"/api/users/" + invited_id() + "/keep"}; }},
        {V::get,
         "/api/me/sessions",
         "univ-artois",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/me/sessions"}; }},
        {V::delete_,
         "/api/me/sessions/{id}",
         "univ-artois",
         {A, 200, 404, 404, 404, 404, 404},
         [&](int) {
             // A fresh session of the Artois member: only they may end it.
             auto extra = api_client::sign_in(server.port(), "member@artois.fr");
             for (const auto& s : extra.get("/api/me/sessions").json())
                 if (s["current"].get<bool>())
                     return request_spec{"/api/me/sessions/" + s["id"].get<std::string>()};
             FAIL("the new session is not listed");
             return request_spec{};
         }},
        {V::get,
         "/api/links/{token}",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) { return request_spec{"/api/links/" + invitation_token()}; }},
        {V::post,
         "/api/password",
         "univ-artois",
         {200, 200, 200, 200, 200, 200, 200},
         [&](int) {
             return request_spec{"/api/password",
                                 {{"token", invitation_token()}, {"password", "mot-de-passe-choisi"}}};
         }},
        {V::get,
         "/api/users",
         "univ-artois",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/users"}; }},
        {V::post,
         "/api/users",
         "univ-artois",
         {A, 403, 403, 403, 201, 403, 201},
         [&](int) {
             return request_spec{"/api/users", {{"email", numbered("invite", fresh()) + "@artois.fr"},
                                                {"name", "Invitée"},
                                                {"role", "member"},
                                                {"organisation", "univ-artois"}}};
         }},
        {V::put,
         "/api/users/{id}",
         "univ-artois",
         {A, 404, 404, 404, 200, 404, 200},
         [&](int) { return request_spec{"/api/users/" + invited_id(), {{"name", "Nom changé"}}}; }},
        {V::post,
         "/api/users/{id}/reset",
         "univ-artois",
         {A, 404, 404, 404, 201, 404, 201},
         [&](int) { return request_spec{"/api/users/" + invited_id() + "/reset"}; }},
        {V::get,
         "/api/setup",
         "llv",
         {200, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/setup"}; }},
        {V::post,
         "/api/setup",
         "llv",
         {404, 404, 404, 404, 404, 404, 404},
         [](int) {
             // The instance has its administrator: set-up is closed to everyone.
             return request_spec{"/api/setup", {{"token", "pas-de-jeton"},
                                                {"email", "x@llv.fr"},
                                                {"name", "X"},
                                                {"password", "mot-de-passe-choisi"}}};
         }},
        {V::get,
         "/api/audit",
         "univ-artois",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/audit"}; }},
        // Notifications: one's own preferences; the outbox is the operator's administrators'.
        {V::put,
         "/api/me/preferences",
         "univ-artois",
         {A, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/me/preferences", {{"lang", "fr"}}}; }},
        {V::get,
         "/api/outbox",
         "llv",
         {A, 403, 403, 403, 200, 403, 200},
         [](int) { return request_spec{"/api/outbox"}; }},
        {V::post,
         "/api/outbox/release",
         "llv",
         {A, 403, 403, 403, 409, 403, 409},  // no mail server here
         [](int) { return request_spec{"/api/outbox/release", json::object()}; }},
        {V::post,
         "/api/outbox/discard",
         "llv",
         {A, 403, 403, 403, 200, 403, 200},
         [](int) { return request_spec{"/api/outbox/discard", {{"keys", {"1.none.0"}}}}; }},
        {V::post,
         "/api/outbox/retry",
         "llv",
         {A, 403, 403, 403, 200, 403, 200},
         [](int) { return request_spec{"/api/outbox/retry", {{"keys", {"1.none.0"}}}}; }},
        // Sign-in with one's own password; sign-out of one's own (fresh) session.
        {V::post,
         "/api/session",
         "univ-artois",
         {401, 200, 200, 200, 200, 200, 200},
         [](int) { return request_spec{"/api/session"}; }},
        {V::delete_,
         "/api/session",
         "univ-artois",
         {A, 204, 204, 204, 204, 204, 204},
         [](int) { return request_spec{"/api/session"}; }},
    };
    (void)company;
    // A draft timetable for jd-draft, built by its organiser.
    REQUIRE(artois_organiser.post("/api/events/jd-draft/timetable", json::object()).status == 200);

    const auto doc = json::parse(std::string(creneau::server::openapi_text()));
    // Whether the document lists an Idempotency-Key for this operation.
    const auto documents_key = [&](const std::string& path, http::verb method) {
        std::string m(http::to_string(method));
        std::transform(m.begin(), m.end(), m.begin(), ::tolower);
        const auto op = doc["paths"].value(path, json::object()).value(m, json::object());
        for (const auto& p : op.value("parameters", json::array()))
            if (p.value("$ref", "") == "#/components/parameters/IdempotencyKey") return true;
        return false;
    };
    // The operations that keep an Idempotency-Key are those the document lists it for: a
    // request one of them succeeds at, sent with a malformed key, is refused for that key
    // exactly there. Tried once per operation; one that keeps no key does its work again.
    std::set<std::string> key_checked;
    const auto check_key = [&](const api_client& caller, http::verb method, const std::string& path,
                               const std::string& target, const json& body) {
        if (method != V::post || !key_checked.insert(path).second) return;
        std::map<std::string, std::string> headers{{"Idempotency-Key", "not a key"}};
        if (!caller.token.empty()) headers["Authorization"] = "Bearer " + caller.token;
        auto res = http_call(server.port(), method, target,
                             body.is_null() ? std::string{} : body.dump(), headers);
        const bool refused =
            res.status == 400 && res.json().value("field", "") == "Idempotency-Key";
        INFO(path << " with a malformed Idempotency-Key: " << res.status << " "
                  << res.body.substr(0, 300));
        CHECK(refused == documents_key(path, method));
    };
    std::set<std::pair<std::string, std::string>> covered;
    for (auto& r : table) {
        covered.insert({std::string(http::to_string(r.method)), r.path});
        for (int w = 0; w < kinds; ++w) {
            auto spec = r.setup(w);
            auto caller = p.pick(static_cast<who>(w), r.owner);
            std::string email;
            for (const auto& [e, c] : p.by_email)
                if (c.token == caller.token && !caller.token.empty()) email = e;
            if (r.path == "/api/session") {
                json creds = {{"email", email.empty() ? "nobody@example.org" : email},
                              {"password", "motdepasse-solide"}};
                if (r.method == V::post) {
                    auto res = p.anon.post(spec.target, creds);
                    INFO(http::to_string(r.method) << " " << r.path << " as " << who_names[w]);
                    CHECK(res.status == r.expected[w]);
                    continue;
                }
                if (!email.empty())
                    caller =
                        api_client::sign_in(server.port(), email);  // a session of its own to close
            }
            if (spec.as) caller = *spec.as;
            auto res = caller.send(r.method, spec.target,
                                   spec.body.is_null() ? std::string{} : spec.body.dump());
            INFO(http::to_string(r.method) << " " << spec.target << " (" << r.path << ") as "
                                           << who_names[w] << ": " << res.body.substr(0, 300));
            CHECK(res.status == r.expected[w]);
            // The same again with a malformed key, by its first caller it succeeds for.
            if (res.status / 100 == 2) check_key(caller, r.method, r.path, spec.target, spec.body);
        }
    }
    // Only the associations succeed at these (after the table, whose dates it would move).
    check_key(associations.at("asso-a"), V::post, "/api/window-requests", "/api/window-requests",
              window_request_body());
    check_key(associations.at("asso-b"), V::post, "/api/window-requests/{id}/withdraw",
              "/api/window-requests/" + new_window_request("asso-b") + "/withdraw", json::object());

    // Every documented operation has its row.
    for (const auto& [path, ops] : doc["paths"].items())
        for (const auto& [method, op] : ops.items()) {
            if (method == "parameters") continue;
            std::string m = method;
            std::transform(m.begin(), m.end(), m.begin(), ::toupper);
            {
                INFO("no row in the authorisation table for " << m << " " << path);
                CHECK(covered.count({m, path}) == 1);
            }
            if (m == "POST" && documents_key(path, http::verb::post)) {
                INFO("no caller succeeds at " << m << " " << path << ": its key was not tried");
                CHECK(key_checked.count(path) == 1);
            }
        }
}
