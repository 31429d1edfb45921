#!/usr/bin/env bash
# Configures and builds one of Créneau's build folders, the same way for every script that
# needs it, so that what the README's run command builds is what the test suite built.
#   deploy/build.sh release [TARGET…]   build/release: Release (-O3), tests and benchmarks
#   deploy/build.sh asan [TARGET…]      build/asan: Debug with AddressSanitizer + UBSan
#   deploy/build.sh fuzz [TARGET…]      build/fuzz: clang with libFuzzer, ASan and UBSan
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
kind=${1:?release, asan or fuzz}
shift
jobs=$(nproc)
case "$kind" in
  release)
    dir=build/release
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null ;;
  asan)
    dir=build/asan
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCRENEAU_SANITIZE=ON -DCRENEAU_BENCH=OFF \
      -DCRENEAU_BROWSER_TESTS=OFF >/dev/null ;;
  fuzz)
    dir=build/fuzz
    CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRENEAU_FUZZ=ON \
      -DCRENEAU_TESTS=OFF -DCRENEAU_BENCH=OFF >/dev/null ;;
  *) echo "build.sh: unknown build '$kind' (release, asan or fuzz)" >&2; exit 2 ;;
esac
if [ "$#" -gt 0 ]; then
  targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build "$dir" -j "$jobs" "${targets[@]}"
else
  cmake --build "$dir" -j "$jobs"
fi
