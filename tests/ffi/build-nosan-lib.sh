#!/usr/bin/env bash
# Builds the library alone, without sanitizers, with debug info (RelWithDebInfo), and installs it
# to a prefix, as a user would. The FFI examples (Go, Rust, Python) and the ABI checks use that
# prefix: they must not load an ASan-instrumented library, and abidw needs debug info.
#   build-nosan-lib.sh SOURCE_DIR BUILD_DIR PREFIX [CMAKE_GENERATOR] [C_COMPILER] [CXX_COMPILER]
set -euo pipefail
src=$1 build=$2 prefix=$3
generator=${4:-}
cc=${5:-}
cxx=${6:-}
args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib
  -DTP_SANITIZE=OFF -DTP_TSAN=OFF -DTP_FUZZ=OFF -DTP_BUILD_TESTS=OFF -DTP_BUILD_SERVER=OFF
  -DTP_BUILD_LUA=OFF -DTP_BUILD_BENCH=OFF)
[ -n "$generator" ] && args+=(-G "$generator")
[ -n "$cc" ] && args+=(-DCMAKE_C_COMPILER="$cc")
[ -n "$cxx" ] && args+=(-DCMAKE_CXX_COMPILER="$cxx")
mkdir -p "$build"
exec 9>"$build.lock"
flock 9
# Sanitizer flags from the calling environment must not leak into this build.
unset CFLAGS CXXFLAGS LDFLAGS
cmake -S "$src" -B "$build" "${args[@]}" >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j"$(nproc)"
rm -rf "$prefix"
cmake --install "$build" >/dev/null
test -f "$prefix/include/turso_platform.h"
test -f "$prefix/lib/pkgconfig/turso_platform.pc"
echo "installed to $prefix"
