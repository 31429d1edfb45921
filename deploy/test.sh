#!/usr/bin/env bash
# Builds Créneau twice (optimised, exactly as deploy/run.sh builds it; with clang,
# AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer's instrumentation) and runs the
# whole test suite through CTest on each: the unit, integration and browser tests on the
# optimised build; the same but the browser tests, then the fuzzers for a bounded time, on
# the sanitizer build. The tests that need Redis get a private redis-server started by CTest
# (tests/redis-fixture.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/deploy/setup.sh" --test

jobs=$(nproc)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

deploy/build.sh release
# The browser tests run once, on the optimised build.
deploy/build.sh asan

status=0
echo "== tests: optimised build" >&2
ctest --test-dir build/release --output-on-failure -j "$jobs" || status=1
echo "== tests: sanitizer build (ASan + UBSan)" >&2
ctest --test-dir build/asan --output-on-failure -j "$jobs" -E "^fuzz: " || status=1
echo "== fuzzers: libFuzzer on the committed corpora, bounded in time" >&2
ctest --test-dir build/asan --output-on-failure -j "$jobs" -R "^fuzz: " --no-tests=error || status=1
exit $status
