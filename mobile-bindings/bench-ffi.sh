#!/usr/bin/env bash
# The FFI figure: per-frame cost of decodeFrame on a 1280×720 luma frame,
# Kotlin → Rust through the bindings, next to the same decode called from
# Rust directly, in one run (release build). Then the stripped size of the
# release cdylib. Needs what test-kotlin.sh installs and compiles: run that first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
rounds="${1:-300}"
jar="$target/kotlin-tests/stories.jar"
[ -f "$jar" ] || { echo "run mobile-bindings/test-kotlin.sh first (it compiles $jar)" >&2; exit 1; }
kotlin="$here/node_modules/kotlin-compiler"
cargo build --release --locked -p truyxuat-mobile --lib --example frame_bench
mkdir -p "$target/bench"
frame="$target/bench/frame-1280x720.y"
run_java() {
  java -Djna.library.path="$target/release" \
    -cp "$jar:/usr/share/java/jna.jar:$kotlin/lib/kotlinx-coroutines-core-jvm.jar:$kotlin/lib/kotlin-stdlib.jar" \
    StoriesKt bench "$frame" 1280 720 "$rounds"
}
for round in 1 2; do
  echo "-- round $round"
  "$target/release/examples/frame_bench" "$frame" "$rounds"
  run_java
done
lib="$target/release/libtruyxuat_mobile.so"
strip -o "$target/bench/libtruyxuat_mobile.stripped.so" "$lib"
echo "cdylib: $(stat -c %s "$lib") bytes, stripped $(stat -c %s "$target/bench/libtruyxuat_mobile.stripped.so") bytes"
