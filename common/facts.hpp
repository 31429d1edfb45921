#pragma once
// Facts: what happened, appended in order to the journal; the state is their fold
// (docs/architecture.md, "The ledger of facts"). Each fact's struct, beside its part of the
// domain, carries its stable type name; this variant lists them once. A fact is written as
// versioned JSON, {"v": 1, "type": …, its fields}, so that a journal written by an older
// version still loads.

#include "common/accounts/facts.hpp"
#include "common/agreements/facts.hpp"
#include "common/catalogue/facts.hpp"
#include "common/core/decision.hpp"
#include "common/events/facts.hpp"
#include "common/jobdating/facts.hpp"
#include "common/privacy/facts.hpp"
#include "common/requests.hpp"
#include "common/reservations/facts.hpp"
#include "common/window/facts.hpp"

#include <variant>

namespace creneau {

using fact_body =
    std::variant<site_defined, resource_defined, organisation_defined, tariff_grid_defined,
                 agreement_defined, user_added, reservation_requested, reservation_approved,
                 reservation_refused, reservation_cancelled, quota_alert_raised, session_opened,
                 session_closed, calendar_feed_issued, event_defined, registered, registration_left,
                 registration_promoted, waitlist_reordered, checked_in, participation_changed,
                 team_created, team_joined, team_left, team_flagged, timetable_set,
                 operator_designated, request_recorded, account_link_issued, password_set,
                 user_changed, wishes_changed, preferences_set, personal_data_erased, account_kept,
                 reservation_promoted, room_waitlist_reordered, series_requested,
                 window_request_submitted, window_request_assigned, window_request_declined,
                 window_request_withdrawn, reservation_requoted, registration_resent>;

// A fact as the journal holds it.
struct fact {
    std::int64_t seq = 0;
    instant at;
    std::string actor;  // user id, or "system"
    fact_body body;
    bool operator==(const fact&) const = default;
};

using decision = basic_decision<fact_body>;

inline constexpr int fact_version = 1;

// The stable type name, e.g. "reservation-requested".
std::string_view type_of(const fact_body& body);

// {"v":1,"type":…, …}: the body alone; the envelope (seq, at, actor) is stored beside it.
json to_json(const fact_body& body);

// Reads a body written by this or an earlier version. Throws std::invalid_argument naming
// the problem for an unknown type, a newer version or a malformed body.
fact_body fact_body_from_json(const json& j);

// The whole fact, envelope included (for exports, the live channel and tests).
json to_json(const fact& f);
fact fact_from_json(const json& j);

// A fact that states one value (a site defined, a user added …) is written as that value.
template <class F>
requires requires(const F& f) {
    F::type;
    f.value;
}
void to_json(json& j, const F& f) {
    j = f.value;
}
template <class F>
requires requires(F& f) {
    F::type;
    f.value;
}
void from_json(const json& j, F& f) {
    j.get_to(f.value);
}

}  // namespace creneau
