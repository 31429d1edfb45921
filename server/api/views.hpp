#pragma once
// How an account and a reservation read in the API's answers, wherever they appear.

#include "server/api/support.hpp"

namespace creneau::server {

// An account: who, where, and in what standing (disabled, invited, last activity).
json user_view(const state& s, const user& u);

// A line of a history (a reservation's, a single window request's), with who took the step by
// name as well.
json history_view(const state& s, const history_entry& h);

// A reservation, with the names of its room, organisation and requester beside their ids.
json reservation_view(const state& s, const reservation& r);

}  // namespace creneau::server
