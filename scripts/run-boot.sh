#!/usr/bin/env bash
# run-boot.sh KIND: boot OUT/KIND/bzImage (KIND is base, patched or probe)
# with the test initramfs OUT/initramfs.cpio.gz and parse the log into
# OUT/KIND/boot/.  The probe kernel (lib.sh) runs hmm-tests only.
# A guest that does not finish is recorded as boot/finished FAIL, not lost.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: run-boot.sh base|patched|probe"
k=$1
case "$k" in
base | patched) ;;
probe) export BOOT_APPEND="${BOOT_APPEND:-} devmem.suites=hmm-tests" ;;
*) die "unknown kernel '$k' (base, patched or probe)" ;;
esac
d=$OUT/$k/boot
mkdir -p "$d"
rc=0
"$REPO/scripts/boot.sh" "$OUT/$k/bzImage" "$OUT/initramfs.cpio.gz" "$d/console.log" || rc=$?
[ -f "$d/console.log" ] || die "no console log from the $k kernel"
[ "$rc" = 0 ] || warn "the $k kernel's boot did not finish cleanly (boot.sh exit $rc); its log is parsed as it is"
"$REPO/scripts/parse-log.sh" "$d/console.log" "$d"
exit 0
