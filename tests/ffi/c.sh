#!/usr/bin/env bash
# Builds examples/c against the installed library, once with its Makefile (pkg-config) and once
# with its CMakeLists.txt (find_package), and runs both against the turso-local of with_server.py.
# A third build with AddressSanitizer runs the example's success and failure paths: a failed call
# used to free its result twice.
source "$(dirname "$0")/lib.sh"
work=$TP_WORK_DIR/c
rm -rf "$work" && mkdir -p "$work/make" "$work/cmake" "$work/asan"

make -s -f "$TP_SOURCE_DIR/examples/c/Makefile" OUT="$work/make"
cmake -S "$TP_SOURCE_DIR/examples/c" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$TP_PREFIX" >/dev/null
cmake --build "$work/cmake" >/dev/null

check_example make ffi-c-make "$("$work/make/databases" ffi-c-make)"
check_example cmake ffi-c-cmake "$("$work/cmake/databases" ffi-c-cmake)"
# Both link the shared library of the prefix.
for bin in "$work/make/databases" "$work/cmake/databases"; do
    [[ $(ldd "$bin") == *"libturso_platform.so.0 => $TP_PREFIX/lib/"* ]] || { ldd "$bin"; exit 1; }
done

# The example with ASan and UBSan (the library stays uninstrumented; ASan still sees its frees).
# Without a sanitizer runtime the plain build runs the failure paths: glibc aborts a double free.
san=-fsanitize=address,undefined
if make -s -f "$TP_SOURCE_DIR/examples/c/Makefile" OUT="$work/asan" \
    CFLAGS="-O1 -g -fno-omit-frame-pointer $san" LDFLAGS="$san" >"$work/asan/build.log" 2>&1; then
    bin=$work/asan/databases
else
    cat "$work/asan/build.log"
    echo "no sanitizer runtime: the failure paths run the plain build"
    bin=$work/make/databases
fi
# exitcode=86: a sanitizer report must not pass for the example's own status 1.
export ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
check_example asan ffi-c-asan "$("$bin" ffi-c-asan)"

# The failure paths: each failed call's result is freed once.
expect_failure c-wrong-token '^databases\.create failed: TP_E_UNAUTHORIZED \(HTTP 401\): .+$' \
    env TURSO_API_TOKEN=not-the-token "$bin" ffi-c-fail
expect_failure c-unknown-org '^databases\.create failed: TP_E_NOT_FOUND \(HTTP 404\): .*no-such-org' \
    env TURSO_ORG=no-such-org "$bin" ffi-c-fail
expect_failure c-bad-base-url \
    '^the environment: TURSO_API_BASEURL: the URL must start with http:// or https:// and a host$' \
    env TURSO_API_BASEURL=localhost:8080 "$bin" ffi-c-fail
echo "examples/c: all three builds passed"
