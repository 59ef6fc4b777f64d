#!/usr/bin/env bash
# check.sh [main]: the whole run, stage by stage, with the time each took.
#   check.sh       make check: + shellcheck and the per-patch gates
#   check.sh main  make:       fetch, apply, build, boot, run, A/B report
# A failing gate or test does not stop the run; a failing base, apply or
# build does (nothing after it could be trusted).  Ends with the verdict,
# whose last line is "N passed, N failed, N skipped".
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=${1:-check}
S=$REPO/scripts
mkdir -p "$OUT"
stages=$OUT/stages.results
: > "$stages"
rm -f "$OUT/gates.results"
rm -rf "$OUT/base/boot" "$OUT/patched/boot" "$OUT/probe/boot" "$OUT/base/kunit" "$OUT/patched/kunit"
t_all=$(date +%s)

run() { # run NAME FATAL CMD...: one stage
	local name=$1 fatal=$2 t0 rc=0
	shift 2
	echo "=== $name"
	t0=$(date +%s)
	"$@" || rc=$?
	printf '=== %s: %s in %ss\n' "$name" "$([ $rc = 0 ] && echo ok || echo "FAILED ($rc)")" "$(( $(date +%s) - t0 ))"
	printf 'stage/%s\t%s\t%ss\n' "$name" "$([ $rc = 0 ] && echo PASS || echo FAIL)" "$(( $(date +%s) - t0 ))" >> "$stages"
	if [ $rc != 0 ] && [ "$fatal" = fatal ]; then
		finish
		exit 1
	fi
	return 0
}
finish() {
	echo "=== stage times"
	awk -F'\t' '{printf "  %-22s %6s  %s\n", $1, $3, $2}' "$stages"
	echo "  total                  $(( $(date +%s) - t_all ))s"
	cat "$stages" >> "$OUT/gates.results"
	echo "=== verdict"
	python3 "$S/report.py" "$OUT" "$REPO" --verdict
}

run deps fatal "$S/deps.sh"
[ "$mode" = check ] && run shellcheck nonfatal bash -c "cd '$REPO' && shellcheck scripts/*.sh tests/*.sh .ci/run"
run base fatal "$S/base.sh"
run apply fatal "$S/apply.sh"
[ "$mode" = check ] && run gates nonfatal "$S/gates.sh"
run kernel-base fatal "$S/build-kernel.sh" "$BASE_TAG" "$OUT/base"
run kernel-patched fatal "$S/build-kernel.sh" "$SERIES_BRANCH" "$OUT/patched"
run selftests fatal bash -c "git -C '$KSRC' checkout -q -f '$SERIES_BRANCH' && '$S/build-tests.sh' '$OUT/patched/build' '$OUT/tests' && '$S/initramfs.sh' '$OUT/tests' '$OUT/initramfs.cpio.gz'"
run boot-base nonfatal "$S/run-boot.sh" base
run boot-patched nonfatal "$S/run-boot.sh" patched
# KUnit on the series only: the suites that prove the series are new in it,
# and the base's TTM suites are the base's (`make kunit` runs both trees).
run kunit-patched nonfatal "$S/kunit.sh" "$SERIES_BRANCH" "$OUT/patched/kunit"
run report nonfatal python3 "$S/report.py" "$OUT" "$REPO"
finish
