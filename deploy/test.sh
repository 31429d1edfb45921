#!/usr/bin/env bash
# Builds Créneau twice (optimised, and with AddressSanitizer + UndefinedBehaviorSanitizer)
# and runs the whole test suite through CTest on both builds.
# The tests that need Redis get a private redis-server started by CTest (tests/redis-fixture.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/deploy/setup.sh" --test

jobs=$(nproc)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j "$jobs"
# The browser tests run once, on the optimised build.
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCRENEAU_SANITIZE=ON -DCRENEAU_BENCH=OFF \
  -DCRENEAU_BROWSER_TESTS=OFF >/dev/null
cmake --build build/asan -j "$jobs"

status=0
echo "== tests: optimised build" >&2
ctest --test-dir build/release --output-on-failure -j "$jobs" || status=1
echo "== tests: sanitizer build (ASan + UBSan)" >&2
ctest --test-dir build/asan --output-on-failure -j "$jobs" || status=1
exit $status
