#pragma once
// What administrators ask of the catalogue.

#include "common/catalogue/model.hpp"

namespace creneau {

struct define_site {
    site value;
};
struct define_resource {
    resource value;
};
struct define_organisation {
    organisation value;
};
struct define_tariff_grid {
    tariff_grid value;
};
struct designate_operator {
    std::string organisation;
};

}  // namespace creneau
