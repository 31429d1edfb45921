#pragma once
// Quotes: what a request costs under the agreement that covers it.

#include "common/model.hpp"

namespace creneau {

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
