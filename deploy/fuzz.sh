#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz longer than the test suite does.
#   deploy/fuzz.sh [SECONDS] [TARGET…]   default: 600 seconds each, every target
# New inputs go to build/asan/tests/fuzz/found/TARGET; a finding leaves its input there
# (crash-*, leak-*, timeout-*): add it to tests/fuzz/corpus/TARGET once fixed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-600}
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(time http_text static_path facts live http)
"$root/deploy/setup.sh" --test
fuzz_targets=()
for t in "${targets[@]}"; do fuzz_targets+=("fuzz_$t"); done
deploy/build.sh asan "${fuzz_targets[@]}"
status=0
for t in "${targets[@]}"; do
  echo "== fuzz_$t for ${seconds} s" >&2
  tests/fuzz/run-fuzzer.sh "build/asan/tests/fuzz/fuzz_$t" "$seconds" "build/asan/tests/fuzz/found/$t" \
    "tests/fuzz/corpus/$t" 2>&1 | grep -E "^(#[0-9]+ +DONE|INFO: seed|==[0-9]+==|SUMMARY|stat::number_of_executed_runs)" || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
exit $status
