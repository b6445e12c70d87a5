#!/usr/bin/env bash
# Builds the truyxuat core (crate truyxuat-mobile) for Android phones and
# emulators, and generates its Kotlin bindings for the app. Run it on a
# developer machine before opening the project in Android Studio, and again
# whenever the Rust code changes.
#
# Needs: the Android NDK (ANDROID_NDK_HOME, or an NDK under ANDROID_HOME/ndk),
#        cargo install cargo-ndk
#        rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
#
# Writes (neither is in git):
#   app/src/main/jniLibs/<abi>/libtruyxuat_mobile.so   the core, per ABI
#   app/build/generated/uniffi/                          package vn.truyxuat.core
#
# ./build-native.sh --bindings-only  regenerates just the bindings from the
# libraries already built (e.g. after `gradle clean`, which deletes app/build).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jni="$here/app/src/main/jniLibs"
bindings="$here/app/build/generated/uniffi"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
# Read the metadata from the unstripped library in the target directory: the
# bindings generator finds the interface through the library's symbols.
library="$target_dir/aarch64-linux-android/release/libtruyxuat_mobile.so"

cd "$root"

if [[ "${1:-}" != "--bindings-only" ]]; then
    if ! cargo ndk --version >/dev/null 2>&1; then
        echo "cargo-ndk is missing: cargo install cargo-ndk" >&2
        exit 1
    fi
    # arm64-v8a: nearly every phone sold since 2017; armeabi-v7a: the cheap
    # and older ones; x86_64: the Android Studio emulator.
    cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o "$jni" build --release -p truyxuat-mobile
fi

if [[ ! -f "$library" ]]; then
    echo "$library is missing: run ./build-native.sh without --bindings-only first" >&2
    exit 1
fi

# The generator is built from the same uniffi version as the library, for
# this machine; uniffi-android.toml switches on the Android object cleaner.
rm -rf "$bindings"
mkdir -p "$bindings"
cargo run -p truyxuat-mobile --bin uniffi-bindgen -- generate \
    --library "$library" \
    --language kotlin \
    --out-dir "$bindings" \
    --config "$here/uniffi-android.toml" \
    --no-format

echo "core:     $jni/<abi>/libtruyxuat_mobile.so"
echo "bindings: $bindings/vn/truyxuat/core/truyxuat_mobile.kt"
