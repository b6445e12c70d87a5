#!/usr/bin/env bash
# Builds the truyxuat core for iOS and packs it for the demo app. Needs macOS
# with Xcode (xcodebuild, lipo) and rustup. Run from anywhere:
#
#   ios-demo/build-xcframework.sh
#
# Writes (never committed, see ios-demo/.gitignore):
#   ios-demo/Generated/TruyxuatCore.swift          the uniffi Swift bindings
#   ios-demo/Generated/TruyxuatCore.xcframework    libtruyxuat_mobile.a for iPhones
#       and for the simulator (arm64 + x86_64), with the C header and module
#       map of the `truyxuatFFI` module that TruyxuatCore.swift imports
set -euo pipefail

cd "$(dirname "$0")/.."  # the repository root
if [ "$(uname)" != Darwin ]; then
    echo "build-xcframework.sh needs macOS with Xcode" >&2
    exit 1
fi

LIB=libtruyxuat_mobile.a
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
OUT=ios-demo/Generated
DEVICE=aarch64-apple-ios
SIMULATORS=(aarch64-apple-ios-sim x86_64-apple-ios)

rustup target add "$DEVICE" "${SIMULATORS[@]}"

# The app's deployment target, so that the linker does not warn about objects
# built for a newer iOS.
export IPHONEOS_DEPLOYMENT_TARGET=15.0

# --no-default-features: the phone library leaves out the binding generator.
for target in "$DEVICE" "${SIMULATORS[@]}"; do
    echo "== cargo build --target $target"
    cargo build --release -p truyxuat-mobile --lib --no-default-features --target "$target"
done

# One simulator library for both Mac architectures.
SIM_LIB="$TARGET_DIR/ios-simulator/release/$LIB"
mkdir -p "$(dirname "$SIM_LIB")"
lipo -create \
    "$TARGET_DIR/${SIMULATORS[0]}/release/$LIB" \
    "$TARGET_DIR/${SIMULATORS[1]}/release/$LIB" \
    -output "$SIM_LIB"

# The Swift bindings, from the metadata in the device library, by the
# generator of the same uniffi version.
rm -rf "$OUT"
mkdir -p "$OUT/headers"
echo "== uniffi-bindgen generate --language swift"
cargo run -p truyxuat-mobile --bin uniffi-bindgen -- generate \
    --library "$TARGET_DIR/$DEVICE/release/$LIB" \
    --language swift --out-dir "$OUT" --no-format
# Xcode finds a library's C module through the module.modulemap among its headers.
mv "$OUT/truyxuatFFI.h" "$OUT/headers/truyxuatFFI.h"
mv "$OUT/truyxuatFFI.modulemap" "$OUT/headers/module.modulemap"

echo "== xcodebuild -create-xcframework"
xcodebuild -create-xcframework \
    -library "$TARGET_DIR/$DEVICE/release/$LIB" -headers "$OUT/headers" \
    -library "$SIM_LIB" -headers "$OUT/headers" \
    -output "$OUT/TruyxuatCore.xcframework"
rm -rf "$OUT/headers"

# The same check CI runs: the app uses only API these bindings declare.
ios-demo/check-api.sh "$OUT/TruyxuatCore.swift"

echo "Done. Next: cd ios-demo && xcodegen && open TruyxuatDemo.xcodeproj"
