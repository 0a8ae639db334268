#!/usr/bin/env bash
# Builds examples/c against the installed library, once with its Makefile (pkg-config) and once
# with its CMakeLists.txt (find_package), and runs both against the turso-local of with_server.py.
source "$(dirname "$0")/lib.sh"
work=$TP_WORK_DIR/c
rm -rf "$work" && mkdir -p "$work/make" "$work/cmake"

make -s -f "$TP_SOURCE_DIR/examples/c/Makefile" OUT="$work/make"
cmake -S "$TP_SOURCE_DIR/examples/c" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$TP_PREFIX" >/dev/null
cmake --build "$work/cmake" >/dev/null

check_example make ffi-c-make "$("$work/make/databases" ffi-c-make)"
check_example cmake ffi-c-cmake "$("$work/cmake/databases" ffi-c-cmake)"
# Both link the shared library of the prefix.
for bin in "$work/make/databases" "$work/cmake/databases"; do
    [[ $(ldd "$bin") == *"libturso_platform.so.0 => $TP_PREFIX/lib/"* ]] || { ldd "$bin"; exit 1; }
done
echo "examples/c: both builds passed"
