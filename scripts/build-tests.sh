#!/usr/bin/env bash
# build-tests.sh SRC BUILD_DIR TESTS_DIR: build the kselftests of the
# edition's tests/selftests.list statically from the source tree SRC (with
# the uapi headers of BUILD_DIR, a build of SRC) into TESTS_DIR.  A selftest directory the tree
# does not have is skipped: the series adds it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 3 ] || die "usage: build-tests.sh SRC BUILD_DIR TESTS_DIR"
src=$1 b=$2 t=$3
[ -f "$b/.config" ] || die "$b has no .config"
kmake "$src" "$b" headers >/dev/null
rm -rf "$t"
mkdir -p "$t/obj"
st=$src/tools/testing/selftests
n=0
while read -r dir bin; do
	if [ ! -f "$st/$dir/Makefile" ]; then
		log "tools/testing/selftests/$dir: not in this tree, $bin skipped"
		continue
	fi
	mkdir -p "$t/obj/$dir"
	if ! make -s -C "$st/$dir" OUTPUT="$t/obj/$dir" top_srcdir="$src" \
		KHDR_INCLUDES="-isystem $b/usr/include" LDFLAGS=-static \
		"$t/obj/$dir/$bin" > "$t/obj/$bin.log" 2>&1; then
		cat "$t/obj/$bin.log" >&2
		die "cannot build selftest $dir/$bin"
	fi
	file -b "$t/obj/$dir/$bin" | grep -q 'statically linked' || die "$dir/$bin is not statically linked"
	cp "$t/obj/$dir/$bin" "$t/$bin"
	n=$((n + 1))
done < <(list_file "$ETESTS/selftests.list")
rm -rf "$t/obj"
log "$n selftests built into $t"
