#!/usr/bin/env bash
# Per-patch gates, like the 0-day bot and the maintainers, for every patch
# of devmem/base..devmem/series of the edition, in order; each gate is a
# script of its own:
#   msg         the commit message rules (scripts/msg-gate.sh)
#   checkpatch  checkpatch.pl --strict, and a MAINTAINERS entry for every
#               new file (scripts/checkpatch-gate.sh)
#   kdoc        kernel-doc -none -Wall on touched .c/.h, new warnings only
#               (scripts/kdoc-gate.sh)
#   build, build-X, sparse   touched-object builds with the boot config and
#               the extra configs, and sparse (scripts/compile-gate.sh)
# and on the final tree, against the base: W=1 and coccicheck on every .c
# file the series touches (scripts/final-gate.sh).
#
# The compile gates cost most of the time.  The edition's "gated" file
# records the patch-ids of the last series that passed every gate at every
# patch; the compile gates start at the first patch that differs from that
# record (a v2 is gated from its first new patch, as the bots do), and the
# patches before it say so.  GATE_ALL=1 gates every patch and, when all
# pass, writes OUT/gated, the new record (`make check-all` copies it into
# the edition).  The object lists come from the tip's whole build: run the
# kernels stage first.  A whole incremental build after every patch is
# `make bisect`.
# Writes one verdict line per patch and OUT/gates.results.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/gate-lib.sh
. "$(dirname "$0")/gate-lib.sh"

check_ksrc
results=$OUT/gates.results
: > "$results"
rm -f "$OUT/gated"
base=$(base_commit)
tip=$(series_tip)
mapfile -t commits < <(kgit rev-list --reverse "$base..$tip")
total=${#commits[@]}
if [ "$total" = 0 ]; then
	log "$EDITION: no patches, nothing to gate"
	exit 0
fi
gate_init
find "$R" -maxdepth 1 -type f -delete

# The first patch the compile gates check: the first that differs from the
# edition's record (GATE_ALL=1: the first patch).
pid_of() { kgit show "$1" | git patch-id --stable | cut -d' ' -f1; }
base_version() { cat "$KSRC/.git/devmem-base-version" 2>/dev/null || echo "$BASE_PKG $BASE_PKG_VERSION"; }
first=1
if [ "${GATE_ALL:-0}" != 1 ]; then
	rec=$EDIR/gated
	if [ ! -f "$rec" ]; then
		log "no record of a gated series ($rec): every patch is compile-gated"
	elif [ "$(sed -n 's/^base //p' "$rec")" != "$(base_version)" ]; then
		log "the record $rec is for another base: every patch is compile-gated"
	else
		mapfile -t recorded < <(sed -n 's/^\([0-9a-f]\{40\}\) .*/\1/p' "$rec")
		first=$((total + 1))
		for ((i = 0; i < total; i++)); do
			if [ "${recorded[$i]:-}" != "$(pid_of "${commits[$i]}")" ]; then
				first=$((i + 1))
				break
			fi
		done
		if [ $first -gt "$total" ]; then
			log "patches 1-$total are the ones recorded as gated in ${rec#"$REPO"/}: compile gates on the tip only"
		elif [ $first -gt 1 ]; then
			log "patches 1-$((first - 1)) are the ones recorded as gated in ${rec#"$REPO"/}: compile gates from patch $first"
		fi
	fi
fi

fails=0
i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	subj=$(kgit log -1 --format=%s "$c")
	tag=$(printf '%02d' "$i")
	if "$REPO/scripts/msg-gate.sh" "$c" > "$R/$tag.msg" 2>&1; then v_msg=ok; else v_msg=FAIL; fi
	if "$REPO/scripts/checkpatch-gate.sh" "$c" > "$R/$tag.checkpatch" 2>&1; then v_cp=ok; else v_cp=FAIL; fi
	if "$REPO/scripts/kdoc-gate.sh" "$c" > "$R/$tag.kdoc" 2>&1; then
		v_kd="ok($(sed -n 's/^kdoc: \([0-9]*\) files$/\1/p' "$R/$tag.kdoc"))"
	else
		v_kd=FAIL
	fi

	v_compile="build=-       sparse=-     "
	: > "$R/$tag.compile"
	if [ $i -ge $first ] || [ "$c" = "$tip" ]; then
		strict=0
		[ "$c" = "$tip" ] && strict=1
		# the .config is made again at the first compile-gated patch,
		# at the tip (strict) and after a Kconfig change
		reconf=0
		if [ $i = "$first" ] || { [ $first -gt "$total" ] && [ "$c" = "$tip" ]; } || [ $strict = 1 ] || touches_kconfig "$c"; then
			reconf=1
		fi
		"$REPO/scripts/compile-gate.sh" "$c" "$tag" "$reconf" "$strict" > "$R/$tag.compile" 2>&1 || fails=$((fails + 1))
		v_compile=$(head -1 "$R/$tag.compile")
	else
		printf 'gate/%s/build\tSKIP\ngate/%s/sparse\tSKIP\n' "$tag" "$tag" >> "$results"
	fi

	printf '[%s/%02d] msg=%-4s checkpatch=%-4s kdoc=%-6s %s %s\n' "$tag" "$total" \
		"$v_msg" "$v_cp" "$v_kd" "$v_compile" "$subj"
	for g in msg:$v_msg checkpatch:$v_cp kdoc:$v_kd; do
		case ${g#*:} in
		FAIL) printf 'gate/%s/%s\tFAIL\n' "$tag" "${g%%:*}" >> "$results"; fails=$((fails + 1)) ;;
		*) printf 'gate/%s/%s\tPASS\n' "$tag" "${g%%:*}" >> "$results" ;;
		esac
	done
	if [ "$v_msg" != ok ]; then sed 's/^/    /' "$R/$tag.msg" | tail -20; fi
	if [ "$v_cp" != ok ]; then sed 's/^/    /' "$R/$tag.checkpatch" | tail -40; fi
	if [ "$v_kd" = FAIL ]; then sed 's/^/    /' "$R/$tag.kdoc" | tail -40; fi
	tail -n +2 "$R/$tag.compile"
done
if [ $first -gt 1 ] && [ $first -le "$total" ]; then
	log "compile gates ran from patch $first: patches 1-$((first - 1)) are unchanged since they were gated whole"
elif [ $first -gt "$total" ]; then
	log "compile gates ran on the tip only: every patch is unchanged since it was gated whole"
fi

"$REPO/scripts/final-gate.sh" || fails=$((fails + 1))

# The series' .c files that no gate config compiles (KUnit suites: the
# kunit stage; tools/: the selftest build).
nc=()
for f in "${series_all_c[@]}"; do
	case "$f" in tools/*) continue ;; esac
	objdir_of "$f" > /dev/null && continue
	for x in "${extras[@]}"; do in_extra "$x" "$f" && continue 2; done
	nc+=("$f")
done
[ ${#nc[@]} = 0 ] || log "compiled by no gate config: ${nc[*]}"
log "$EDITION: $total patches; $(grep -c 'FAIL$' "$results" || true) gate failures (details in $R)"
if [ $fails = 0 ] && [ $first = 1 ]; then
	{
		echo "# The series as last gated whole (every gate at every patch): the"
		echo "# compile gates of make check start at the first patch that differs."
		echo "# Written by scripts/gates.sh (GATE_ALL=1, make check-all); patch-id --stable."
		echo "base $(base_version)"
		for c in "${commits[@]}"; do echo "$(pid_of "$c") $(kgit log -1 --format=%s "$c")"; done
	} > "$OUT/gated"
fi
[ $fails = 0 ]
