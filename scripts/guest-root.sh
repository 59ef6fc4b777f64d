#!/usr/bin/env bash
# guest-root.sh: make (once) CACHE/guest/root, a Debian sid root for the
# guest runs of real clients (scripts/guest-run.sh), with mmdebstrap from
# the mirror the host uses; print its path.  It is made again when
# tests/guest/packages changes or with GUEST_REBUILD=1 (sid moves: every
# run records the versions it used, from CACHE/guest/versions.txt).  The
# host's apt sources are not touched: mmdebstrap uses its own lists.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

list=$REPO/tests/guest/packages
g=$CACHE/guest
root=$g/root
want=$(list_file "$list" | sort | sha256sum | cut -c1-16)
if [ -d "$root/usr" ] && [ "${GUEST_REBUILD:-0}" != 1 ] && [ "$(cat "$g/stamp" 2>/dev/null)" = "$want" ]; then
	echo "$root"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "mmdebstrap --mode=root needs root"
command -v mmdebstrap > /dev/null || "$REPO/scripts/deps.sh" guest
mirror=$(debian_mirror)
pkgs=$(list_file "$list" | paste -sd, -)
rm -rf "$root.new" "$g/stamp"
mkdir -p "$g"
log "mmdebstrap sid from $mirror: $pkgs"
start=$(date +%s)
mmdebstrap --variant=minbase --mode=root --format=directory \
	--aptopt='Acquire::Check-Valid-Until "false"' --include="$pkgs" \
	sid "$root.new" "$mirror" > "$g/mmdebstrap.log" 2>&1 ||
	{ tail -20 "$g/mmdebstrap.log" >&2; die "mmdebstrap failed: $g/mmdebstrap.log"; }
# mount points: guest-run.sh's shared directories under /devmem (the root
# is read-only in the guest), /tests for tests/v4l2-vivid.sh's binaries
mkdir -p "$root.new/tests" "$root.new/devmem/guest" "$root.new/devmem/v4l2" \
	"$root.new/devmem/tests" "$root.new/devmem/results"
# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
chroot "$root.new" dpkg-query -W -f='${Package}\t${Version}\n' > "$g/versions.txt"
rm -rf "$root"
mv "$root.new" "$root"
echo "$want" > "$g/stamp"
log "$root: $(du -sm "$root" | cut -f1) MB, $(wc -l < "$g/versions.txt") packages, in $(( $(date +%s) - start )) s"
echo "$root"
