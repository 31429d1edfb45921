#pragma once
// Who may see or do what (docs/authorisation.md). One set of rules, used by `decide` for
// every command, by the HTTP handlers for every read, and by the live channel to choose
// between the detailed and the redacted message of a fact.
//
// Authority follows ownership, per organisation:
//  - an organisation's admins manage what it owns or provides (its sites' resources and
//    the approvals of requests for them, the agreements it provides, its tariff grids, its
//    own accounts and events) and see the reservations made for their resources or by
//    their organisation;
//  - the operator organisation of the instance (LLV in the shipped catalogue) alone manages
//    the organisations, the sites and the catalogue as a whole, and every organisation's
//    accounts;
//  - members act for their own organisation; organisers manage the events their
//    organisation organises;
//  - anonymous callers see busy/free, public events and their own registration by its code.

#include "common/state.hpp"

#include <string>
#include <vector>

namespace creneau {

// Who may see the details of something: a value computed from the state, so that the HTTP
// reads and the live channel ask the very same question.
struct audience {
    std::vector<std::string> members;     // every signed-in user of these organisations
    std::vector<std::string> organisers;  // organisers and admins of these
    std::vector<std::string> admins;      // admins of these
    bool admits(const actor& a) const;
};

// The requesting organisation's users, and the admins of the organisation that lends the
// resource.
audience reservation_audience(const state& s, const reservation& r);
// The organisers and admins of the organisation that runs the event.
audience event_audience(const event& e);
// Who may see a restricted event: the users of the organisations it is open to, and its
// organisers (may_see_event, and the live channel's messages of it).
audience event_readers(const event& e);

bool is_operator(const state& s, const actor& a);
bool is_admin_of(const actor& a, const std::string& organisation);

// Reservations.
bool may_act_for(const actor& a, const std::string& organisation);
bool may_see(const state& s, const actor& a, const reservation& r);
bool may_decide(const state& s, const actor& a, const reservation& r);  // approve, refuse
bool may_cancel(const state& s, const actor& a, const reservation& r);

// An agreement's single window (docs/domain.md, "The single window"): its operator's admins run
// it; a request is seen by them and by the users of the association that made it.
bool may_run_window(const actor& a, const agreement& g);
audience window_audience(const state& s, const window_request& w);
bool may_see_window_request(const state& s, const actor& a, const window_request& w);
// Whether `org` is a student association that `g`'s window takes requests from.
bool may_submit_to_window(const state& s, const std::string& org, const agreement& g);

// The catalogue. For a change of an existing entry, both the old and the new owner count.
bool may_manage_catalogue(const state& s, const actor& a);  // organisations and sites
bool may_manage_site_resources(const state& s, const actor& a, const std::string& site_id);
bool may_manage_grid(const state& s, const actor& a, const tariff_grid& g);
// Writing an agreement: `old` is the stored one (null for a new agreement), `now` the value
// asked for. See docs/authorisation.md.
bool may_manage_agreement(const state& s, const actor& a, const agreement* old,
                          const agreement& now);
bool may_see_agreement(const state& s, const actor& a, const agreement& g);
// The owner of a tariff grid (grids written before owners existed belong to the operator).
std::string owner_of(const state& s, const tariff_grid& g);

// Accounts and feeds.
bool may_manage_users(const state& s, const actor& a, const std::string& organisation);
bool may_issue_feed(const actor& a, const std::string& organisation);

// Events.
bool may_create_event(const actor& a);
bool may_manage_event(const actor& a, const event& e);
bool may_see_event(const actor& a, const event& e);
bool may_register(const actor& a, const event& e);

}  // namespace creneau
