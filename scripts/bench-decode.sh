#!/usr/bin/env bash
# Benchmark truyxuat's decoder (rxing) against zxing-cpp on the shared sample
# images. Written for the truyxuat project.
#
#   scripts/bench-decode.sh [bench_decode.py options, e.g. --repeat 5 --json out.json]
#
# Environment:
#   BENCH_VENV  Python venv for zxing-cpp/numpy/Pillow (default target/bench-venv)
#   SHARED      shared data directory holding decode/ (default ../shared)
#   PYTHON      interpreter used to create the venv (default python3)
#   BENCH_ZXING_VERSION  zxing-cpp version wanted (default 3.1.1)
# With --only-zxing the Rust example is not built.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Pinned versions, tested with Python 3.11. zxing-cpp 3.1.1 is wanted; if
# the index no longer has it, the nearest 3.x is taken instead (and said so).
ZXING_WANT="${BENCH_ZXING_VERSION:-3.1.1}"
NUMPY_VERSION=2.4.6
PILLOW_VERSION=13.0.0

VENV="${BENCH_VENV:-target/bench-venv}"
SAMPLES="${SHARED:-../shared}/decode"

only_zxing=0
for arg in "$@"; do
  if [[ "$arg" == "--only-zxing" ]]; then only_zxing=1; fi
done

if [[ ! -x "$VENV/bin/python3" ]]; then
  echo "creating venv $VENV" >&2
  "${PYTHON:-python3}" -m venv "$VENV"
fi
PY="$VENV/bin/python3"

# Installed already? (a zxing-cpp 3.x plus the pinned numpy and Pillow)
deps_ok() {
  "$PY" - "$NUMPY_VERSION" "$PILLOW_VERSION" <<'PYEOF' 2>/dev/null
import importlib.metadata as m, sys
ok = (m.version("zxing-cpp").startswith("3.") and m.version("numpy") == sys.argv[1]
      and m.version("pillow") == sys.argv[2])
sys.exit(0 if ok else 1)
PYEOF
}

if ! deps_ok; then
  available="$("$PY" -m pip index versions zxing-cpp 2>/dev/null \
    | sed -n 's/^Available versions: //p' | tr -d ' ' | tr ',' '\n')"
  if grep -qxF "$ZXING_WANT" <<<"$available"; then
    zxing_version="$ZXING_WANT"
  else
    # Nearest 3.x: the newest release of the wanted minor series, else the newest 3.x.
    minor="${ZXING_WANT%.*}."
    zxing_version="$(grep -F "$minor" <<<"$available" | grep -E '^[0-9.]+$' | sort -V | tail -n1 || true)"
    if [[ -z "$zxing_version" ]]; then
      zxing_version="$(grep -E '^3\.[0-9.]+$' <<<"$available" | sort -V | tail -n1 || true)"
    fi
    if [[ -z "$zxing_version" ]]; then
      echo "error: no zxing-cpp 3.x found on the package index" >&2
      exit 1
    fi
    echo "note: zxing-cpp $ZXING_WANT is not available; using $zxing_version" >&2
  fi
  "$PY" -m pip install --quiet --disable-pip-version-check \
    "zxing-cpp==$zxing_version" "numpy==$NUMPY_VERSION" "Pillow==$PILLOW_VERSION"
fi
echo "using zxing-cpp $("$PY" -c 'import importlib.metadata as m; print(m.version("zxing-cpp"))')" >&2

OURS="${CARGO_TARGET_DIR:-target}/release/examples/decode_bench"
if [[ $only_zxing -eq 0 ]]; then
  cargo build --release -p truyxuat-core --example decode_bench
fi

exec "$PY" scripts/bench_decode.py --ours "$OURS" --samples "$SAMPLES" "$@"
