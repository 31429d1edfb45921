#!/usr/bin/env bash
# Configures and builds one of Créneau's build folders, the same way for every script that
# needs it, so that what the README's run command builds is what the test suite built.
#   deploy/build.sh release [TARGET…]   build/release: Release (-O3), tests and benchmarks
#   deploy/build.sh asan [TARGET…]      build/asan: clang with AddressSanitizer + UBSan (-O1,
#                                       line tables), the tests and the libFuzzer targets
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
kind=${1:?release or asan}
shift
jobs=$(nproc)
case "$kind" in
  release)
    dir=build/release
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null ;;
  asan)
    # One sanitizer build serves the tests and the fuzzers: everything is instrumented for
    # libFuzzer too, which costs the tests little and saves building it all a third time.
    dir=build/asan
    # A folder an older version configured with GCC is made afresh.
    if [ -f "$dir/CMakeCache.txt" ] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang' "$dir/CMakeCache.txt"; then
      rm -rf "$dir"
    fi
    CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" -DCRENEAU_FUZZ=ON -DCRENEAU_BENCH=OFF \
      -DCRENEAU_BROWSER_TESTS=OFF >/dev/null ;;
  *) echo "build.sh: unknown build '$kind' (release or asan)" >&2; exit 2 ;;
esac
if [ "$#" -gt 0 ]; then
  targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build "$dir" -j "$jobs" "${targets[@]}"
else
  cmake --build "$dir" -j "$jobs"
fi
