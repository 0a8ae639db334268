# Shared by the ABI scripts (sourced): how the dynamic symbol list and the abidw description are
# made, so that the checks and update-baseline.sh always agree.
set -euo pipefail

# exported_symbols LIB: the defined dynamic symbols, one per line, sorted ("NAME" or
# "NAME@@VERSION" as nm prints them).
exported_symbols() {
    nm -D --defined-only "$1" | awk 'NF >= 3 { print $3 }' | LC_ALL=C sort -u
}

# abi_dump LIB INCLUDE_DIR OUT: the ABI of LIB as abidw sees it through the public header only
# (--exported-interfaces-only: the tp_* functions and the types they reach, so the handles stay
# declaration-only, as opaque as in the header), without source locations or absolute paths, so
# that the file does not depend on where the tree was checked out.
abi_dump() {
    abidw --headers-dir "$2" --drop-private-types --exported-interfaces-only --no-corpus-path \
        --no-comp-dir-path --no-show-locs --type-id-style hash --out-file "$3.tmp" "$1"
    sed -E "s#path='[^']*/((capi|src|include)/[^']*)'#path='\1'#" "$3.tmp" >"$3"
    rm -f "$3.tmp"
}
