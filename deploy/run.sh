#!/usr/bin/env bash
# Builds Créneau in Release (build/release, the folder and settings the test suite builds
# and tests) and runs it on 127.0.0.1:8080 with the SQLite journal in ./data.
# Extra arguments go to the server (see `creneau --help`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/deploy/setup.sh"
deploy/build.sh release creneau
mkdir -p data
echo "Créneau on http://localhost:8080 (Ctrl-C to stop)" >&2
exec build/release/server/creneau --listen 127.0.0.1:8080 --data "$root/data" "$@"
