#!/usr/bin/env bash
# The consumer web page and the portal in a real browser: starts `truyxuat
# serve --demo`, renders the demo scenarios with headless Chromium (phone-sized
# window) and checks the rendered DOM, then drives the portal's journeys with
# puppeteer-core (scripts/portal-browser-test.mjs; installs scripts/browser with
# npm ci when needed); leaves screenshots in target/browser/.
#
#   bash scripts/browser-check.sh [path/to/truyxuat]   (default target/debug/truyxuat)
#
# Without Chromium it installs Debian's package when CI is set, else skips.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -ge 1 ]; then
  BIN="$1"
  case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
else
  BIN="$ROOT/target/debug/truyxuat"
fi
cd "$ROOT"

if [ ! -x "$BIN" ]; then
  echo "error: no truyxuat binary at $BIN (build it first)" >&2
  exit 1
fi

# --- Chromium -------------------------------------------------------------
find_chromium() {
  local c
  for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null 2>&1; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

CHROMIUM="$(find_chromium || true)"
if [ -z "$CHROMIUM" ]; then
  if [ -n "${CI:-}" ]; then
    echo "# chromium not found; installing Debian's chromium (CI)"
    if [ "$(id -u)" -eq 0 ]; then
      SUDO=()
    elif command -v sudo >/dev/null 2>&1; then
      SUDO=(sudo)
    else
      echo "error: chromium is missing and we are neither root nor have sudo to install it" >&2
      exit 1
    fi
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends chromium
    CHROMIUM="$(find_chromium || true)"
    if [ -z "$CHROMIUM" ]; then
      echo "error: chromium still not found after apt-get install" >&2
      exit 1
    fi
  else
    echo "skip: chromium is not installed (apt-get install chromium); browser check not run"
    exit 0
  fi
fi

# --- the server -------------------------------------------------------------
TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

"$BIN" serve --demo --addr 127.0.0.1:0 --db "$TMP/t.db" >"$TMP/server.out" 2>"$TMP/server.log" &
SERVER_PID=$!

URL=""
for _ in $(seq 200); do
  URL="$(sed -n 's|^listening on \(http://[^[:space:]]*\).*$|\1|p' "$TMP/server.out" | head -n 1)"
  [ -n "$URL" ] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [ -z "$URL" ]; then
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "error: the server did not print 'listening on http://HOST:PORT' within 20 s" >&2
  else
    echo "error: the server exited before printing 'listening on http://HOST:PORT'" >&2
  fi
  echo "--- stdout" >&2
  cat "$TMP/server.out" >&2 || true
  echo "--- stderr (last lines)" >&2
  tail -n 30 "$TMP/server.log" >&2 || true
  exit 1
fi
URL="${URL%/}"
echo "# server at $URL, browser $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"

# --- the demo scenarios -----------------------------------------------------
scenario() { # scenario NAME FIELD
  python3 -c 'import json, sys
d = json.load(open("fixtures/demo/catalog.json", encoding="utf-8"))
print(d["scenarios"][sys.argv[1]][sys.argv[2]])' "$1" "$2"
}
RECALLED_GTIN="$(scenario recalled gtin)"
RECALLED_LOT="$(scenario recalled lot)"
COMPLETE_GTIN="$(scenario complete_chain gtin)"
COMPLETE_LOT="$(scenario complete_chain lot)"
CLONED_GTIN="$(scenario cloned gtin)"
CLONED_SERIAL="$(scenario cloned serial)"

# --- the browser --------------------------------------------------------------
# Chromium sends `Accept-Language: en-US,en;q=0.9` unless told otherwise (neither
# --lang nor LANGUAGE changes that in headless mode), and the server honours it:
# --accept-lang makes it a Vietnamese phone, so the default page is Vietnamese.
CHROME_FLAGS=(
  --headless=new --no-sandbox --disable-gpu --window-size=390,844
  --accept-lang=vi-VN,vi
  --disable-dev-shm-usage --no-first-run --no-default-browser-check
  --hide-scrollbars --user-data-dir="$TMP/profile"
)

PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

N=0
# check NAME PATH NEEDLE... : renders $URL$PATH and wants every NEEDLE in the DOM.
check() {
  local name="$1" path="$2"
  shift 2
  N=$((N + 1))
  local dom="$TMP/dom$N.html" err="$TMP/chrome$N.log"
  if ! timeout 60 "$CHROMIUM" "${CHROME_FLAGS[@]}" --dump-dom "$URL$path" >"$dom" 2>"$err" \
    || [ ! -s "$dom" ]; then
    not_ok "$name: chromium could not render $URL$path"
    tail -n 15 "$err" | sed 's/^/#   /'
    return 0
  fi
  local missing=() needle
  for needle in "$@"; do
    grep -qF -- "$needle" "$dom" || missing+=("$needle")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    ok "$name"
  else
    not_ok "$name ($URL$path)"
    for needle in "${missing[@]}"; do
      echo "#   missing: $needle"
    done
    echo "#   first lines of the DOM:"
    head -n 40 "$dom" | sed 's/^/#     /'
  fi
}

RECALLED_PATH="/01/$RECALLED_GTIN/10/$RECALLED_LOT"
check "recalled lot page (vi)" "$RECALLED_PATH" \
  '<html lang="vi"' 'data-warning="recalled"' 'Hành trình sản phẩm' 'Lô hàng này đã bị thu hồi' \
  'data-action="report"' 'Báo cáo vấn đề'
check "recalled lot page (en)" "$RECALLED_PATH?lang=en" \
  '<html lang="en"' 'This lot has been recalled' 'Journey'
# The language asked for is remembered (a cookie) until another is asked for.
check "the language chosen is remembered" "/01/$COMPLETE_GTIN/10/$COMPLETE_LOT" \
  '<html lang="en"' 'Harvest'
check "complete-chain lot page" "/01/$COMPLETE_GTIN/10/$COMPLETE_LOT?lang=vi" \
  'data-chain="complete"' 'Thu hoạch'
check "unregistered GTIN page" "/01/08930000000019" \
  'chưa được đăng ký'
check "cloned serial page" "/01/$CLONED_GTIN/21/$CLONED_SERIAL" \
  'data-warning="possibly_cloned"'
check "report-a-problem form" "/report?lang=vi&code=%2801%29$RECALLED_GTIN%2810%29$RECALLED_LOT" \
  'Gửi phản ánh' "(01)$RECALLED_GTIN(10)$RECALLED_LOT" 'Tỉnh Đắk Lắk'

# --- a phone-sized screenshot to look at ------------------------------------
SHOT_DIR="$ROOT/target/browser"
SHOT="$SHOT_DIR/recalled.png"
mkdir -p "$SHOT_DIR"
rm -f "$SHOT"
if timeout 60 "$CHROMIUM" "${CHROME_FLAGS[@]}" --screenshot="$SHOT" "$URL$RECALLED_PATH" \
  >"$TMP/shot.out" 2>"$TMP/shot.log" && [ -s "$SHOT" ]; then
  ok "screenshot of the recalled lot page: target/browser/recalled.png"
else
  not_ok "screenshot of the recalled lot page: $SHOT missing or empty"
  tail -n 15 "$TMP/shot.log" | sed 's/^/#   /'
fi

# --- the portal's journeys in a real browser --------------------------------
# An authority (dashboard on a laptop and a phone, a complaint resolved), an
# enterprise (a recall declared, then seen on the consumer page), a consumer
# (403) and a citizen on a phone (a problem reported with a photo), driven by
# puppeteer-core (pinned in scripts/browser/package-lock.json).
# Keep this last: the journeys change the demo data (they recall a demo lot,
# resolve a complaint and file one), which the checks above must not see.
portal_journeys() {
  if [ ! -d scripts/browser/node_modules/puppeteer-core ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "error: npm is not installed (needed for scripts/browser)"
      return 1
    fi
    echo "# npm ci --prefix scripts/browser"
    npm ci --prefix scripts/browser --no-audit --no-fund || return 1
  fi
  CHROMIUM="$CHROMIUM" timeout 300 node scripts/portal-browser-test.mjs "$URL"
}
if portal_journeys >"$TMP/portal.out" 2>&1; then
  sed '/^[[:space:]]*$/d; s/^/    /' "$TMP/portal.out"
  ok "portal journeys in a real browser (screenshots: target/browser/dashboard.png, dashboard-phone.png)"
else
  sed '/^[[:space:]]*$/d; s/^/    /' "$TMP/portal.out"
  not_ok "portal journeys in a real browser"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
