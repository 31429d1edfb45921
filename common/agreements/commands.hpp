#pragma once
// What a provider's administrators ask of its agreements.

#include "common/agreements/model.hpp"

namespace creneau {

struct define_agreement {
    agreement value;
};

}  // namespace creneau
