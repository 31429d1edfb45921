#pragma once
// The OpenAPI 3.0 document of the HTTP API (server/openapi.json), built into the program.

#include <string_view>

namespace creneau::server {

std::string_view openapi_text();

}  // namespace creneau::server
