#!/usr/bin/env bash
# Regenerates tests/abi/symbols.txt and tests/abi/baseline.abi from a fresh non-sanitized build
# with debug info. Run it only for a deliberate ABI change (an added function, a new major
# version), and commit both files with the change that needs them.
#   tests/abi/update-baseline.sh [BUILD_DIR]     (default build-abi/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-abi}
build=$(mkdir -p "$build" && cd "$build" && pwd)
source "$here/abi-common.sh"
bash "$root/tests/ffi/build-nosan-lib.sh" "$root" "$build/lib" "$build/prefix" Ninja
lib=$build/prefix/lib/libturso_platform.so
exported_symbols "$lib" >"$here/symbols.txt"
abi_dump "$lib" "$build/prefix/include" "$here/baseline.abi"
echo "wrote $(wc -l <"$here/symbols.txt") symbols to tests/abi/symbols.txt and tests/abi/baseline.abi"
git -C "$root" diff --stat -- tests/abi/symbols.txt tests/abi/baseline.abi || true
