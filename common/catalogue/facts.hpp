#pragma once
// What happens to the catalogue. Each fact's type name is written once, beside it.

#include "common/catalogue/model.hpp"

namespace creneau {

struct site_defined {
    static constexpr std::string_view type = "site-defined";
    site value;
    bool operator==(const site_defined&) const = default;
};
struct resource_defined {
    static constexpr std::string_view type = "resource-defined";
    resource value;
    bool operator==(const resource_defined&) const = default;
};
struct organisation_defined {
    static constexpr std::string_view type = "organisation-defined";
    organisation value;
    bool operator==(const organisation_defined&) const = default;
};
struct tariff_grid_defined {
    static constexpr std::string_view type = "tariff-grid-defined";
    tariff_grid value;
    bool operator==(const tariff_grid_defined&) const = default;
};
// The organisation that runs the instance (docs/authorisation.md): set by the catalogue.
struct operator_designated {
    static constexpr std::string_view type = "operator-designated";
    std::string organisation;
    bool operator==(const operator_designated&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(operator_designated, organisation)

}  // namespace creneau
