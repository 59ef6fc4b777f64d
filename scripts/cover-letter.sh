#!/usr/bin/env bash
# cover-letter.sh: write the edition's cover-letter.txt (the 0/N mail) from
# its cover-letter.in (the hand-written text) and the applied series in
# KSRC (make apply first): patch count, shortlog, diffstat, base, and the
# measurements of the edition's last report (OUT/report.md) and, for
# @CHANGES@, the edition's changes-since-v1.txt.  Refuses to run without a
# report rather than drop the measurements.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
check_series
base=$(base_commit)
tip=$(series_tip)
n=$(kgit rev-list --count "$base..$tip")
[ "$n" = "$(series_list | wc -l)" ] || die "$SERIES_BRANCH has $n commits, series lists $(series_list | wc -l): run 'make apply EDITION=$EDITION' first"
tmpl=$EDIR/cover-letter.in
letter=$EDIR/cover-letter.txt
[ -f "$tmpl" ] || die "no $tmpl"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kgit shortlog --no-merges "$base..$tip" > "$tmp/shortlog"
kgit diff --stat=72 --summary "$base" "$tip" > "$tmp/diffstat"
ver=$(cat "$KSRC/.git/devmem-base-version" 2>/dev/null || echo "$BASE_PKG $BASE_PKG_VERSION")
echo "$BASE_UPSTREAM (Debian $ver: $BASE_UPSTREAM plus Debian patches)" > "$tmp/base"
if [ -f "$OUT/report.md" ]; then
	awk '/^## Measurements/{p=1;next} /^## /{p=0} p' "$OUT/report.md" | sed '/^$/d' > "$tmp/measure"
	[ -s "$tmp/measure" ] || echo "(none: the last run of this edition measured nothing)" > "$tmp/measure"
else
	die "no $OUT/report.md: run 'make check EDITION=$EDITION' first (the letter keeps its measurements)"
fi
# The answers to the review of the previous version, where the edition has them.
if grep -q '@CHANGES@' "$tmpl"; then
	[ -s "$EDIR/changes-since-v1.txt" ] || die "$tmpl asks for @CHANGES@, but there is no ${EDIR#"$REPO"/}/changes-since-v1.txt"
	cp "$EDIR/changes-since-v1.txt" "$tmp/changes"
fi
for f in "$tmp"/*; do [ -s "$f" ] || echo "(none)" > "$f"; done

awk -v n="$n" -v d="$tmp" '
function cat(f,   l) { while ((getline l < f) > 0) print l; close(f) }
/@SHORTLOG@/ { cat(d "/shortlog"); next }
/@DIFFSTAT@/ { cat(d "/diffstat"); next }
/@BASE@/ { getline b < (d "/base"); close(d "/base"); gsub(/@BASE@/, b); print; next }
/@MEASUREMENTS@/ { cat(d "/measure"); next }
/@CHANGES@/ { cat(d "/changes"); next }
{ gsub(/@N@/, n); print }' "$tmpl" > "$tmp/letter"
mv "$tmp/letter" "$letter"
log "${letter#"$REPO"/}: $n patches"
