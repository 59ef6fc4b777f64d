#!/bin/sh
# v4l2-vivid.sh: a V4L2 regression guard for the boot tests.  Runs
# v4l2-compliance (v4l-utils) with streaming on vivid capture nodes and
# prints one TAP line per streaming test (MMAP, USERPTR, DMABUF, each with
# its poll mode).  vivid.n_devs=4 vivid.allocators=0,1,0,1 gives
# vb2-vmalloc instances (000, 002) and vb2-dma-contig ones (001, 003); the
# DMABUF tests import the buffers that a second instance (-e) exports, so
# the pairs cover both exporters and importers:
#   000 imports from 002   vb2-vmalloc exports, vb2-vmalloc imports
#   002 imports from 001   vb2-dma-contig exports, vb2-vmalloc imports
#   001 imports from 003   vb2-dma-contig exports, vb2-dma-contig imports
# An importer's buffers must not be larger than its exporter's, and vivid
# keeps a format across opens (dmabuf-gup sets 640x480 on 000 and 001): the
# four nodes get the same format first.
# Not run: vb2-dma-contig importing vb2-vmalloc buffers.  Without an IOMMU
# it needs physically contiguous buffers and refuses them ("contiguous
# chunk is too small"), on the base kernel as well.
# v4l2-compliance's other results (controls, formats) depend on the
# v4l-utils version matching the kernel's, not on the series: they are
# printed as comments only.
# shellcheck shell=sh
node() {
	for d in /sys/class/video4linux/video*; do
		[ "$(cat "$d/name")" = "$1" ] && echo "/dev/${d##*/}"
	done
}
pairs=""
for p in 000:002 002:001 001:003; do
	d=$(node "vivid-${p%%:*}-vid-cap")
	e=$(node "vivid-${p#*:}-vid-cap")
	if [ -z "$d" ] || [ -z "$e" ] || [ ! -x /tests/v4l2-compliance ]; then
		echo "1..0 # SKIP no vivid-${p%%:*} or vivid-${p#*:} capture node (vivid.n_devs=4) or no v4l2-compliance"
		exit 4
	fi
	pairs="$pairs $d:$e"
done
for n in 000 001 002 003; do
	/tests/v4l2-ctl -d "$(node "vivid-$n-vid-cap")" -i 0 \
		--set-fmt-video=width=640,height=480,pixelformat=YUYV,field=none > /dev/null ||
		echo "# v4l2-ctl: cannot set the format of vivid-$n"
done
out=$(mktemp)
res=$(mktemp)
for pair in $pairs; do
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
	*) echo "not ok $i $t"; echo "# $r"; fails=$((fails + 1)) ;;
	esac
done < "$res"
rm -f "$out" "$res"
[ "$n" -gt 0 ] && [ "$fails" = 0 ]
