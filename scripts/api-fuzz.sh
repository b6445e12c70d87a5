#!/usr/bin/env bash
# api-fuzz.sh BINARY — fuzz the HTTP API against its own OpenAPI document.
#
# Starts `BINARY serve --demo` on a free 127.0.0.1 port in a temporary
# directory, logs in as the demo `authority` account, and runs schemathesis
# (pinned, installed once into a cached venv) on GET /openapi.json with two
# checks:
#   not_a_server_error       no request, valid or not, gets a 5xx (a panic);
#   negative_data_rejection  a request the document says is invalid (wrong
#                            type, out-of-range number, ...) is refused 4xx.
# The document is what the phones, the portal and third parties code against,
# so a request it forbids but the server takes (or a crash) is a bug in one
# of the two. Seeded and bounded in time (API_FUZZ_SEED, API_FUZZ_MAX_TIME).
# Exits non-zero when schemathesis reports a failure; the JSON report and the
# server log are left in API_FUZZ_OUT. Only 127.0.0.1 is contacted.
set -euo pipefail

BIN=$(realpath "${1:?usage: scripts/api-fuzz.sh PATH/TO/truyxuat}")
ST_VERSION=4.32.5
SEED=${API_FUZZ_SEED:-42}
MAX_TIME=${API_FUZZ_MAX_TIME:-120}
OUT=${API_FUZZ_OUT:-${TMPDIR:-/tmp}/truyxuat-api-fuzz}
VENV=${XDG_CACHE_HOME:-$HOME/.cache}/truyxuat-schemathesis/venv-$ST_VERSION

if ! "$VENV/bin/st" --version 2>/dev/null | grep -qF "$ST_VERSION"; then
  if ! python3 -c 'import ensurepip' 2>/dev/null; then  # Debian keeps venv's pip apart
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$VENV" && python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

WORK=$(mktemp -d)
mkdir -p "$OUT" && OUT=$(realpath "$OUT") && rm -rf "$OUT/report.json" "$OUT/.schemathesis"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
(cd "$WORK" && exec "$BIN" serve --demo --user-rate 100000 --db "$WORK/truyxuat.db" \
  --addr "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1) &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

for _ in $(seq 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/healthz" >/dev/null || { echo "server did not come up:" >&2; cat "$OUT/server.log" >&2; exit 1; }
TOKEN=$(curl -sf -X POST "$BASE/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"authority","password":"demo"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')

rc=0  # st keeps a .schemathesis/ replay cache in its cwd: run it in $OUT
(cd "$OUT" && exec "$VENV/bin/st" run "$BASE/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,negative_data_rejection \
  --seed "$SEED" --max-time "$MAX_TIME" --workers 2 \
  --generation-database none --no-color \
  --report json --report-json-path "$OUT/report.json") || rc=$?

echo "== api-fuzz summary (schemathesis $ST_VERSION, seed $SEED, max-time ${MAX_TIME}s) =="
python3 - "$OUT/report.json" <<'EOF' || true
import json, sys
r = json.load(open(sys.argv[1]))
t = r["test_cases"]
print(f"{t['generated']} test cases in {r['running_time']:.0f}s, {t['unique_failures']} unique failures")
for f in r["failures"]:
    print(f"  {f['code']} {f['title']}: {', '.join(f['operations'])}")
EOF
echo "server panics: $(grep -c 'panicked at' "$OUT/server.log" || true)  (log and report in $OUT)"
exit "$rc"
