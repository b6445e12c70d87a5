#!/usr/bin/env bash
# Resolver figures: builds a large data set (default 1,000,000 products/lots and
# 10,000,000 events; LOTS=N to change), serves it, and loads it with wrk on
# loopback: /v1/resolve and /01/… JSON next to a trivial route (/healthz) of the
# same server; then times the reach of one lot (every site and device it touched).
set -euo pipefail
cd "$(dirname "$0")/.."
LOTS="${LOTS:-1000000}"
SECONDS_EACH="${SECONDS_EACH:-20}"
DATA=target/bench-data
DB="$DATA/resolver-$LOTS.db"
mkdir -p "$DATA"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q -p truyxuat-server --bin truyxuat --example gen_dataset
if [ ! -f "$DB" ]; then
  echo "== generating $LOTS lots into $DB"
  /usr/bin/time -f "generated in %e s, max RSS %M KB" target/release/examples/gen_dataset --db "$DB.tmp" --lots "$LOTS"
  mv "$DB.tmp" "$DB"; mv "$DB.tmp.codes.txt" "$DB.codes.txt"
  rm -f "$DB.tmp-wal" "$DB.tmp-shm"
fi
ls -la "$DB" | awk '{print "database: " $5/1e9 " GB"}'
export TRUYXUAT_JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
export CODES="$DB.codes.txt"
OUT=$(mktemp)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -f "$OUT"' EXIT
start() { # extra serve arguments
  [ -n "$PID" ] && { kill $PID; wait $PID 2>/dev/null || true; }
  : >"$OUT"
  target/release/truyxuat serve --db "$DB" --addr 127.0.0.1:0 --user-rate 1000000 "$@" >"$OUT" 2>/dev/null &
  PID=$!
  for _ in $(seq 100); do grep -q listening "$OUT" && break; sleep 0.1; done
  URL=$(sed -n 's/^listening on //p' "$OUT")
}
run() { # name, extra wrk args...
  local name=$1; shift
  echo "== $name"
  wrk -t1 -c32 -d"${SECONDS_EACH}s" --latency "$@" | grep -E "Requests/sec|^ +(50|99)%|Non-2xx|errors"
}
start
run "static /healthz" "$URL/healthz"
MODE=resolve run "GET /v1/resolve?code=(01)…(10)… ($(wc -l <"$CODES") lots at random; cache filling)" -s scripts/wrk-codes.lua "$URL"
MODE=resolve run "GET /v1/resolve, the same lots again (cache warm)" -s scripts/wrk-codes.lua "$URL"
MODE=dl run "GET /01/{gtin}/10/{lot} as JSON (same lots, cache warm)" -s scripts/wrk-codes.lua "$URL"
echo "== reach of one lot (sites and devices that touched it)"
read -r G L < <(sed -n '5p' "$CODES")
TOKEN=$(curl -s -H 'Content-Type: application/json' -d '{"username":"bench-authority","password":"bench-password"}' \
  "$URL/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
for _ in 1 2 3; do
  curl -s -o /dev/null -w "reach: %{time_total} s\n" -H "Authorization: Bearer $TOKEN" "$URL/v1/reach?gtin=$G&lot=$L"
done
start --no-resolve-cache
MODE=resolve run "GET /v1/resolve, every resolution computed (--no-resolve-cache)" -s scripts/wrk-codes.lua "$URL"
MODE=dl run "GET /01/{gtin}/10/{lot} as JSON, every resolution computed" -s scripts/wrk-codes.lua "$URL"
