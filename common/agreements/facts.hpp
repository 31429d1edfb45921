#pragma once
// What happens to agreements and their counters.

#include "common/agreements/model.hpp"

namespace creneau {

struct agreement_defined {
    static constexpr std::string_view type = "agreement-defined";
    agreement value;
    bool operator==(const agreement_defined&) const = default;
};

// An hour quota crossed a threshold (art. 5-4: "une alerte sera donnée"); raised once per
// year each.
struct quota_alert_raised {
    static constexpr std::string_view type = "quota-alert-raised";
    std::string agreement;
    std::string resource;
    int year = 0;
    int threshold = 0;  // percent
    std::int64_t used_minutes = 0;
    std::int64_t quota_minutes = 0;
    bool operator==(const quota_alert_raised&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(quota_alert_raised, agreement, resource, year,
                                                threshold, used_minutes, quota_minutes)

}  // namespace creneau
