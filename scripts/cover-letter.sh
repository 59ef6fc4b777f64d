#!/usr/bin/env bash
# cover-letter.sh: write cover-letter.txt (the 0/N mail) from
# cover-letter.in (the hand-written motivation) and the applied series in
# KSRC (make apply first): patch count, shortlog, diffstat, base.  The
# measurements come from OUT/report.md when a run left one.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
check_series
base=$(base_commit)
tip=$(series_tip)
n=$(kgit rev-list --count "$base..$tip")
[ "$n" = "$(series_list | wc -l)" ] || die "$SERIES_BRANCH has $n commits, series lists $(series_list | wc -l): run 'make apply' first"
tmpl=$REPO/cover-letter.in
[ -f "$tmpl" ] || die "no $tmpl"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kgit shortlog --no-merges "$base..$tip" > "$tmp/shortlog"
kgit diff --stat=72 --summary "$base" "$tip" > "$tmp/diffstat"
echo "$BASE_UPSTREAM (Debian $BASE_PKG $BASE_PKG_VERSION: $BASE_UPSTREAM plus Debian patches)" > "$tmp/base"
if [ -f "$OUT/report.md" ]; then
	awk '/^## Measurements/{p=1;next} /^## /{p=0} p' "$OUT/report.md" | sed '/^$/d' > "$tmp/measure"
fi
[ -s "$tmp/measure" ] || echo "(no measurements yet: run 'make check')" > "$tmp/measure"

awk -v n="$n" -v d="$tmp" '
function cat(f,   l) { while ((getline l < f) > 0) print l; close(f) }
/@SHORTLOG@/ { cat(d "/shortlog"); next }
/@DIFFSTAT@/ { cat(d "/diffstat"); next }
/@BASE@/ { cat(d "/base"); next }
/@MEASUREMENTS@/ { cat(d "/measure"); next }
{ gsub(/@N@/, n); print }' "$tmpl" > "$REPO/cover-letter.txt"
log "cover-letter.txt: $n patches"
