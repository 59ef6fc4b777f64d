#!/usr/bin/env bash
# build-kernel.sh REV DIR: build the boot-test kernel of commit REV of the
# edition's KSRC in DIR/build, from a worktree of its own (wt/k-NAME, NAME
# the last part of DIR), and copy it to DIR/bzImage.  Skips the build when
# DIR/stamp says the same source tree, config variant and config fragments
# were built already.
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
w=$(wt_path "k-$(basename "$d")" "$rev")
strict=0
[ "$rev" = "$(kgit rev-parse -q --verify "refs/heads/$SERIES_BRANCH^{commit}" || true)" ] && strict=1
STRICT=$strict "$REPO/scripts/config.sh" "$w" "$d/build" ${CONFIG_VARIANT:+"$CONFIG_VARIANT"}
kmake "$w" "$d/build" bzImage || die "build of $(kgit rev-parse --short=12 "$rev") failed"
save_kernel "$d" "$rev"
