#!/usr/bin/env bash
# guest.sh clients|soak: the real clients (clients) or the soak (soak) of
# tests/guest/clients.sh on the sid guest, for the edition's base and tip:
# builds both kernels with the guest config variant (the soak: debug+guest,
# lockdep and KASAN), boots each with scripts/guest-run.sh, and writes
# OUT/guest/MODE.md, every result and metric base vs patched.  A result
# that fails patched and not on the base, a splat on the patched kernel
# that the base does not have, or more failed v4l2-compliance checks on a
# node than the base's, is a failure: prints "N passed, N failed, N
# skipped" over the patched results and exits 1 on any.  RECORD=1 (make
# check-all) also records the report in the edition, as
# results/guest-MODE.md.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=${1:-}
case "$mode" in clients) v=guest ;; soak) v=debug+guest ;; *) die "usage: guest.sh clients|soak" ;; esac
check_ksrc
for k in base series; do
	CONFIG_VARIANT=$v "$REPO/scripts/build-kernel.sh" "devmem/$k" "$OUT/guest/kernel-$v-$k"
done
"$REPO/scripts/guest-run.sh" "$OUT/guest/kernel-$v-base/bzImage" base "$mode" || true
"$REPO/scripts/guest-run.sh" "$OUT/guest/kernel-$v-series/bzImage" patched "$mode" || true
if python3 "$REPO/scripts/guest-report.py" "$OUT/guest" "$mode" "$EDITION"; then rc=0; else rc=$?; fi
if [ "${RECORD:-0}" = 1 ]; then
	mkdir -p "$EDIR/results"
	cp "$OUT/guest/$mode.md" "$EDIR/results/guest-$mode.md"
	log "recorded: ${EDIR#"$REPO"/}/results/guest-$mode.md (commit it)"
fi
exit "$rc"
