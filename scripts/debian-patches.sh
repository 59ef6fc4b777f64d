#!/usr/bin/env bash
# debian-patches.sh: does the edition's series also apply to the vanilla
# kernel its Debian base is built on?  Takes Debian's own patch list from
# the kernel source package of the pinned linux-source binary (its
# debian.tar.xz, through the private apt list), reverse-applies every
# Debian patch that touches a file of the series to the base's copy of
# those files (newest first), which gives the vanilla files, and runs
# `quilt push -a --fuzz=0` of the series on them.  When the mirror does not
# serve the pinned source package, the newest version of the same source
# package it serves is used and the result says so (an approximation:
# Debian's patch list changes little between uploads).
# Writes OUT/debian-patches.results and prints one line; exits 1 when the
# series does not apply to the vanilla files.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
check_series
base=$(base_commit)
res=$OUT/debian-patches.results
mkdir -p "$OUT"
result() { printf 'debian/vanilla-apply\t%s\t%s\n' "$1" "$2" > "$res"; log "$2"; }
mapfile -t patches < <(series_list)
if [ ${#patches[@]} = 0 ]; then
	result PASS "no patches: nothing to apply"
	exit 0
fi
A=$REPO/scripts/apt-private.sh
src=$("$A" cache show "$BASE_PKG=$BASE_PKG_VERSION" 2>/dev/null | sed -n 's/^Source: *//p' | head -1)
src=${src%% *}
[ -n "$src" ] || src=linux
d=$CACHE/debian-src
mkdir -p "$d"
# The source versions to try: the pinned one, then the newest of the same
# source package and kernel version that the mirror has.
mapfile -t versions < <({
	echo "$BASE_PKG_VERSION"
	"$A" cache showsrc "$src" 2>/dev/null | sed -n 's/^Version: //p' | grep -F "${BASE_KVER}." | sort -uVr
	"$A" cache showsrc "$src" 2>/dev/null | sed -n 's/^Version: //p' | grep -F "${BASE_KVER%.*}." | sort -uVr
} | awk '!seen[$0]++')
tarball="" used=""
for v in "${versions[@]}"; do
	f=$d/${src}_${v//:/%3a}.debian.tar.xz
	if [ ! -s "$f" ]; then
		(cd "$d" && "$A" -qq source --download-only --diff-only "$src=$v" >/dev/null 2>&1) || true
		rm -f "$d"/*.dsc
	fi
	if [ -s "$f" ]; then
		tarball=$f used=$v
		break
	fi
done
if [ -z "$tarball" ]; then
	result SKIP "the mirror serves no debian.tar.xz of $src ${BASE_KVER}.x: Debian's patch list cannot be checked"
	exit 0
fi
approx=""
[ "$used" = "$BASE_PKG_VERSION" ] || approx=" (the mirror does not serve $src $BASE_PKG_VERSION's source: Debian's patch list of $used, an approximation)"

t=$(mktemp -d "${TMPDIR:-/tmp}/devmem-vanilla.XXXXXX")
trap 'rm -rf "$t"' EXIT
tar -C "$t" -xJf "$tarball" debian/patches
mapfile -t touched < <(series_touched)
mkdir -p "$t/tree"
for f in "${touched[@]}"; do
	if kgit cat-file -e "$base:$f" 2>/dev/null; then
		mkdir -p "$t/tree/$(dirname "$f")"
		kgit show "$base:$f" > "$t/tree/$f"
	fi
done
# Debian's patches that touch a file of the series, in series order.
hits=()
while read -r p; do
	pf=$t/debian/patches/$p
	[ -f "$pf" ] || continue
	for f in "${touched[@]}"; do
		if grep -qE "^\+\+\+ [^/[:space:]]+/$(printf '%s' "$f" | sed 's/[.+]/\\&/g')([[:space:]]|$)" "$pf"; then
			hits+=("$p")
			break
		fi
	done
done < <(list_file "$t/debian/patches/series" | awk '{print $1}')
# Reverse-apply them, newest first, to the files of the series only.
incl=()
for f in "${touched[@]}"; do incl+=(--include="$f"); done
for ((i = ${#hits[@]} - 1; i >= 0; i--)); do
	p=${hits[$i]}
	if ! (cd "$t/tree" && git apply -R -p1 "${incl[@]}" "$t/debian/patches/$p") > "$t/rev.log" 2>&1; then
		result FAIL "Debian's $p does not reverse-apply to the base's files$approx: $(head -1 "$t/rev.log")"
		exit 1
	fi
done
names=$(printf '%s ' "${hits[@]}")
if out=$(cd "$t/tree" && QUILT_PATCHES="$EDIR/patches" QUILT_SERIES="$EDIR/series" quilt push -a --fuzz=0 2>&1); then
	result PASS "the ${#patches[@]} patches apply with quilt --fuzz=0 to vanilla $BASE_UPSTREAM (the base without Debian's ${#hits[@]} patches that touch the series' files${names:+: ${names% }})$approx"
else
	failed=$(printf '%s\n' "$out" | sed -n 's/^Applying patch //p' | tail -1)
	printf '%s\n' "$out" | awk '/^Applying patch /{b=""} {b = b $0 "\n"} END{printf "%s", b}' | grep -vE '^(Applying patch|$)' | head -20 | sed 's/^/    /' >&2
	result FAIL "${failed##*/} does not apply with --fuzz=0 to vanilla $BASE_UPSTREAM (Debian's ${names% } reverted)$approx"
	exit 1
fi
