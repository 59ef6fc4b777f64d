#!/usr/bin/env bash
# record-base.sh: boot the edition's base kernel with the tip's tests and
# write its results into the edition (results/base-*), as make check-all
# does, without gating every patch again: for a revision whose tests
# changed (make check then reports the record as stale and skips the A/B
# expectations until one is written).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

"$REPO/scripts/apply.sh"
# the tests build against the tip's exported headers
"$REPO/scripts/build-kernel.sh" "$SERIES_BRANCH" "$OUT/patched"
"$REPO/scripts/build-kernel.sh" "$BASE_TAG" "$OUT/base"
tests_build
rm -rf "$OUT/base/boot"
"$REPO/scripts/run-boot.sh" base
base_record
mkdir -p "$EDIR/results"
cp "$OUT/record/"* "$EDIR/results/"
log "records written: ${EDIR#"$REPO"/}/results/ (commit them): $(cut -f2 "$OUT/base/boot/results.tsv" | sort | uniq -c | tr -s ' ' | paste -sd, -)"
