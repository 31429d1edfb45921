#pragma once
// Facts: what happened, appended in order to the journal; the state is their fold.
// Each kind has a stable type name and is written as versioned JSON ({"v":1,"type":…}),
// so that a journal written by an older version still loads.

#include "common/events.hpp"
#include "common/model.hpp"

#include <nlohmann/json.hpp>

#include <variant>

namespace creneau {

struct site_defined { site value; bool operator==(const site_defined&) const = default; };
struct resource_defined { resource value; bool operator==(const resource_defined&) const = default; };
struct organisation_defined { organisation value; bool operator==(const organisation_defined&) const = default; };
struct tariff_grid_defined { tariff_grid value; bool operator==(const tariff_grid_defined&) const = default; };
struct agreement_defined { agreement value; bool operator==(const agreement_defined&) const = default; };
struct user_added { user value; bool operator==(const user_added&) const = default; };

// A request, with its quote; holds a free unit if `value.holds_unit`.
struct reservation_requested {
    reservation value;
    bool operator==(const reservation_requested&) const = default;
};

struct reservation_approved {
    std::string id;
    std::int64_t quota_minutes = 0;  // minutes consumed from the hour quota
    bool operator==(const reservation_approved&) const = default;
};

struct reservation_refused {
    std::string id;
    std::string reason;
    bool operator==(const reservation_refused&) const = default;
};

struct reservation_cancelled {
    std::string id;
    std::string reason;
    bool releases = false;  // before the start: the free unit and quota minutes go back
    bool operator==(const reservation_cancelled&) const = default;
};

// An hour quota crossed a threshold (art. 5-4: "LLV alerte"); raised once per year each.
struct quota_alert_raised {
    std::string agreement;
    std::string resource;
    int year = 0;
    int threshold = 0;  // percent
    std::int64_t used_minutes = 0;
    std::int64_t quota_minutes = 0;
    bool operator==(const quota_alert_raised&) const = default;
};

// Sign-in: the server checked the password; the session is known by its token's hash.
struct session_opened {
    std::string token_hash;
    std::string user;
    instant expires;
    bool operator==(const session_opened&) const = default;
};

struct session_closed {
    std::string token_hash;
    bool operator==(const session_closed&) const = default;
};

// A new secret URL for an organisation's private calendar feed (the previous one stops working).
struct calendar_feed_issued {
    std::string organisation;
    std::string token_hash;
    bool operator==(const calendar_feed_issued&) const = default;
};

// The organisation that runs the instance (docs/authorisation.md): set by the catalogue.
struct operator_designated {
    std::string organisation;
    bool operator==(const operator_designated&) const = default;
};

// The next `facts` facts answer a request made with an Idempotency-Key (scoped by actor).
struct request_recorded {
    std::string key;
    std::string fingerprint;
    int facts = 0;
    bool operator==(const request_recorded&) const = default;
};

using fact_body =
    std::variant<site_defined, resource_defined, organisation_defined, tariff_grid_defined,
                 agreement_defined, user_added, reservation_requested, reservation_approved,
                 reservation_refused, reservation_cancelled, quota_alert_raised, session_opened,
                 session_closed, calendar_feed_issued, event_defined, registered, registration_left,
                 registration_promoted, waitlist_reordered, checked_in, participation_changed, team_created,
                 team_joined, team_left, team_flagged, timetable_set, operator_designated, request_recorded>;

// A fact as the journal holds it.
struct fact {
    std::int64_t seq = 0;
    instant at;
    std::string actor;  // user id, or "system"
    fact_body body;
    bool operator==(const fact&) const = default;
};

inline constexpr int fact_version = 1;

// The stable type name, e.g. "reservation-requested".
std::string_view type_of(const fact_body& body);

// {"v":1,"type":…, …}: the body alone; the envelope (seq, at, actor) is stored beside it.
nlohmann::json to_json(const fact_body& body);

// Reads a body written by this or an earlier version. Throws std::invalid_argument naming
// the problem for an unknown type, a newer version or a malformed body.
fact_body fact_body_from_json(const nlohmann::json& j);

// The whole fact, envelope included (for exports, the live channel and tests).
nlohmann::json to_json(const fact& f);
fact fact_from_json(const nlohmann::json& j);

// JSON of the model values, shared with the HTTP API.
nlohmann::json to_json(const quote& q);
nlohmann::json to_json(const allowance_view& a);
nlohmann::json to_json(const resource& r);
nlohmann::json to_json(const agreement& a);
nlohmann::json to_json(const tariff_grid& t);
nlohmann::json to_json(const organisation& o);
nlohmann::json to_json(const site& s);
nlohmann::json to_json(const reservation& r);

// Readers of the model values; throw std::invalid_argument naming the JSON path at fault.
site site_from_json(const nlohmann::json& j);
resource resource_from_json(const nlohmann::json& j);
organisation organisation_from_json(const nlohmann::json& j);
tariff_grid tariff_grid_from_json(const nlohmann::json& j);
agreement agreement_from_json(const nlohmann::json& j);

}  // namespace creneau
