#!/bin/sh
# Prints the link flags for a pkg-config package (default turso_platform), preferring static
# archives. It follows the dependencies: every -lNAME of `pkg-config --static --libs` that has a
# .pc file of its own (libNAME.pc or NAME.pc) adds that package's static flags too, because
# libcurl.pc lists its libraries without their own dependencies. Then each -lNAME becomes
# -l:libNAME.a when that archive exists in the -L directories or the compiler's library path,
# and stays -lNAME (shared) otherwise. Stay shared in any case: the C library and its parts,
# and the few libraries whose Debian archives are not usable for static linking (see README.md).
#   static-libs.sh [PACKAGE]        (CC selects the compiler asked for its search path)
set -eu
pkg=${1:-turso_platform}
always_shared=" c m dl pthread rt resolv util gcc_s atomic sasl2 gssapi_krb5 "

flags=$(pkg-config --static --libs "$pkg")
seen=" "
todo=$flags
while [ -n "$todo" ]; do
    next=""
    for f in $todo; do
        case "$f" in -l*) ;; *) continue ;; esac
        name=${f#-l}
        case "$seen" in *" $name "*) continue ;; esac
        seen="$seen$name "
        case "$always_shared" in *" $name "*) continue ;; esac
        for m in "lib$name" "$name"; do
            if pkg-config --exists "$m" 2>/dev/null; then
                more=$(pkg-config --static --libs "$m")
                flags="$flags $more"
                next="$next $more"
                break
            fi
        done
    done
    todo=$next
done

dirs=$(${CC:-cc} -print-search-dirs | sed -n 's/^libraries: =//p' | tr ':' ' ')
for f in $flags; do
    case "$f" in -L*) dirs="${f#-L} $dirs" ;; esac
done
out=""
done_=" "
for f in $flags; do
    case "$done_" in *" $f "*) continue ;; esac
    done_="$done_$f "
    case "$f" in
    -l*)
        name=${f#-l}
        found=""
        case "$always_shared" in
        *" $name "*) ;;
        *) for d in $dirs; do
            if [ -f "$d/lib$name.a" ]; then found=yes; break; fi
        done ;;
        esac
        if [ -n "$found" ]; then out="$out -l:lib$name.a"; else out="$out $f"; fi
        ;;
    *) out="$out $f" ;;
    esac
done
# Static archives need their dependencies after them; a group lets the linker revisit them.
echo "-Wl,--start-group$out -Wl,--end-group"
