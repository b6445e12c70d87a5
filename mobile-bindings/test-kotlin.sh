#!/usr/bin/env bash
# The phone users' stories in Kotlin on the JVM, against the real library
# and a real server: installs what is missing (JNA from Debian, kotlinc from
# npm), builds the library and the server, generates the bindings, compiles
# them with the test and the Android app's logic in one kotlinc call, runs it.
# Exit status is non-zero on any failure. Usage: mobile-bindings/test-kotlin.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/kotlin-tests"
mkdir -p "$out"

# JNA 5.13 (the -jni package carries the native dispatch library).
if [ ! -f /usr/share/java/jna.jar ] || [ ! -e /usr/lib/x86_64-linux-gnu/jni/libjnidispatch.system.so ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libjna-java libjna-jni >/dev/null
fi
# kotlinc, pinned in package.json / package-lock.json.
kotlin="$here/node_modules/kotlin-compiler"
if [ ! -x "$kotlin/bin/kotlinc" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== build the library, the binding generator and the server"
# One cargo call: the packages share one feature set, so nothing is built twice.
cargo build --locked -p truyxuat-mobile -p truyxuat-server --lib --bins
lib="$target/debug/libtruyxuat_mobile.so"

echo "== generate the Kotlin bindings"
rm -rf "$out/gen"
"$target/debug/uniffi-bindgen" generate --library "$lib" --language kotlin --out-dir "$out/gen" --no-format

echo "== compile (bindings + Android app logic + stories), one kotlinc call"
jna=/usr/share/java/jna.jar
coroutines="$kotlin/lib/kotlinx-coroutines-core-jvm.jar"
stdlib="$kotlin/lib/kotlin-stdlib.jar"
logic=(android-demo/app/src/main/java/vn/truyxuat/demo/logic/*.kt)
"$kotlin/bin/kotlinc" -Werror -jvm-target 17 \
  -cp "$jna:$coroutines" \
  "$out"/gen/vn/truyxuat/core/*.kt \
  "${logic[@]}" \
  android-demo/app/src/test/java/vn/truyxuat/demo/logic/LogicTests.kt \
  mobile-bindings/tests/kotlin/Stories.kt \
  -d "$out/stories.jar"

echo "== run"
rm -rf "$out/work"
java -ea -Djna.library.path="$(dirname "$lib")" \
  -cp "$out/stories.jar:$jna:$coroutines:$stdlib" \
  StoriesKt test "$target/debug/truyxuat" "$root/fixtures" "$out/work"
