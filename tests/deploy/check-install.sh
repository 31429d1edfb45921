#!/usr/bin/env bash
# The install target, as deploy/Dockerfile and deploy/creneau.service rely on it:
#   - `cmake --install` lays out the program, the browser app (and nothing of the test
#     tools or package manifests), the docs, the unit and the settings file;
#   - the runtime packages of deploy/setup.sh --runtime hold every library the program
#     links to (the container's runtime stage installs only those);
#   - the installed program, started with no --web-root, serves the installed app;
#   - the installed unit passes `systemd-analyze verify`, and its exposure score stays low.
# Usage: check-install.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?build folder}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$work/usr/local
cmake --install "$build" --prefix "$prefix" >/dev/null

echo "== layout"
web=$prefix/share/creneau/web
for f in bin/creneau share/creneau/web/index.html share/creneau/web/app.css \
         share/creneau/web/js/main.js lib/systemd/system/creneau.service etc/creneau/creneau.env \
         share/doc/creneau/README.md share/doc/creneau/operations.md \
         share/doc/creneau/examples/nginx.conf share/doc/creneau/examples/redis.conf; do
  [ -e "$prefix/$f" ] || fail "missing $f"
done
[ -x "$prefix/bin/creneau" ] || fail "bin/creneau is not executable"
# What the app loads, by the paths its pages and modules name, is installed.
loaded=$( (grep -ohE '(src|href)="/[^"#]+"' "$root/web/index.html" | sed -E 's/^(src|href)="\/(.*)"$/\2/'
           grep -rohE "'/node_modules/[^']+'" "$root/web/js" | tr -d "'" | sed 's|^/||') | sort -u)
[ -n "$loaded" ] || fail "found nothing the app loads"
for f in $loaded; do [ -f "$web/$f" ] || fail "the app loads /$f, which is not installed"; done
# Only the app: no package manifests, no test tools.
if find "$web" -name 'package*.json' | grep -q .; then fail "package manifests in the web root"; fi
for tool in playwright-core axe-core; do
  [ ! -e "$web/node_modules/$tool" ] || fail "$tool is installed with the app"
done
# The installed app is the app, file for file.
(cd "$root/web" && find index.html app.css js -type f) | while read -r f; do
  cmp -s "$root/web/$f" "$web/$f" || fail "$f differs from the source"
done

echo "== runtime packages"
runtime=$(SETUP_LIST_RUNTIME=1 "$root/deploy/setup.sh")
for lib in $(ldd "$prefix/bin/creneau" | awk '$3 ~ /^\// {print $3}'); do
  real=$(readlink -f "$lib")
  pkg=$( (dpkg -S "$real" 2>/dev/null || dpkg -S "$lib" 2>/dev/null) | head -n1 | cut -d: -f1)
  [ -n "$pkg" ] || fail "no Debian package holds $lib"
  case "$pkg" in libc6|libgcc-s1) continue ;; esac  # essential: in every Debian image
  grep -qx "$pkg" <<<"$runtime" || fail "$lib comes from $pkg, which setup.sh --runtime does not install"
done

echo "== the installed program serves the installed app"
echo "installed" > "$web/installed-copy.txt"
"$prefix/bin/creneau" --listen 127.0.0.1:0 --data "$work/data" 2>"$work/log" &
pid=$!
port=
for _ in $(seq 1 200); do
  port=$(grep -o '"msg":"listening"[^}]*"port":[0-9]*' "$work/log" 2>/dev/null | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; fail "the installed program stopped"; }
  sleep 0.05
done
[ -n "$port" ] || { cat "$work/log" >&2; fail "the installed program does not listen"; }
[ "$(curl -fsS "http://127.0.0.1:$port/installed-copy.txt")" = installed ] ||
  fail "the installed program does not serve the installed web root"
curl -fsS "http://127.0.0.1:$port/" | cmp -s - "$root/web/index.html" || fail "/ is not the app"
curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" || fail "/readyz does not answer 200"
health=$(curl -fsS "http://127.0.0.1:$port/healthz")
if git -C "$root" rev-parse --short=12 HEAD >/dev/null 2>&1; then
  commit=$(git -C "$root" rev-parse --short=12 HEAD)
  grep -q "\"commit\":\"$commit" <<<"$health" || fail "/healthz does not name commit $commit: $health"
fi
kill "$pid"; wait "$pid" || true; pid=

echo "== systemd unit"
unit=$prefix/lib/systemd/system/creneau.service
grep -q "^ExecStart=$prefix/bin/creneau$" "$unit" || fail "the unit does not run the installed program"
grep -q "^EnvironmentFile=-$prefix/etc/creneau/creneau.env$" "$unit" || fail "the unit does not read the installed settings"
systemd-analyze verify "$unit" || fail "systemd-analyze verify"
score=$(systemd-analyze security --offline=true "$unit" 2>&1 |
        grep -o 'Overall exposure level for creneau.service: [0-9.]*' | grep -o '[0-9.]*$')
echo "systemd-analyze security: exposure $score"
awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 1.5) }' || fail "exposure $score above 1.5"
# The shipped unit is the installed one with /usr/local's paths.
sed "s|$prefix|/usr/local|g; s|/usr/local/etc/creneau/|/etc/creneau/|g" "$unit" |
  cmp -s - "$root/deploy/creneau.service" || fail "the installed unit differs from deploy/creneau.service beyond its paths"
echo "== the container builds and installs the same way"
docker=$root/deploy/Dockerfile
grep -q '^RUN deploy/setup.sh' "$docker" || fail "the Dockerfile does not install the packages with setup.sh"
grep -q 'deploy/build.sh release creneau' "$docker" || fail "the Dockerfile does not build with build.sh"
grep -q 'cmake --install build/release --prefix /usr/local' "$docker" || fail "the Dockerfile does not use the install target"
grep -q 'setup.sh --runtime' "$docker" || fail "the Dockerfile's runtime stage does not use setup.sh --runtime"
grep -A1 '^HEALTHCHECK' "$docker" | grep -q 'GET /readyz' || fail "the container's health check is not /readyz"
grep -q '^USER creneau' "$docker" || fail "the container does not run as its own user"
grep -q './nginx.conf:/etc/nginx/conf.d/default.conf' "$root/deploy/compose.yaml" || fail "compose does not run deploy/nginx.conf"
grep -q './redis.conf:' "$root/deploy/compose.yaml" || fail "compose does not run deploy/redis.conf"
echo "install: ok"
