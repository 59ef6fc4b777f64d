#!/usr/bin/env bash
# boot.sh BZIMAGE INITRAMFS LOG: boot under qemu TCG (KVM guests hang on
# these machines) with the devices the tests need, and keep the serial log.
# Exits non-zero when the guest did not reach the end of tests/init.sh
# (panic, hang: BOOT_TIMEOUT seconds, default 2400).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 3 ] || die "usage: boot.sh BZIMAGE INITRAMFS LOG"
kernel=$1 initrd=$2 logf=$3
[ -f "$kernel" ] || die "no kernel image $kernel"
[ -f "$initrd" ] || die "no initramfs $initrd"
command -v qemu-system-x86_64 >/dev/null || die "no qemu-system-x86_64: apt-get install qemu-system-x86"

append=$(sed -e 's/#.*//' "$ETESTS/cmdline" | tr -s '[:space:]' ' ')
# Under TCG the guest may distrust its TSC and fall back to a 4 ms clock:
# hand it the host's rate.
mhz=$(awk -F': *' '/^cpu MHz/{print int($2); exit}' /proc/cpuinfo)
[ -n "$mhz" ] && append="$append tsc_early_khz=$((mhz * 1000)) tsc=reliable"
append="$append ${BOOT_APPEND:-}"
[ -f "$ETESTS/devices" ] || die "no $ETESTS/devices"
read -r -a devices <<<"$(sed -e 's/#.*//' "$ETESTS/devices" | tr -s '[:space:]' ' ')"

mkdir -p "$(dirname "$logf")"
rm -f "$logf"
rc=0
timeout --foreground -k 10 "${BOOT_TIMEOUT:-2400}" \
	qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 6G \
	-display none -monitor none -serial "file:$logf" -no-reboot \
	"${devices[@]}" \
	-kernel "$kernel" -initrd "$initrd" -append "$append" || rc=$?
if [ $rc = 124 ] || [ $rc = 137 ]; then
	die "guest timed out after ${BOOT_TIMEOUT:-2400}s (log kept: $logf)"
fi
[ $rc = 0 ] || die "qemu exited with $rc (log kept: $logf)"
grep -q '^@@@ DONE' "$logf" || die "guest did not finish tests/init.sh (panic? log kept: $logf)"
log "guest finished; log $logf"
