#!/usr/bin/env bash
# drift.sh: does the edition's series still apply to the newest upload of
# its base package in the base's suite (for 6.12: the bookworm-security
# candidate), when that is newer than the pin?  quilt push -a --fuzz=0 on
# the candidate's copy of the files the series touches.  Writes one row,
# OUT/drift.results: PASS (applies), DRIFT (the first patch that does not,
# and its hunk: counted as skipped, so that CI does not fail the day Debian
# moves) or SKIP (the pin is the newest).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_series
res=$OUT/drift.results
mkdir -p "$OUT"
row() { printf 'drift/%s\t%s\t%s\n' "$BASE_PKG" "$1" "$2" > "$res"; log "$2"; }
A=$REPO/scripts/apt-private.sh
cand=$("$A" cache madison "$BASE_PKG" | awk -F' [|] ' -v s=" $BASE_SUITE/" 'index($3, s) {gsub(/ /, "", $2); print $2}' | sort -Vr | head -1)
if [ -z "$cand" ]; then
	row SKIP "$BASE_PKG is not in $BASE_SUITE any more: nothing to compare with"
	exit 0
fi
if ! dpkg --compare-versions "$cand" gt "$BASE_PKG_VERSION"; then
	row SKIP "the pin $BASE_PKG_VERSION is the newest $BASE_PKG in $BASE_SUITE"
	exit 0
fi
mapfile -t patches < <(series_list)
debs=$CACHE/debs
mkdir -p "$debs"
deb=$debs/${BASE_PKG}_${cand//:/%3a}_all.deb
[ -s "$deb" ] || (cd "$debs" && "$A" -qq download "$BASE_PKG=$cand") >/dev/null 2>&1 ||
	{ row SKIP "cannot download $BASE_PKG $cand"; exit 0; }
t=$(mktemp -d "${TMPDIR:-/tmp}/devmem-drift.XXXXXX")
trap 'rm -rf "$t"' EXIT
mapfile -t touched < <(series_touched)
members=()
for f in "${touched[@]}"; do members+=("$BASE_PKG/$f"); done
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$BASE_PKG.tar.xz" |
	tar -C "$t" -xJf - --ignore-failed-read "${members[@]}" 2>/dev/null || true
mkdir -p "$t/$BASE_PKG"
if out=$(cd "$t/$BASE_PKG" && QUILT_PATCHES="$EDIR/patches" QUILT_SERIES="$EDIR/series" quilt push -a --fuzz=0 2>&1); then
	row PASS "the ${#patches[@]} patches also apply with quilt --fuzz=0 to $BASE_PKG $cand, the newest in $BASE_SUITE"
else
	failed=$(printf '%s\n' "$out" | sed -n 's/^Applying patch //p' | tail -1)
	hunk=$(printf '%s\n' "$out" | grep -E 'FAILED|can.t find file' | head -2 | paste -sd';' -)
	row DRIFT "$BASE_PKG $cand (newer than the pin $BASE_PKG_VERSION): ${failed##*/} does not apply with --fuzz=0: $hunk"
fi
