#!/usr/bin/env bash
# check.sh MODE: the whole run of one edition (EDITION), stage by stage,
# with the time each took.
#   main   make:           base, apply, both kernels, tests, boot both, KUnit,
#                          A/B report
#   check  make check:     base, Debian-patch overlap, apply, drift, tip kernel,
#                          per-patch gates (compile gates from the first patch
#                          that differs from the edition's record), tests, boot
#                          the tip, KUnit, the posting (b4, not sent), report
#                          against the recorded base run
#   all    make check-all: check with every patch compile-gated, the base
#                          kernel built and booted, and the records (gated,
#                          results/base-*) written into the edition
# RECORD=1 with a CONFIG_VARIANT (make check-all's debug run) records the
# run's report in the edition as results/VARIANT-report.md.
# A failing gate or test does not stop the run; a failing base, apply or
# build does (nothing after it could be trusted).  Writes OUT/verdict:
# "N passed, N failed, N skipped" (check-editions.sh adds them up).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=${1:-check}
case "$mode" in main | check | all) ;; *) die "usage: check.sh main|check|all" ;; esac
S=$REPO/scripts
mkdir -p "$OUT"
stages=$OUT/stages.results
: > "$stages"
rm -f "$OUT/gates.results" "$OUT/verdict" "$OUT/report.md" "$OUT"/*.results
rm -rf "$OUT/base/boot" "$OUT/patched/boot" "$OUT/base/kunit" "$OUT/patched/kunit"
t_all=$(date +%s)

run() { # run NAME FATAL CMD...: one stage
	local name=$1 fatal=$2 t0 rc=0
	shift 2
	echo "=== $EDITION: $name"
	t0=$(date +%s)
	"$@" || rc=$?
	printf '=== %s: %s: %s in %ss\n' "$EDITION" "$name" "$([ $rc = 0 ] && echo ok || echo "FAILED ($rc)")" "$(( $(date +%s) - t0 ))"
	printf 'stage/%s\t%s\t%ss\n' "$name" "$([ $rc = 0 ] && echo PASS || echo FAIL)" "$(( $(date +%s) - t0 ))" >> "$stages"
	if [ $rc != 0 ] && [ "$fatal" = fatal ]; then
		finish
		exit 1
	fi
	return 0
}
finish() {
	echo "=== $EDITION: stage times"
	awk -F'\t' '{printf "  %-22s %6s  %s\n", $1, $3, $2}' "$stages"
	echo "  total                  $(( $(date +%s) - t_all ))s"
	cat "$stages" >> "$OUT/gates.results"
	echo "=== $EDITION: verdict"
	python3 "$S/report.py" "$OUT" "$EDIR" --verdict | tee "$OUT/verdict.log" || true
	tail -1 "$OUT/verdict.log" > "$OUT/verdict"
	# make check-all's run of a config variant (the debug kernels): its
	# report, stage times and verdict recorded in the edition
	if [ "${RECORD:-0}" = 1 ] && [ -n "${CONFIG_VARIANT:-}" ]; then
		mkdir -p "$EDIR/results"
		{
			echo "<!-- CONFIG_VARIANT=$CONFIG_VARIANT scripts/check.sh $mode, $(date -u +%Y-%m-%d) -->"
			cat "$OUT/report.md"
			printf '\n## Stages\n\n'
			awk -F'\t' '{printf "- %s: %s, %s\n", $1, $2, $3}' "$stages"
			printf '\n## Verdict\n\n'
			cat "$OUT/verdict.log"
		} > "$EDIR/results/$CONFIG_VARIANT-report.md"
		log "recorded: ${EDIR#"$REPO"/}/results/$CONFIG_VARIANT-report.md (commit it)"
	fi
}
# The base's boot results: recorded in the edition (check), or run now and
# recorded in OUT/record (all, main: base_record in lib.sh).
base_recorded() {
	local r=$EDIR/results d=$OUT/base/boot
	mkdir -p "$d"
	if [ ! -f "$r/base-record" ]; then
		echo "no recorded base run in ${r#"$REPO"/} (make check-all EDITION=$EDITION writes one)" > "$d/recorded"
		return 0
	fi
	cp "$r/base-results.tsv" "$d/results.tsv"
	cp "$r/base-metrics.tsv" "$d/metrics.tsv" 2>/dev/null || : > "$d/metrics.tsv"
	{
		sed 's/^/recorded: /' "$r/base-record"
		want="base $(cat "$KSRC/.git/devmem-base-version" 2>/dev/null) tests $(tests_id)"
		have="base $(sed -n 's/^base-version //p' "$r/base-record") tests $(sed -n 's/^tests //p' "$r/base-record")"
		[ "$want" = "$have" ] || echo "stale: recorded for $have, this run is $want"
	} > "$d/recorded"
	log "base results: the run recorded in ${r#"$REPO"/}/base-record"
}

run base fatal "$S/base.sh"
[ "$mode" = main ] || run debian-patches nonfatal "$S/debian-patches.sh"
run apply fatal "$S/apply.sh"
[ "$mode" = main ] || run drift nonfatal "$S/drift.sh"
n=$(kgit rev-list --count "$(base_commit)..$(series_tip)")
if [ "$n" = 0 ]; then
	echo "=== $EDITION: the series has no patches: nothing to build, gate or boot"
	printf 'stage/build\tSKIP\tno patches\n' >> "$stages"
	finish
	exit 0
fi
run kernel-patched fatal "$S/build-kernel.sh" "$SERIES_BRANCH" "$OUT/patched"
if [ "$mode" = check ]; then
	run gates nonfatal "$S/gates.sh"
elif [ "$mode" = all ]; then
	run gates nonfatal env GATE_ALL=1 "$S/gates.sh"
fi
run selftests fatal tests_build
if [ "$mode" = check ]; then
	run base-recorded nonfatal base_recorded
else
	run kernel-base fatal "$S/build-kernel.sh" "$BASE_TAG" "$OUT/base"
	run boot-base nonfatal "$S/run-boot.sh" base
	run base-record nonfatal base_record
fi
run boot-patched nonfatal "$S/run-boot.sh" patched
# KUnit on the series only: the suites that prove the series are new in it,
# and the base's TTM suites are the base's (`make kunit` runs both trees).
run kunit-patched nonfatal "$S/kunit.sh" "$SERIES_BRANCH" "$OUT/patched/kunit"
# Posting, tested without sending (b4 prep, b4 send -o, the mails read back).
[ "$mode" = main ] || run post-check nonfatal "$S/post-check.sh"
run report nonfatal python3 "$S/report.py" "$OUT" "$EDIR"
if [ "$mode" = all ] && [ -f "$OUT/gated" ] && [ -f "$OUT/record/base-record" ]; then
	mkdir -p "$EDIR/results"
	cp "$OUT/gated" "$EDIR/gated"
	cp "$OUT/record/"* "$EDIR/results/"
	log "records written: ${EDIR#"$REPO"/}/gated and ${EDIR#"$REPO"/}/results/ (commit them)"
fi
finish
