#!/bin/bash
# clients.sh RESULTS clients|soak|modetest [SECONDS]: runs inside the sid guest
# (scripts/guest-run.sh boots it with virtme-ng), as root; writes into
# RESULTS, a directory the host shares:
#   results.tsv  NAME<TAB>PASS|FAIL|SKIP per result, as the boot tests';
#   metrics.tsv  NAME<TAB>VALUE (soak rounds, taint);
#   *.log        each client's own output; dmesg.txt at the end, and
#                dmesg-live.txt, the kernel log as it comes.
# clients: IGT's runner on tests/guest/igt.list (results.json kept),
#   v4l2-compliance's streaming and all of its other checks on the vivid
#   pairs (tests/v4l2-vivid.sh), and modetest setting a mode on bochs
#   and flipping with vsync for 20 s (modetest: that alone).
# soak: for SECONDS (default 600) at once: trinity (the vm group, as
#   nobody, a fixed seed so base and patched get the same calls; its
#   DRM, memfd and other fd providers, the DRM, udmabuf and heap nodes
#   opened to it), stress-ng's memory mapping stressors, and the
#   series' own tests and the mm guards (soak_tests below, from
#   /devmem/tests) in a loop, each a result: PASS if every round passed
#   (and each of their cases one, made on the host by guest-tap.py);
#   guest-run.sh counts the splats in the kernel log (dmesg.txt, or
#   dmesg-live.txt, the log as it came, when the guest did not end).
set -u
res=$1 mode=$2 secs=${3:-600}
here=$(dirname "$0") # igt.list is beside it
mkdir -p "$res"
: > "$res/results.tsv"
: > "$res/metrics.tsv"
r() { printf '%s\t%s\n' "$1" "$2" >> "$res/results.tsv"; }
m() { printf '%s\t%s\n' "$1" "$2" >> "$res/metrics.tsv"; }
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
uname -a > "$res/uname.txt"
cat /sys/devices/system/clocksource/clocksource0/current_clocksource >> "$res/uname.txt"
m kernel.tainted_at_start "$(cat /proc/sys/kernel/tainted)"
# the kernel log as it comes, kept if the guest never reaches the end
dmesg -w > "$res/dmesg-live.txt" 2>&1 &
live=$!

igt() {
	local d=/usr/libexec/igt-gpu-tools
	grep -v '^#' "$here/igt.list" > /tmp/igt.list
	igt_runner --overwrite --test-list /tmp/igt.list --per-test-timeout 120 \
		"$d" "$res/igt" > "$res/igt.log" 2>&1
	igt_results "$res/igt" >> "$res/igt.log" 2>&1
	[ -f "$res/igt/results.json" ] || { r igt/runner FAIL; return; }
	python3 - "$res/igt/results.json" >> "$res/results.tsv" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
word = {"pass": "PASS", "skip": "SKIP", "notrun": "SKIP", "warn": "PASS"}
for name in sorted(tests):
    print(f"igt/{name}\t{word.get(tests[name]['result'], 'FAIL')}")
PY
}

v4l2() {
	mountpoint -q /tests || mount -t tmpfs tmpfs /tests
	ln -sf /usr/bin/v4l2-compliance /usr/bin/v4l2-ctl /tests/
	# tests/v4l2-vivid.sh of the busybox boot tests, shared by guest-run.sh
	sh "${V4L2_VIVID:-/devmem/v4l2/v4l2-vivid.sh}" > "$res/v4l2-vivid.log" 2>&1
	# "ok 3 vivid-000-vid-cap MMAP (select)", "not ok ...", "... # SKIP ..."
	sed -n 's/^ok [0-9]* \(.*\) # SKIP.*/v4l2\/\1\tSKIP/p; t; s/^ok [0-9]* \(.*\)/v4l2\/\1\tPASS/p; s/^not ok [0-9]* \(.*\)/v4l2\/\1\tFAIL/p' \
		"$res/v4l2-vivid.log" >> "$res/results.tsv"
	# v4l2-compliance's own totals per node, every check counted:
	# "# Total for vivid device /dev/video0: 94, Succeeded: 94, Failed: 0, Warnings: 0"
	awk -F'[:,] *' '/^# Total for / {
		n = $1; sub(/^# Total for /, "", n); gsub(/[ \/]+/, "_", n)
		printf "v4l2-compliance.%s.total\t%s\n", n, $2
		printf "v4l2-compliance.%s.failed\t%s\n", n, $6
		printf "v4l2-compliance.%s.warnings\t%s\n", n, $8
	}' "$res/v4l2-vivid.log" >> "$res/metrics.tsv"
	v4l2-compliance --version > "$res/v4l2-compliance.version" 2>&1
}

modeset() {
	local conn crtc mt=(modetest -M bochs-drm)
	# bochs' DRM driver is "bochs-drm" (modetest -M opens it by name)
	"${mt[@]}" -c > "$res/modetest-c.log" 2>&1 || { r modetest/probe FAIL; return; }
	conn=$(awk '$3 == "connected" {print $1; exit}' "$res/modetest-c.log")
	crtc=$("${mt[@]}" -p 2>/dev/null | awk '/^CRTCs:/ {getline; getline; print $1; exit}')
	if [ -z "$conn" ] || [ -z "$crtc" ]; then
		r modetest/setmode SKIP
		return
	fi
	# line-buffered, or the flip counts die with modetest in its stdio buffer
	# modetest -v leaves its flip loop as soon as stdin is readable: give
	# it a pipe that stays empty (vng's stdin is at end of file)
	sleep 30 | timeout -s INT 20 stdbuf -oL "${mt[@]}" -s "$conn@$crtc:1024x768" -v > "$res/modetest.log" 2>&1
	if grep -q 'setting mode 1024x768' "$res/modetest.log"; then r modetest/setmode PASS; else r modetest/setmode FAIL; fi
	# "freq: 59.98Hz": 60 page flips completed with vsync, each line
	if grep -q 'freq: [1-9]' "$res/modetest.log"; then r modetest/flip PASS; else r modetest/flip FAIL; fi
	m modetest.flips "$(grep -c 'freq: [1-9]' "$res/modetest.log")"
}

# NAME COMMAND: what the soak runs in a loop, in /devmem/tests (OUT/tests:
# the tip's tests, as the boot tests run them on both kernels).  Not the
# DAX tests: the guest has no pmem.
soak_tests() {
	cat <<-EOF
	hmm-tests ./hmm-tests
	gup_test-u ./gup_test -u
	dmabuf-heap ./dmabuf-heap
	udmabuf ./udmabuf
	dmabuf-gup ./dmabuf-gup
	ttm_huge_fault ./ttm_huge_fault
	EOF
}

soak() {
	local end left rounds=0 name cmd rc n beat fuzz stress
	declare -A fails=() passes=()
	end=$(( $(date +%s) + secs ))
	# every 30 s: guest clock, uptime, taint and load, to see a stall
	while sleep 30; do
		echo "$(date +%s) up $(cut -d' ' -f1 /proc/uptime) tainted $(cat /proc/sys/kernel/tainted) load $(cut -d' ' -f1-3 /proc/loadavg)"
	done >> "$res/heartbeat" &
	beat=$!
	# trinity runs as nobody: let it reach what the series touches
	chmod 0666 /dev/dri/* /dev/udmabuf /dev/dma_heap/* 2>/dev/null
	mkdir -p /tmp/trinity && chmod 1777 /tmp/trinity
	(cd /tmp/trinity && timeout -s INT -k 60 "$secs" trinity -q -g vm --dropprivs -C 2 -s 20261205) \
		> "$res/trinity.log" 2>&1 &
	fuzz=$!
	timeout -k 60 $((secs + 120)) stress-ng --vm 1 --mmap 1 --mremap 1 --madvise 1 \
		--userfaultfd 1 --timeout "${secs}s" --temp-path /tmp --metrics-brief > "$res/stress-ng.log" 2>&1 &
	stress=$!
	# no tests shared: a harness failure, and no loop of missing binaries
	if [ ! -x /devmem/tests/hmm-tests ]; then
		r soak/tests FAIL
		end=0
	fi
	while left=$(( end - $(date +%s) )) && [ "$left" -gt 0 ]; do
		while read -r name cmd; do
			left=$(( end - $(date +%s) ))
			[ "$left" -gt 0 ] || break 2
			[ -n "${fails[$name]+x}" ] || { fails[$name]=0 passes[$name]=0; }
			rc=0
			# scripts/guest-tap.py makes a result of each case from it
			echo "# soak-test: $name" >> "$res/series-loop.log"
			# shellcheck disable=SC2086 # cmd is words
			(cd /devmem/tests && timeout "$left" $cmd) >> "$res/series-loop.log" 2>&1 || rc=$?
			# cut short by the soak's end: neither passed nor failed
			[ "$rc" = 124 ] && break 2
			if [ "$rc" != 0 ]; then
				fails[$name]=$(( fails[$name] + 1 ))
				echo "round $rounds: $name exited $rc" >> "$res/series-failures.log"
			else
				passes[$name]=$(( passes[$name] + 1 ))
			fi
		done < <(soak_tests)
		rounds=$((rounds + 1))
	done
	kill "$beat"
	wait "$fuzz" "$stress"
	for name in "${!fails[@]}"; do
		# each run as a whole, by its exit status (each case: guest-tap.py);
		# a test the soak's end cut short in its first round did not run
		if [ "${fails[$name]}" != 0 ]; then r "soak/$name" FAIL
		elif [ "${passes[$name]}" != 0 ]; then r "soak/$name" PASS
		else r "soak/$name" SKIP
		fi
		m "soak.passed_rounds.$name" "${passes[$name]}"
		m "soak.failed_rounds.$name" "${fails[$name]}"
	done
	m soak.seconds "$secs"
	m soak.series_rounds "$rounds"
	n=$(sed -n 's/^.*Ran \([0-9]*\) syscalls.*/\1/p' "$res/trinity.log" | tail -1)
	m soak.trinity_syscalls "${n:-0}"
	# trinity ran and stopped cleanly; stress-ng ran out its time, every
	# stressor passing
	if [ "${n:-0}" -gt 0 ]; then r soak/trinity PASS; else r soak/trinity FAIL; fi
	if grep -q 'successful run completed' "$res/stress-ng.log"; then
		r soak/stress-ng PASS
	else
		r soak/stress-ng FAIL
	fi
}

case "$mode" in
clients) igt; v4l2; modeset ;;
modetest) modeset ;;
soak) soak ;;
*) echo "usage: clients.sh RESULTS clients|soak|modetest [SECONDS]" >&2; exit 2 ;;
esac
m kernel.tainted_at_end "$(cat /proc/sys/kernel/tainted)"
kill "$live"
# the splats are counted by guest-run.sh, on the host
dmesg > "$res/dmesg.txt"
echo "clients.sh: done" > "$res/done"
