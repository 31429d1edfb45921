#!/usr/bin/env bash
# Fails if a C++ file of the repository differs from what the committed .clang-format makes
# of it (Debian's clang-format). Fix with: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
else
  mapfile -t files < <(find common server tests -name '*.cpp' -o -name '*.hpp')
fi
clang-format --dry-run -Werror "${files[@]}"
echo "clang-format: ${#files[@]} files as .clang-format says"
