#!/usr/bin/env bash
# check-editions.sh MODE: scripts/check.sh MODE (main, check or all) for
# every edition of EDITIONS (default: mainline 6.12), after the Debian
# packages and, for check and all, shellcheck.  Ends with the sum of the
# editions' verdicts, "N passed, N failed, N skipped", and exits 1 if
# anything failed.
set -euo pipefail
# What the user gave for one edition (lib.sh fills in the default
# edition's tree and pin, which are not the other edition's).
user_ksrc=${KSRC:-} user_ksrc_base=${KSRC_BASE:-} user_ver=${BASE_PKG_VERSION:-}
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=${1:-check}
case "$mode" in main | check | all) ;; *) die "usage: check-editions.sh main|check|all" ;; esac
editions=${EDITIONS:-$EDITIONS_ALL}
for e in $editions; do
	case " $EDITIONS_ALL " in *" $e "*) ;; *) die "unknown edition '$e' (one of: $EDITIONS_ALL)" ;; esac
done
if [ -n "$user_ksrc$user_ksrc_base$user_ver" ] && [ "$(wc -w <<< "$editions")" -gt 1 ]; then
	die "KSRC, KSRC_BASE and BASE_PKG_VERSION are one edition's: name the edition too (EDITION=mainline or EDITION=6.12)"
fi
t0=$(date +%s)
passed=0 failed=0 skipped=0
count() { # count NAME PASS|FAIL: one result of this script's own
	case "$2" in PASS) passed=$((passed + 1)) ;; *) failed=$((failed + 1)); echo "FAIL $1" ;; esac
}
echo "=== deps"
if "$REPO/scripts/deps.sh"; then count deps PASS; else count deps FAIL; echo "$failed failed"; exit 1; fi
if [ "$mode" != main ]; then
	echo "=== shellcheck"
	if (cd "$REPO" && shellcheck scripts/*.sh tests/*.sh tests/guest/*.sh .ci/run); then count shellcheck PASS; else count shellcheck FAIL; fi
	# the TuxSuite plans and the KernelCI request validate (offline; never submitted here)
	for e in $editions; do
		echo "=== $e: tuxsuite plan, kci-dev request"
		if EDITION=$e TUXSUITE_SUBMIT=0 "$REPO/scripts/tuxsuite.sh" >/dev/null; then count "$e/tuxsuite" PASS; else count "$e/tuxsuite" FAIL; fi
		if EDITION=$e "$REPO/scripts/kci-dev.sh" check >/dev/null; then count "$e/kci-dev" PASS; else count "$e/kci-dev" FAIL; fi
	done
fi
for e in $editions; do
	o=$DEVMEM_OUT_ROOT/$e${CONFIG_VARIANT:+-$CONFIG_VARIANT}
	rm -f "$o/verdict"
	EDITION=$e KSRC=$user_ksrc KSRC_BASE=$user_ksrc_base BASE_PKG_VERSION=$user_ver "$REPO/scripts/check.sh" "$mode" || true
	v=$(cat "$o/verdict" 2>/dev/null || true)
	if [[ "$v" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
		passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2])) skipped=$((skipped + BASH_REMATCH[3]))
		echo "=== $e: $v"
	else
		echo "=== $e: no verdict (the run stopped early)"
		failed=$((failed + 1))
	fi
done
echo "=== all editions ($editions): $(( $(date +%s) - t0 ))s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
