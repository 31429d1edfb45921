#pragma once
// The browser app: files of the web root, streamed with their types, validators and caching
// headers (docs/operations.md, "The web root").

#include "server/net/http.hpp"

#include <filesystem>
#include <optional>
#include <string_view>
#include <variant>

namespace creneau::server {

using file_response = http::response<http::file_body>;

// The file of the web root a request path names, or nullopt. The path's segments are
// percent-decoded one by one and joined; an empty, ".", "..", hidden (".git") segment or
// one holding '/', '\' or NUL names nothing, and the canonical result must lie under
// `canonical_root` (so a symbolic link leaving the root names nothing either). A path
// ending in '/' names that folder's index.html.
std::optional<std::filesystem::path> map_static_path(const std::filesystem::path& canonical_root,
                                                     std::string_view path);

// Whether `inner` is `outer` or lies under it (both canonical).
bool path_within(const std::filesystem::path& inner, const std::filesystem::path& outer);

// The answer to a GET or HEAD of a web file: 404 or 304 as a string response, else the file.
std::variant<response, file_response> serve_static(const std::filesystem::path& canonical_root,
                                                   const request& req);

}  // namespace creneau::server
