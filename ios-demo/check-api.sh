#!/usr/bin/env bash
# Checks, without Swift, that the iOS demo app calls only truyxuat-core API the
# generated Swift bindings declare (see check_api.py for how), then that the
# check itself still catches breakage (test_check_api.py breaks copies of the
# bindings and of the app on purpose). Needs bash and python3 only.
#
#   ios-demo/check-api.sh GENERATED_SWIFT_FILE     (TruyxuatCore.swift from uniffi-bindgen)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 GENERATED_SWIFT_FILE  (TruyxuatCore.swift, made by uniffi-bindgen)" >&2
    exit 2
fi
export PYTHONDONTWRITEBYTECODE=1

python3 "$here/check_api.py" "$1" "$here/TruyxuatDemo"

if ! out="$(python3 "$here/test_check_api.py" "$1" 2>&1)"; then
    echo "$out"
    echo "check-api: the check's own tests fail (above)" >&2
    exit 1
fi
echo "check-api: the check's own tests pass ($(grep -E '^Ran ' <<<"$out"))"
