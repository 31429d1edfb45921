#pragma once
// The domain's data: the catalogue (sites, resources, organisations, tariff grids,
// agreements), the reservations, and the counters the agreements' rules keep.
// Plain values, compared with ==, so that a state rebuilt from its facts can be checked
// against the one built step by step.

#include "common/time.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace creneau {

// Money in integer cents of euro.
using cents = std::int64_t;

// ---- catalogue ----------------------------------------------------------------------

struct site {
    std::string id;
    std::string name;
    std::string zone;   // IANA time zone, e.g. Europe/Paris
    std::string owner;  // the organisation that lends the site's resources
    bool operator==(const site&) const = default;
};

enum class resource_kind {
    room,           // booked by period (Atrium, Event room, meeting room)
    hour_quota,     // booked by appointment, counted in hours against a quota (MuséoLab)
    opening_hours,  // not booked: its published opening hours are shown (co-working)
};

struct layout {
    std::string id;  // "meeting", "plenary", "default"
    int capacity = 0;
    bool operator==(const layout&) const = default;
};

// Opening intervals of one weekday, in minutes after local midnight, [open, close).
struct day_hours {
    int open = 0;
    int close = 0;
    bool operator==(const day_hours&) const = default;
};

// Bookable hours per weekday (0 = Monday … 6 = Sunday), in the site's time zone.
using weekly_hours = std::array<std::vector<day_hours>, 7>;

struct closure {
    instant start;
    instant end;
    std::string reason;
    bool operator==(const closure&) const = default;
};

struct resource {
    std::string id;
    std::string name;
    std::string site;
    resource_kind kind = resource_kind::room;
    std::vector<layout> layouts;
    weekly_hours hours;
    std::vector<closure> closures;
    // Set-up before and clean-up after each booking; a booking's buffers may not overlap
    // another booking.
    minutes setup{0};
    minutes cleanup{0};
    // Equipment an appointment can name (MuséoLab machines, DOMAIN.md annex 1).
    std::vector<std::string> equipment;
    bool operator==(const resource&) const = default;

    const layout* find_layout(const std::string& id) const;
};

enum class member_category { host, founder_member, member, other };

struct organisation {
    std::string id;
    std::string name;
    member_category category = member_category::other;
    bool operator==(const organisation&) const = default;
};

enum class billing_unit { hour, half_day, day };

// Prices of one resource by unit and member category.
struct resource_prices {
    std::map<billing_unit, std::map<member_category, cents>> by_unit;
    bool operator==(const resource_prices&) const = default;
};

struct service_fee {
    std::string label;
    cents amount = 0;
    bool operator==(const service_fee&) const = default;
};

// A tariff grid ("grille tarifaire"): rental prices, and service fees billed with every
// booking, free or not (art. 6).
struct tariff_grid {
    std::string id;
    std::string name;
    std::string owner;     // the organisation whose admins manage it ("" before owners: the operator)
    bool example = false;  // amounts are examples, not LLV's published prices
    minutes half_day{4 * 60};
    minutes day{8 * 60};
    std::map<std::string, resource_prices> prices;              // by resource
    std::map<std::string, std::vector<service_fee>> fees;       // by resource
    bool operator==(const tariff_grid&) const = default;
};

// What an agreement gives for one resource.
struct resource_terms {
    // Free reservations per calendar year (art. 10 table); nullopt with `unlimited_free`
    // false means every booking is billed.
    std::optional<int> free_per_year;
    bool unlimited_free = false;  // reciprocal lending (Lille): never billed
    // Hour quota per year (MuséoLab, art. 5-4: 400 h), with alert thresholds in percent.
    std::optional<int> hour_quota;
    std::vector<int> alert_percents{80, 100};
    bool operator==(const resource_terms&) const = default;
};

// A notice period: calendar months and days before the start.
struct notice {
    int months = 0;
    int days = 0;
    bool operator==(const notice&) const = default;
};

struct agreement {
    std::string id;
    std::string name;
    std::string provider;     // lends its resources
    std::string beneficiary;  // requests them
    bool reciprocal = false;  // each party lends its own resources to the other
    std::string zone;         // the time zone of its calendar years and validity
    std::string valid_from;   // first day, "YYYY-MM-DD", inclusive
    std::string valid_to;     // last day, inclusive
    std::map<std::string, resource_terms> resources;
    notice min_notice;
    bool approval_required = true;
    std::string tariff_grid;                                  // grid applied beyond the allowance
    member_category billed_as = member_category::founder_member;
    bool operator==(const agreement&) const = default;

    // Whether `org` may request the resources of `owner` under this agreement.
    bool binds(const std::string& org, const std::string& owner) const;
};

// ---- people ---------------------------------------------------------------------------

enum class role { admin, member, organiser };

struct user {
    std::string id;
    std::string email;
    std::string name;
    role user_role = role::member;
    std::string organisation;
    std::string password_hash;
    bool operator==(const user&) const = default;
};

// ---- reservations -------------------------------------------------------------------

enum class reservation_status { pending, approved, refused, cancelled };

struct quote_line {
    std::string kind;  // "rental", "service-fee", "hours-beyond-quota"
    std::string label;
    cents amount = 0;
    bool operator==(const quote_line&) const = default;
};

// The allowance of one agreement, resource and year.
struct allowance_view {
    int year = 0;
    int limit = 0;
    int used = 0;
    int held = 0;
    int left = 0;
    bool operator==(const allowance_view&) const = default;
};

struct hours_view {
    int year = 0;
    std::int64_t quota_minutes = 0;
    std::int64_t used_minutes = 0;
    std::int64_t this_minutes = 0;     // the appointment's own minutes
    std::int64_t beyond_minutes = 0;   // of those, beyond the quota (billed)
    bool operator==(const hours_view&) const = default;
};

struct quote {
    bool free = false;  // the rental is covered by the agreement
    cents total = 0;
    std::vector<quote_line> lines;
    std::string agreement;  // empty: the host's own booking
    member_category billed_as = member_category::other;
    std::optional<allowance_view> allowance;  // as it stands once this request is made
    std::optional<hours_view> hours;
    bool operator==(const quote&) const = default;
};

// One line of a reservation's history, from the facts that changed it.
struct history_entry {
    std::int64_t seq = 0;
    instant at;
    std::string actor;   // user id, or "system"
    std::string action;  // requested, approved, refused, cancelled
    std::string detail;  // the reason, if any
    bool operator==(const history_entry&) const = default;
};

struct reservation {
    std::string id;
    std::string resource;
    instant start;
    instant end;
    std::string layout;
    int attendees = 0;
    std::string organisation;
    std::string requester;  // user id
    std::string title;
    std::vector<std::string> equipment;
    reservation_status status = reservation_status::pending;
    std::string reason;       // why refused or cancelled
    std::string agreement;    // empty: host booking
    int year = 0;             // the allowance year (agreement's zone)
    bool holds_unit = false;  // holds (pending) or uses (approved) one free unit
    std::int64_t quota_minutes = 0;  // minutes consumed from an hour quota once approved
    quote offer;
    instant created;
    int revision = 0;  // bumped by each change, for iCalendar SEQUENCE
    std::vector<history_entry> history;
    bool operator==(const reservation&) const = default;

    bool active() const {
        return status == reservation_status::pending || status == reservation_status::approved;
    }
};

// Counters of one (agreement, resource, year).
struct allowance_counter {
    int held = 0;  // free units held by pending requests
    int used = 0;  // free units used by approved reservations
    bool operator==(const allowance_counter&) const = default;
};

struct quota_counter {
    std::int64_t used_minutes = 0;
    std::set<int> alerts;  // thresholds (percent) already raised this year
    bool operator==(const quota_counter&) const = default;
};

struct counter_key {
    std::string agreement;
    std::string resource;
    int year = 0;
    auto operator<=>(const counter_key&) const = default;
};

// ---- events (DOMAIN.md, "Events") ------------------------------------------------------

enum class event_kind { welcome_day, job_dating, culturathon, talk };

struct event_question {
    std::string id;
    std::string label;
    bool required = false;
    bool operator==(const event_question&) const = default;
};

struct event {
    std::string id;
    event_kind kind = event_kind::talk;
    std::string title;
    std::string description;
    std::vector<std::string> reservations;  // the rooms it takes place in (normal reservations)
    int capacity = 0;
    instant opens;   // registration window
    instant closes;
    bool restricted = false;                 // only the organisations listed may register
    std::vector<std::string> organisations;
    std::vector<event_question> questions;
    std::string organiser;  // the organisation that runs it
    int team_min = 1;       // Culturathon team sizes
    int team_max = 4;
    // Job Dating day: the first slot's start, slot length, slot count and breaks.
    instant day_start;
    int slot_minutes = 15;
    int slots = 0;
    std::vector<int> breaks;
    bool operator==(const event&) const = default;
};

enum class registration_status { registered, waiting, left, checked_in };

struct registration {
    std::string id;
    std::string event;
    std::string code;  // the registrant's code: leave, check in, join a team
    std::string name;
    std::string email;
    std::string organisation;
    std::string user;  // the signed-in user who registered, if any
    std::map<std::string, std::string> answers;
    registration_status status = registration_status::registered;
    instant created;
    // Job Dating: "student" or "company", wishes, maximum, arrival and leaving slots.
    std::string role;
    std::vector<std::string> ranking;  // a student's companies (registration ids), best first
    std::vector<std::string> wants;    // a company's wished students
    std::vector<std::string> declines;
    int max_meetings = 0;
    int tables = 1;
    int first_slot = 0;
    int last_slot = 1 << 30;
    bool no_show = false;
    bool operator==(const registration&) const = default;
};

struct team {
    std::string id;
    std::string event;
    std::string name;
    std::string code;  // to join
    std::vector<std::string> members;  // registration ids
    bool pepite = false;               // flagged for Campus PÉPITE follow-up
    bool operator==(const team&) const = default;
};

struct jd_meeting {
    std::string student;  // registration ids
    std::string company;
    int slot = 0;
    int table = 0;
    bool pinned = false;
    bool operator==(const jd_meeting&) const = default;
};

struct jd_timetable {
    std::vector<jd_meeting> meetings;
    std::vector<jd_meeting> dropped;
    bool published = false;
    int revision = 0;
    bool operator==(const jd_timetable&) const = default;
};

// A signed-in session, known by the hash of its secret token.
struct session {
    std::string user;
    instant expires;
    bool operator==(const session&) const = default;
};

// A request that carried an Idempotency-Key: the facts it produced, so that a retry with
// the same key is answered with them (docs/api.md, "Idempotency").
struct request_record {
    std::string fingerprint;  // of the method, target and body: a key reused for another request is refused
    std::int64_t first_seq = 0;
    int facts = 0;
    instant at;
    bool operator==(const request_record&) const = default;
};

// ---- state ---------------------------------------------------------------------------

struct state {
    std::int64_t seq = 0;  // sequence number of the last fact applied
    // The organisation that runs the instance: its admins alone manage the organisations,
    // the sites and the catalogue as a whole (docs/authorisation.md).
    std::string operator_org;
    std::map<std::string, site> sites;
    std::map<std::string, resource> resources;
    std::map<std::string, organisation> organisations;
    std::map<std::string, tariff_grid> tariffs;
    std::map<std::string, agreement> agreements;
    std::map<std::string, user> users;
    std::map<std::string, std::string> user_by_email;  // lower-case email → id
    std::map<std::string, session> sessions;            // token hash → session
    std::map<std::string, std::string> calendar_feeds;  // organisation → token hash of its private feed

    std::map<std::string, event> events;
    std::map<std::string, registration> registrations;
    std::map<std::string, std::vector<std::string>> waiting;  // event → waiting registrations, in order
    std::map<std::string, team> teams;
    std::map<std::string, jd_timetable> timetables;          // event → its Job Dating timetable
    // event → sequence number of the last fact that changed what its timetable is built from
    std::map<std::string, std::int64_t> event_inputs;
    std::int64_t registration_counter = 0;

    std::map<std::string, reservation> reservations;
    std::int64_t reservation_counter = 0;
    std::map<counter_key, allowance_counter> allowances;
    std::map<counter_key, quota_counter> quotas;

    // Index by time: resource → occupied start (start − set-up) → reservation id, over the
    // active (pending or approved) reservations only. Active reservations never overlap, so
    // each one's predecessor is the only one that can reach into a period.
    std::map<std::string, std::map<instant, std::string>> active_by_start;

    // Idempotency keys (scoped by actor) of the last day, with the facts they produced.
    std::map<std::string, request_record> requests;

    bool operator==(const state&) const = default;

    const reservation* find_reservation(const std::string& id) const;
    // The owner organisation of a resource ("" if unknown).
    std::string owner_of(const std::string& resource_id) const;
    std::string zone_of(const std::string& resource_id) const;
};

// The occupied period of a reservation: its period widened by the resource's buffers.
struct period {
    instant start;
    instant end;
    bool operator==(const period&) const = default;
};

// The key under which an email is known (sign-in, uniqueness): lower case.
std::string email_key(std::string_view email);
// The one rule for identifiers that reach the domain (resources, organisations, agreements,
// grids, events, registrations, teams, codes, reservations, users, feed tokens): 1 to 100 ASCII letters,
// digits, '-', '_' or '.', starting with a letter or a digit.
bool valid_id(std::string_view id);
// Identifiers that people choose for the catalogue and events: the same, in lower case.
bool valid_slug(std::string_view id);
// Whether a text is empty or only spaces.
bool blank(std::string_view text);

std::string_view name_of(event_kind k);
std::string_view name_of(registration_status s);
std::optional<event_kind> parse_event_kind(std::string_view s);
std::optional<registration_status> parse_registration_status(std::string_view s);
std::string_view name_of(resource_kind k);
std::string_view name_of(member_category c);
std::string_view name_of(billing_unit u);
std::string_view name_of(role r);
std::string_view name_of(reservation_status s);
std::optional<resource_kind> parse_resource_kind(std::string_view s);
std::optional<member_category> parse_member_category(std::string_view s);
std::optional<billing_unit> parse_billing_unit(std::string_view s);
std::optional<role> parse_role(std::string_view s);
std::optional<reservation_status> parse_reservation_status(std::string_view s);

}  // namespace creneau
