#pragma once
// What this build is: the project's version and the git commit it was built from, for
// `creneau --version`, /healthz and the start-up log line (docs/operations.md).

namespace creneau::server {

// The version of the project (CMakeLists.txt), e.g. "0.1.0".
const char* build_version();
// The commit the build was made from (12 hex digits, with "-dirty" when the tree had
// uncommitted changes), or "unknown" when built outside a git checkout.
const char* build_commit();

}  // namespace creneau::server
