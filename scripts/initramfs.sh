#!/usr/bin/env bash
# initramfs.sh TESTS_DIR OUTPUT.cpio.gz: the boot-test initramfs: static
# busybox, tests/init.sh as /init, tests/suites.list, the static selftests of
# TESTS_DIR, mkfs.ext4 (for the DAX mount) and v4l2-compliance and v4l2-ctl with
# tests/v4l2-vivid.sh (the V4L2 regression guard), with their shared
# libraries.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 2 ] || die "usage: initramfs.sh TESTS_DIR OUTPUT.cpio.gz"
t=$1 out=$2
busybox=/bin/busybox
file -b "$busybox" | grep -q 'statically linked' || die "$busybox is not static: apt-get install busybox-static"
mkfs=$(command -v mkfs.ext4 || echo /sbin/mkfs.ext4)
[ -x "$mkfs" ] || die "no mkfs.ext4: apt-get install e2fsprogs"
v4l2c=$(command -v v4l2-compliance) || die "no v4l2-compliance: apt-get install v4l-utils"
v4l2ctl=$(command -v v4l2-ctl) || die "no v4l2-ctl: apt-get install v4l-utils"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,tests,etc,lib,lib64,proc,sys,dev,tmp,mnt}
cp "$busybox" "$root/bin/busybox"
install -m 0755 "$REPO/tests/init.sh" "$root/init"
cp "$ETESTS/suites.list" "$root/tests/"
if [ -d "$t" ]; then
	find "$t" -maxdepth 1 -type f -exec cp -t "$root/tests" {} +
fi
# mkfs.ext4, v4l2-compliance and the libraries they link (ldd lists the
# loader too).
cp "$(readlink -f "$mkfs")" "$root/sbin/mkfs.ext4"
cp "$(readlink -f "$v4l2c")" "$root/tests/v4l2-compliance"
cp "$(readlink -f "$v4l2ctl")" "$root/tests/v4l2-ctl"
install -m 0755 "$REPO/tests/v4l2-vivid.sh" "$root/tests/v4l2-vivid.sh"
{ ldd "$mkfs"; ldd "$v4l2c"; ldd "$v4l2ctl"; } | grep -oE '/[^ ]+' | sort -u | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
touch "$root/etc/mtab"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
log "$out: $(du -h "$out" | cut -f1), $(find "$root/tests" -type f | wc -l) test files"
