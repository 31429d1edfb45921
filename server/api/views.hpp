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

// How `append_reservation` writes a reservation.
struct reservation_text {
    // As the API reads it (reservation_view): with its room's name and, waiting, its place.
    // Otherwise as a live message carries it: without either.
    bool as_read = true;
    // Instead of its own status (a live message says what it was when its fact happened).
    std::optional<std::string_view> status;
};

// The reservation as text, byte for byte what dumping the document of reservation_view (or of
// the live message's view) gives, without building it: for the hot paths, a booking's answer
// and its live messages (docs/architecture.md, "Answers written as text").
void append_reservation(std::string& out, const state& s, const reservation& r,
                        const reservation_text& how = {});
std::string reservation_view_text(const state& s, const reservation& r);

}  // namespace creneau::server
