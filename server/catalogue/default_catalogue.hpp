#pragma once
// The shipped default catalogue (server/catalogue/default.json), built into the program.

#include <string_view>

namespace creneau::server {

std::string_view default_catalogue_text();

}  // namespace creneau::server
