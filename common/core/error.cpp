#include "common/core/error.hpp"

namespace creneau {

std::string_view code_of(error e) {
    switch (e) {
        case error::bad_request:
            return "bad-request";
        case error::not_found:
            return "not-found";
        case error::forbidden:
            return "forbidden";
        case error::slot_taken:
            return "slot-taken";
        case error::closed:
            return "closed";
        case error::in_the_past:
            return "in-the-past";
        case error::over_capacity:
            return "over-capacity";
        case error::notice_too_short:
            return "notice-too-short";
        case error::unknown_layout:
            return "unknown-layout";
        case error::outside_agreement:
            return "outside-agreement";
        case error::not_bookable:
            return "not-bookable";
        case error::not_pending:
            return "not-pending";
        case error::already_ended:
            return "already-ended";
        case error::unknown_equipment:
            return "unknown-equipment";
        case error::conflict:
            return "conflict";
        case error::exists:
            return "exists";
        case error::key_reused:
            return "key-reused";
        case error::series_refused:
            return "series-refused";
    }
    return "bad-request";
}

}  // namespace creneau
