#pragma once
// Quotes: what a request costs under the agreement that covers it (art. 6 and 5-4 of
// the Artois–LLV agreement; docs/domain.md, "Allowances, quotes and quotas").

#include "common/agreements/facts.hpp"
#include "common/state.hpp"

namespace creneau {

// The agreement under which `org` may request resource `r` (owned by `owner`) starting at
// `start`: one whose parties bind them, that covers the resource, and valid on that day.
const agreement* covering_agreement(const state& s, const std::string& org,
                                    const std::string& owner, const std::string& resource_id,
                                    instant start);

// Whether agreement `a`'s single window may route a request to resource `r` (owned by `owner`)
// starting at `start`: a room the agreement covers, lent by a party that lends under it (either
// party of a reciprocal agreement), on a day it is valid (docs/domain.md, "The single window").
bool window_covers(const agreement& a, const std::string& owner, const std::string& resource_id,
                   instant start);

// The quote of a request of `r` for `duration` under agreement `a` (nullptr: the host's own
// booking, never billed), in allowance year `year`. `holds_unit` tells whether it takes one
// of the year's free units. `hours_before`, for an hour quota: the minutes counted before this
// request instead of the state's counters (a quote made again: docs/domain.md, "Quotes of
// requests not yet decided").
quote make_quote(const state& s, const resource& r, const agreement* a, minutes duration, int year,
                 bool& holds_unit, const quota_counter* hours_before = nullptr);

// The minutes an approved appointment takes from an hour quota (0 without one), and the
// alerts its approval raises (art. 5-4: "une alerte sera donnée").
std::int64_t quota_minutes_of(const state& s, const reservation& r);
std::vector<quota_alert_raised> quota_alerts(const state& s, const reservation& r,
                                             std::int64_t minutes_used);

// The cheapest rental of `duration` from a resource's prices for a category, in whole
// days, half-days and hours (an hour begun is due). Sets `label` to the units billed.
// nullopt if the grid has no price for that resource and category.
std::optional<cents> rental_price(const tariff_grid& grid, const std::string& resource_id,
                                  member_category category, minutes duration, std::string& label);

// The hourly price of a resource for a category (hours beyond a quota).
std::optional<cents> hourly_price(const tariff_grid& grid, const std::string& resource_id,
                                  member_category category);

// The allowance of (agreement, resource, year) as the state holds it.
allowance_view allowance_of(const state& s, const agreement& a, const std::string& resource_id,
                            int year);

// The member category as the quotes name it, in French: "membre fondateur".
std::string category_label(member_category c);

// Euros for people: 1234 → "12,34 €".
std::string format_euros(cents amount);

}  // namespace creneau
