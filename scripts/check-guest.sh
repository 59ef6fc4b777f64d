#!/usr/bin/env bash
# check-guest.sh: the sid-guest part of make check-all, for every edition
# of EDITIONS (default: mainline 6.12): the real clients on the guest
# kernels and the soak on the debug kernels, base vs tip (scripts/guest.sh
# clients, then soak), each report recorded in the edition
# (results/guest-clients.md, results/guest-soak.md: commit them).  Ends
# with the sum "N passed, N failed, N skipped" and exits 1 if anything
# failed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

editions=${EDITIONS:-$EDITIONS_ALL}
for e in $editions; do
	case " $EDITIONS_ALL " in *" $e "*) ;; *) die "unknown edition '$e' (one of: $EDITIONS_ALL)" ;; esac
done
t0=$(date +%s)
passed=0 failed=0 skipped=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for e in $editions; do
	for mode in clients soak; do
		echo "=== $e: guest $mode"
		t=$(date +%s)
		EDITION=$e RECORD=1 "$REPO/scripts/guest.sh" "$mode" | tee "$tmp" || true
		v=$(tail -1 "$tmp")
		if [[ "$v" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
			passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2])) skipped=$((skipped + BASH_REMATCH[3]))
		else
			echo "FAIL $e/guest-$mode: no verdict (the run stopped early)"
			failed=$((failed + 1))
		fi
		echo "=== $e: guest $mode: $(( $(date +%s) - t ))s"
	done
done
echo "=== guest, all editions ($editions): $(( $(date +%s) - t0 ))s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
