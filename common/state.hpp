#pragma once
// The one state of the domain: the fold of every fact, part by part. Plain values compared
// with ==, so that a state rebuilt from its facts can be checked against the one built step
// by step.

#include "common/accounts/model.hpp"
#include "common/agreements/model.hpp"
#include "common/audit.hpp"
#include "common/events/model.hpp"
#include "common/jobdating/model.hpp"
#include "common/requests.hpp"
#include "common/reservations/model.hpp"
#include "common/window/model.hpp"

#include <map>
#include <set>
#include <string>

namespace creneau {

struct state {
    std::int64_t seq = 0;  // sequence number of the last fact applied

    // The catalogue. The operator organisation runs the instance: its admins alone manage
    // the organisations, the sites and the catalogue as a whole (docs/authorisation.md).
    std::string operator_org;
    std::map<std::string, site> sites;
    std::map<std::string, resource> resources;
    std::map<std::string, organisation> organisations;
    std::map<std::string, tariff_grid> tariffs;

    // Agreements and their counters.
    std::map<std::string, agreement> agreements;
    std::map<counter_key, allowance_counter> allowances;
    std::map<counter_key, quota_counter> quotas;

    // Accounts.
    std::map<std::string, user> users;
    std::map<std::string, std::string> user_by_email;  // e-mail key → id
    std::map<std::string, session> sessions;           // token hash → session
    std::map<std::string, std::string>
        calendar_feeds;  // organisation → token hash of its private feed
    // token hash → a one-time link (invitation, password reset)
    std::map<std::string, account_link> account_links;
    // user → when the account was last active (made, or signed in): its organisation's admins
    // are told of accounts unused for three years (docs/privacy.md).
    std::map<std::string, instant> last_active;
    // The subjects whose personal data was erased ("user:ID", "registration:ID"): their keys
    // are deleted at each start too (docs/privacy.md, "Erasure").
    std::set<std::string> erased;

    // Who changed the catalogue, agreements and accounts, and when (the audit view).
    std::vector<audit_entry> audit;

    // Reservations, and their index by time: resource → occupied start (start − set-up) →
    // reservation id, over the active (pending or approved) ones only. Active reservations
    // never overlap, so each one's predecessor is the only one that can reach into a period.
    std::map<std::string, reservation> reservations;
    std::int64_t reservation_counter = 0;
    std::map<std::string, std::map<instant, std::string>> active_by_start;
    // Series of reservations, by id.
    std::map<std::string, creneau::series> series;
    // Rooms' waiting lists: resource → rank → waiting reservation id.
    std::map<std::string, std::map<std::int64_t, std::string>> room_waiting;

    // The agreements' single windows: their requests, by id.
    std::map<std::string, window_request> window_requests;
    std::int64_t window_counter = 0;

    // Events.
    std::map<std::string, event> events;
    std::map<std::string, registration> registrations;
    std::map<std::string, std::vector<std::string>>
        waiting;  // event → waiting registrations, in order
    std::map<std::string, team> teams;
    std::int64_t registration_counter = 0;
    // Registration → how many times its mail was sent again at its registrant's request.
    std::map<std::string, int> resent;

    // Job Dating timetables, by event, and what they are built from: event → sequence number
    // of the last fact that changed its participants or its day (set_timetable's `based_on`).
    std::map<std::string, timetable> timetables;
    std::map<std::string, std::int64_t> event_inputs;

    // Idempotency keys (scoped by actor) of the last day, with the facts they produced.
    std::map<std::string, request_record> requests;

    bool operator==(const state&) const = default;

    const reservation* find_reservation(const std::string& id) const;
    // The owner organisation of a resource ("" if unknown).
    std::string owner_of(const std::string& resource_id) const;
    std::string zone_of(const std::string& resource_id) const;
};

}  // namespace creneau
