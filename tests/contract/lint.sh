#!/usr/bin/env bash
# The API document (server/api/openapi.json) through the linters a partner's developer runs:
# Redocly CLI's recommended rules (redocly.yaml) and Spectral's spectral:oas rules
# (.spectral.yaml), both from web/node_modules. Any error or warning fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bin="$root/web/node_modules/.bin"
doc=server/api/openapi.json
# No telemetry and no update check: the tests run without the internet.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

status=0
redocly=$("$bin/redocly" lint "$doc" --config redocly.yaml --format=json 2>/dev/null) || true
if ! node -e '
  const r = JSON.parse(process.argv[1]);
  const t = r.totals;
  for (const p of r.problems) console.error(`redocly ${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(", ")}`);
  console.error(`redocly: ${t.errors} errors, ${t.warnings} warnings, ${t.ignored} ignored by .redocly.lint-ignore.yaml`);
  process.exit(t.errors + t.warnings === 0 ? 0 : 1);' "$redocly"; then
  status=1
fi

# --fail-severity=hint: warnings, infos and hints fail too.
if "$bin/spectral" lint "$doc" --ruleset .spectral.yaml --fail-severity=hint; then
  echo "spectral: no problem" >&2
else
  status=1
fi
exit $status
