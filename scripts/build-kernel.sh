#!/usr/bin/env bash
# build-kernel.sh REV DIR: build the boot-test kernel of commit REV of KSRC
# in DIR/build and copy it to DIR/bzImage.  Skips the build when DIR/stamp
# says the same commit and config fragments were built already (gates.sh
# writes it too).  Leaves KSRC checked out as it found it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 2 ] || die "usage: build-kernel.sh REV DIR"
check_ksrc
rev=$(kgit rev-parse -q --verify "$1^{commit}") || die "$1 is not a commit in $KSRC"
d=$2
want=$(kernel_stamp "$rev")
if [ -f "$d/bzImage" ] && [ "$(cat "$d/stamp" 2>/dev/null)" = "$want" ]; then
	log "$d/bzImage is $(kgit rev-parse --short=12 "$rev") already"
	exit 0
fi
check_clean
orig=$(kgit symbolic-ref -q --short HEAD || kgit rev-parse HEAD)
trap 'kgit checkout -q -f "$orig"' EXIT
kgit checkout -q -f "$rev"
strict=0
[ "$rev" = "$(kgit rev-parse -q --verify "$SERIES_BRANCH^{commit}" || true)" ] && strict=1
STRICT=$strict "$REPO/scripts/config.sh" "$d/build" ${CONFIG_VARIANT:+"$CONFIG_VARIANT"}
kmake "$d/build" bzImage || die "build of $(kgit rev-parse --short=12 "$rev") failed"
save_kernel "$d" "$rev"
