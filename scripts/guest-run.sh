#!/usr/bin/env bash
# guest-run.sh BZIMAGE NAME clients|soak|modetest: boot BZIMAGE (a kernel of the
# guest config variant, CONFIG_VARIANT=guest or debug+guest) with
# virtme-ng under qemu TCG on the sid root (scripts/guest-root.sh, read
# only), and run tests/guest/clients.sh MODE in it.  Results go to
# OUT/guest/NAME-MODE/: results.tsv; metrics.tsv, with the splats
# counted here by scripts/guest-splats.py (the edition's
# tests/known-splats apart); the clients' logs; dmesg.txt, or
# dmesg-live.txt when the guest did not end; versions.txt, the root's
# package versions.  The kernel command line takes the edition's
# tests/cmdline but the console and the pmem reservations, the qemu
# devices tests/devices; the series' own kselftests (OUT/tests, `make`)
# are shared read-only at /devmem/tests for the soak.  The serial
# console (vng --verbose: the kernel's messages at the command line's
# loglevel) goes to console.log.  SOAK_SECONDS (default 600) bounds the
# soak.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 3 ] || die "usage: guest-run.sh BZIMAGE NAME clients|soak|modetest"
img=$1 name=$2 mode=$3
case "$mode" in clients | soak | modetest) ;; *) die "MODE is clients, soak or modetest, not $mode" ;; esac
[ -f "$img" ] || die "no kernel image $img"
root=$("$REPO/scripts/guest-root.sh")
bin=$("$REPO/scripts/venv.sh" ci)
# vng runs virtme-run from PATH
export PATH=$bin:$PATH
secs=${SOAK_SECONDS:-600}
res=$OUT/guest/$name-$mode
rm -rf "$res"
mkdir -p "$res"
cp "$CACHE/guest/versions.txt" "$res/versions.txt"
append=$(list_file "$ETESTS/cmdline" | tr ' ' '\n' | grep -vE '^(console=|memmap=|panic=)' | paste -sd' ' -)
mapfile -t dev < <(list_file "$ETESTS/devices" | tr ' ' '\n')
ro=(--rodir "/devmem/guest=$REPO/tests/guest" --rodir "/devmem/v4l2=$REPO/tests")
# a copy of its own: a rebuild of OUT/tests (record-base, a check) while
# the guest runs would leave it an empty directory
if [ -d "$OUT/tests" ]; then
	cp -a "$OUT/tests" "$res/tests"
	ro+=(--rodir "/devmem/tests=$res/tests")
fi
# The soak's load (stress-ng's 1 GiB, trinity, the series' tests, KASAN's
# shadow and quarantine) beside the command line's 2.2 GiB of hugetlb
# pages stalled a 6 GiB guest in reclaim: it gets 10 GiB.
if [ "$mode" = soak ]; then limit=$((secs + 900)) mem=10G; else limit=1800 mem=6G; fi
log "$name $mode: vng --disable-kvm on $root (${limit}s at most)"
start=$(date +%s)
rc=0
timeout "$limit" "$bin/vng" --run "$img" --disable-kvm --disable-microvm --root "$root" \
	--cpus 2 --memory "$mem" --verbose --append "$append" --qemu-opts="${dev[*]}" "${ro[@]}" \
	--rwdir "/devmem/results=$res" \
	--exec "bash /devmem/guest/clients.sh /devmem/results $mode $secs" \
	< /dev/null > "$res/console.log" 2>&1 || rc=$?
echo $(( $(date +%s) - start )) > "$res/time"
rm -rf "$res/tests"
# The splats: in the guest's last dmesg, or, when it never got there, in
# the log it streamed while it ran.
klog=$res/dmesg.txt
[ -f "$klog" ] || klog=$res/dmesg-live.txt
python3 "$REPO/scripts/guest-splats.py" "$klog" "$ETESTS/known-splats" >> "$res/metrics.tsv"
# the soak's test cases, each a result
[ "$mode" != soak ] || python3 "$REPO/scripts/guest-tap.py" "$res/series-loop.log" >> "$res/results.tsv"
[ -f "$res/done" ] || die "$name $mode: the guest stopped early (exit $rc, $(cat "$res/time")s): $res/console.log"
log "$name $mode: $(cut -f2 "$res/results.tsv" | sort | uniq -c | tr -s ' ' | paste -sd, -) in $(cat "$res/time")s; $res"
