#!/usr/bin/env bash
# Compiles version.c against the installed header and library (shared and static), runs it.
#   check-version.sh PREFIX CC CXX WORK_DIR
set -euo pipefail
prefix=$1 cc=$2 cxx=$3 work=$4
here=$(dirname "$0")
mkdir -p "$work"
unset CFLAGS CXXFLAGS LDFLAGS
"$cc" -std=c99 -Wall -Werror -I"$prefix/include" -o "$work/version" "$here/version.c" \
    -L"$prefix/lib" -lturso_platform -Wl,-rpath,"$prefix/lib"
[[ $(ldd "$work/version") == *"libturso_platform.so.0 => $prefix/lib/"* ]] || { ldd "$work/version"; exit 1; }
"$work/version"
# The SONAME carries the major version.
soname=$(readelf -d "$prefix/lib/libturso_platform.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
major=$(sed -n 's/^#define TP_VERSION_MAJOR \([0-9]*\).*/\1/p' "$prefix/include/turso_platform.h")
[ "$soname" = "libturso_platform.so.$major" ] || { echo "SONAME $soname, expected libturso_platform.so.$major"; exit 1; }
echo "SONAME $soname"
# The same check against the static archive.
"$cc" -std=c99 -Wall -Werror -I"$prefix/include" -c -o "$work/version.o" "$here/version.c"
"$cxx" -o "$work/version-static" "$work/version.o" \
    $(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --static --libs turso_platform | sed 's/-lturso_platform/-l:libturso_platform.a/')
"$work/version-static"
