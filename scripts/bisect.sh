#!/usr/bin/env bash
# bisect.sh: the whole incremental build after every patch, as the 0-day bot
# does it: for each commit of devmem/base..devmem/series in KSRC, make
# bzImage with the boot config in OUT/bisect/build (configured again at the
# base, the tip, strictly, and every patch that touches a Kconfig file).
# A header patch rebuilds everything that includes the header: on two cores
# this takes longer than the CI budget, so `make check` compiles per patch
# only what each patch touches (scripts/gates.sh) and this runs on its own.
# Writes OUT/bisect.results; exits 1 if any patch does not build.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
base=$(base_commit)
tip=$(series_tip)
d=$OUT/bisect/build
results=$OUT/bisect.results
mkdir -p "$d"
: > "$results"
mapfile -t commits < <(kgit rev-list --reverse "$base..$tip")
if [ ${#commits[@]} = 0 ]; then
	log "$EDITION: no patches, nothing to bisect"
	exit 0
fi
fails=0 i=0
for c in "$base" "${commits[@]}"; do
	t0=$(date +%s)
	w=$(wt_path bisect "$c")
	strict=0
	[ "$c" = "$tip" ] && strict=1
	rc=0
	if [ "$c" = "$base" ] || [ $strict = 1 ] || touches_kconfig "$c"; then
		STRICT=$strict "$REPO/scripts/config.sh" "$w" "$d" ${CONFIG_VARIANT:+"$CONFIG_VARIANT"} > "$OUT/bisect/config.log" 2>&1 || rc=$?
	fi
	[ $rc != 0 ] || kmake "$w" "$d" bzImage > "$OUT/bisect/build.log" 2>&1 || rc=$?
	if [ $rc = 0 ]; then v=PASS; else v=FAIL; fails=$((fails + 1)); fi
	tag=$(printf '%02d' "$i")
	printf 'bisect/%s\t%s\t%ss\n' "$tag" "$v" "$(( $(date +%s) - t0 ))" >> "$results"
	printf '[%s/%02d] %s %4ss %s\n' "$tag" "${#commits[@]}" "$v" "$(( $(date +%s) - t0 ))" "$(kgit log -1 --format=%s "$c")"
	if [ $v != PASS ]; then
		grep -hE '(error|warning):|\*\*\*' "$OUT/bisect/build.log" "$OUT/bisect/config.log" | head -20 | sed 's/^/    /' || true
	fi
	i=$((i + 1))
done
log "${#commits[@]} patches; $fails did not build (OUT/bisect.results)"
[ $fails = 0 ]
