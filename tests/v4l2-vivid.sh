#!/bin/sh
# v4l2-vivid.sh: a V4L2 regression guard for the boot tests.  Runs
# v4l2-compliance (v4l-utils) with streaming on the capture node of each
# vivid instance (vivid.n_devs=2 vivid.allocators=0,1: vb2-vmalloc and
# vb2-dma-contig), with the other instance's capture node exporting the
# DMABUF buffers, and prints one TAP line per streaming test (MMAP,
# USERPTR, DMABUF, each with its poll mode).  v4l2-compliance's other
# results (controls, formats) depend on the v4l-utils version matching the
# kernel's, not on the series: they are printed as comments only.
# shellcheck shell=sh
node() {
	for d in /sys/class/video4linux/video*; do
		[ "$(cat "$d/name")" = "$1" ] && echo "/dev/${d##*/}"
	done
}
a=$(node vivid-000-vid-cap)
b=$(node vivid-001-vid-cap)
if [ -z "$a" ] || [ -z "$b" ] || [ ! -x /tests/v4l2-compliance ]; then
	echo "1..0 # SKIP no vivid capture nodes or no v4l2-compliance"
	exit 4
fi
out=$(mktemp)
res=$(mktemp)
for pair in "$a:$b" "$b:$a"; do
	dev=${pair%%:*} exp=${pair#*:}
	name=$(cat "/sys/class/video4linux/${dev#/dev/}/name")
	/tests/v4l2-compliance -d "$dev" -e "$exp" -s 10 > "$out" 2>&1
	grep -E '^Total' "$out" | sed 's/^/# /'
	# "test MMAP (select): OK", "test USERPTR (no poll): OK (Not Supported)"
	tr '\t' '\n' < "$out" | sed -n "s/^test \(\(MMAP\|USERPTR\|DMABUF\) ([^)]*)\): \(.*\)/$name \1\t\3/p" >> "$res"
done
# the same test can run more than once (DMABUF (select)): number repeats
awk -F '\t' '{ k = $1; if (seen[k]++) k = k " (" seen[k] ")"; print k "\t" $2 }' "$res" > "$out"
mv "$out" "$res"
n=$(grep -c . "$res")
echo "1..$n"
i=0 fails=0
while IFS="$(printf '\t')" read -r t r; do
	i=$((i + 1))
	case "$r" in
	"OK (Not Supported)") echo "ok $i $t # SKIP not supported" ;;
	OK*) echo "ok $i $t" ;;
	*) echo "not ok $i $t: $r"; fails=$((fails + 1)) ;;
	esac
done < "$res"
rm -f "$out" "$res"
[ "$n" -gt 0 ] && [ "$fails" = 0 ]
