#pragma once
// Commands: what someone asks for. `decide` checks one against the state and answers the
// facts it causes, or a refusal.

#include "common/access.hpp"
#include "common/error.hpp"
#include "common/facts.hpp"

#include <variant>

namespace creneau {

struct request_reservation {
    std::string resource;
    instant start;
    instant end;
    std::string layout;  // empty: the resource's only layout
    int attendees = 0;
    std::string organisation;
    std::string title;
    std::vector<std::string> equipment;
};

struct approve_reservation { std::string id; };
struct refuse_reservation { std::string id; std::string reason; };
struct cancel_reservation { std::string id; std::string reason; };

struct define_site { site value; };
struct define_resource { resource value; };
struct define_organisation { organisation value; };
struct define_tariff_grid { tariff_grid value; };
struct define_agreement { agreement value; };
struct add_user { user value; };
// The server opens a session once it has checked the password (system actor only).
struct open_session { std::string token_hash; std::string user; instant expires; };
struct close_session { std::string token_hash; };
struct issue_calendar_feed { std::string organisation; std::string token_hash; };
struct designate_operator { std::string organisation; };

using command =
    std::variant<request_reservation, approve_reservation, refuse_reservation, cancel_reservation,
                 define_site, define_resource, define_organisation, define_tariff_grid,
                 define_agreement, add_user, open_session, close_session, issue_calendar_feed, define_event,
                 register_for_event, leave_event, reorder_waitlist, check_in, mark_no_show, create_team,
                 join_team, leave_team, flag_team, set_timetable, designate_operator>;

// Who acts (common/access.hpp), and when. Time is a parameter: the domain never reads a clock.
struct context {
    instant now;
    actor who;
};

struct decision {
    std::vector<fact_body> facts;
    std::optional<refusal> refused;

    bool ok() const { return !refused; }
    static decision refuse(error code, std::string detail, std::string field = {}) {
        return {{}, refusal{code, std::move(detail), std::move(field)}};
    }
};

// The rules of events (common/events.cpp).
decision decide_event(const state& s, const define_event& c, const context& ctx);
decision decide_event(const state& s, const register_for_event& c, const context& ctx);
decision decide_event(const state& s, const leave_event& c, const context& ctx);
decision decide_event(const state& s, const reorder_waitlist& c, const context& ctx);
decision decide_event(const state& s, const check_in& c, const context& ctx);
decision decide_event(const state& s, const mark_no_show& c, const context& ctx);
decision decide_event(const state& s, const create_team& c, const context& ctx);
decision decide_event(const state& s, const join_team& c, const context& ctx);
decision decide_event(const state& s, const leave_team& c, const context& ctx);
decision decide_event(const state& s, const flag_team& c, const context& ctx);
decision decide_event(const state& s, const set_timetable& c, const context& ctx);

// Checks a command against the state; never changes it.
decision decide(const state& s, const command& c, const context& ctx);

// Folds one fact into the state. Facts are trusted: they were decided before.
void apply(state& s, const fact& f);

// The state rebuilt from facts.
state replay(const std::vector<fact>& facts);

}  // namespace creneau
