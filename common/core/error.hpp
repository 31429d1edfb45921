#pragma once
// The domain's refusals: each has a stable code that the API, the journal and the browser
// app share. Codes never change meaning once released; new ones are added at the end.

#include <string>
#include <string_view>

namespace creneau {

enum class error {
    bad_request,        // a field is missing, of the wrong type or absurd
    not_found,          // no such reservation, resource, organisation, agreement
    forbidden,          // the actor may not do this
    slot_taken,         // the period (with set-up and clean-up buffers) overlaps another booking
    closed,             // outside the resource's bookable hours, or in a closure
    in_the_past,        // the period starts before now
    over_capacity,      // more attendees than the layout holds
    notice_too_short,   // less notice than the agreement asks (Lille: two months)
    unknown_layout,     // the resource has no such layout
    outside_agreement,  // no agreement of the organisation covers this resource on that date
    not_bookable,       // the resource is not booked (co-working: opening hours only)
    not_pending,        // approve/refuse of a reservation that is no longer pending
    already_ended,      // cancel of a reservation that is refused, cancelled or over
    unknown_equipment,  // an appointment names equipment the resource does not have
    conflict,           // the catalogue change contradicts what exists (e.g. overlapping validity)
    exists,             // an identifier already in use
    key_reused,         // an Idempotency-Key already used for another request
    series_refused,     // some dates of a series asked all or nothing cannot be booked
};

// The stable code, e.g. "slot-taken".
std::string_view code_of(error e);

// A refusal: the code, a sentence for people, and the field at fault if any.
struct refusal {
    error code;
    std::string detail;
    std::string field;
};

}  // namespace creneau
