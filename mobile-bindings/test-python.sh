#!/usr/bin/env bash
# The phone library through its Python bindings: builds the library and the
# binding generator (the same cargo call as test-kotlin.sh, so nothing is
# built twice), generates the Python module, puts the library beside it and
# runs tests/python/smoke.py. Needs only python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/python-tests"

echo "== build the library and the binding generator"
cargo build --locked -p truyxuat-mobile -p truyxuat-server --lib --bins

echo "== generate the Python bindings"
rm -rf "$out"
mkdir -p "$out/gen" "$out/work"
"$target/debug/uniffi-bindgen" generate --library "$target/debug/libtruyxuat_mobile.so" \
  --language python --out-dir "$out/gen" --no-format
cp "$target/debug/libtruyxuat_mobile.so" "$out/gen/"

echo "== run"
python3 "$here/tests/python/smoke.py" "$out/gen" "$root/fixtures" "$out/work"
