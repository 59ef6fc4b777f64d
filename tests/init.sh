#!/bin/busybox sh
# Guest /init of the boot tests: mount what the tests need, prepare a DAX
# mount on the legacy pmem device, run every line of /tests/suites.list and
# wrap each suite's output in markers that scripts/parse-log.sh reads.
# shellcheck shell=sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/tests
mkdir -p /proc /sys /dev /tmp /mnt/dax /run
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t configfs configfs /sys/kernel/config 2>/dev/null
mount -t tmpfs tmp /tmp
mkdir -p /dev/shm && mount -t tmpfs shm /dev/shm
exec > /dev/console 2>&1

echo "@@@ GUEST $(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo) mem=$(sed -n 's/MemTotal: *//p' /proc/meminfo)"
echo "@@@ CMDLINE $(cat /proc/cmdline)"
echo "@@@ THP $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)"

# FS-DAX: ext4 on /dev/pmem0 (memmap=nn!ss), mounted -o dax.
if [ -b /dev/pmem0 ] && [ -x /sbin/mkfs.ext4 ]; then
	if /sbin/mkfs.ext4 -q -F -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/dax; then
		export DAX_TEST_DIR=/mnt/dax
		echo "@@@ DAX /dev/pmem0 on /mnt/dax"
	else
		echo "@@@ DAX setup failed"
	fi
fi

# Swap on the 256 MiB legacy pmem device (tests/cmdline), for anonymous
# reclaim (MADV_PAGEOUT).
for d in /sys/block/pmem*; do
	[ "$(cat "$d/size" 2>/dev/null)" = 524288 ] || continue
	if mkswap "/dev/${d##*/}" >/dev/null && swapon "/dev/${d##*/}"; then
		echo "@@@ SWAP /dev/${d##*/}"
	fi
done

cd /tests || exit 1
# devmem.suites=A,B on the kernel command line: run only those suites.
only=$(sed -n 's/.*devmem\.suites=\([^ ]*\).*/\1/p' /proc/cmdline)
# suites.list: NAME TIMEOUT COMMAND...
grep -v -e '^#' -e '^[[:space:]]*$' /tests/suites.list | while read -r name tmo cmd; do
	case ",$only," in ",,"|*",$name,"*) ;; *) continue ;; esac
	bin=${cmd%% *}
	if [ ! -e "/tests/${bin#./}" ]; then
		echo "@@@ BEGIN $name"
		echo "@@@ END $name rc=absent"
		continue
	fi
	echo "@@@ BEGIN $name"
	t0=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2086
	timeout "$tmo" $cmd < /dev/null
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "@@@ END $name rc=$rc t0=$t0 t1=$t1"
done
# The whole kernel log, unbroken by test output: KUnit results and kernel
# reports are read from here.
echo "@@@ DMESG"
dmesg
echo "@@@ DMESG END"
echo "@@@ DONE"
sync
poweroff -f
