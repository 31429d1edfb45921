#pragma once
// Commands: what someone asks for. `decide` (domain.hpp) checks one against the state and
// answers the facts it causes, or a refusal. Each command's struct lives beside its part of
// the domain; this variant lists them once.

#include "common/accounts/commands.hpp"
#include "common/agreements/commands.hpp"
#include "common/catalogue/commands.hpp"
#include "common/events/commands.hpp"
#include "common/jobdating/commands.hpp"
#include "common/privacy/commands.hpp"
#include "common/reservations/commands.hpp"
#include "common/window/commands.hpp"

#include <variant>

namespace creneau {

using command = std::variant<
    request_reservation, approve_reservation, refuse_reservation, cancel_reservation, define_site,
    define_resource, define_organisation, define_tariff_grid, define_agreement, add_user,
    open_session, close_session, issue_calendar_feed, define_event, register_for_event, leave_event,
    reorder_waitlist, check_in, mark_no_show, create_team, join_team, leave_team, flag_team,
    set_timetable, designate_operator, invite_user, issue_password_reset, set_password, change_user,
    update_wishes, set_preferences, erase_personal_data, sweep_retention, keep_account,
    reorder_room_waitlist, expire_waiting, request_series, submit_window_request,
    assign_window_request, decline_window_request, withdraw_window_request, resend_registration>;

}  // namespace creneau
