#!/usr/bin/env bash
# kunit.sh REV DIR: run the suites of the edition's tests/kunit.list with
# kunit.py on x86_64 (qemu TCG) from commit REV of KSRC (in a worktree of
# its own), all kunitconfigs in one kernel; write DIR/results.tsv
# (kunit/SUITE.CASE<TAB>PASS|FAIL|SKIP).  A kunitconfig the tree does not
# have is skipped (the series adds it).  KUNIT_ARCH=arm64 runs them on
# arm64 instead (cross-compiled with aarch64-linux-gnu-, qemu-system-aarch64
# TCG), as kunit-arm64/SUITE.CASE.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 2 ] || die "usage: kunit.sh REV DIR"
check_ksrc
rev=$(kgit rev-parse -q --verify "$1^{commit}") || die "$1 is not a commit in $KSRC"
d=$2
mkdir -p "$d"
w=$(wt_path "kunit-$(basename "$(dirname "$d")")" "$rev")
: > "$d/results.tsv"
# kunit.py of v7.3 (not the one of v6.12) asks qemu for "-accel kvm -accel hvf -accel
# tcg"; a KVM guest hangs on these machines (no output until the
# timeout), so kunit.py finds, first in PATH, a qemu-system-x86_64 that
# drops every -accel but tcg.
arch=${KUNIT_ARCH:-x86_64}
prefix=kunit cross=() cc="ccache gcc"
case $arch in
x86_64) qemu="qemu-system-x86_64" ;;
arm64)
	qemu="qemu-system-aarch64" prefix=kunit-arm64 cc="ccache aarch64-linux-gnu-gcc"
	command -v aarch64-linux-gnu-gcc >/dev/null ||
		die "no aarch64-linux-gnu-gcc: apt-get install gcc-aarch64-linux-gnu"
	cross=(--cross_compile=aarch64-linux-gnu-) ;;
*) die "KUNIT_ARCH=$arch: x86_64 or arm64" ;;
esac
real=$(command -v "$qemu") || die "no $qemu (apt-get install qemu-system-x86 or qemu-system-arm)"
mkdir -p "$d/tcg-only"
cat > "$d/tcg-only/$qemu" <<EOS
#!/usr/bin/env bash
args=()
while [ \$# -gt 0 ]; do
	if [ "\$1" = -accel ] && [ "\${2:-}" != tcg ]; then
		shift 2
		continue
	fi
	args+=("\$1")
	shift
done
exec $real "\${args[@]}"
EOS
chmod +x "$d/tcg-only/$qemu"
# One kunit.py run, one kernel, for every kunitconfig of the list this tree
# has (a kernel build per suite doubled the time).
cfgs=() add=() names=()
while read -r name cfg opts; do
	if [ ! -e "$w/$cfg" ] || { [ -d "$w/$cfg" ] && [ ! -e "$w/$cfg/.kunitconfig" ]; }; then
		log "$cfg: no kunitconfig in this tree, $name skipped"
		continue
	fi
	names+=("$name")
	cfgs+=(--kunitconfig="$cfg")
	for o in $opts; do add+=(--kconfig_add "$o"); done
done < <(list_file "$ETESTS/kunit.list")
[ ${#cfgs[@]} -gt 0 ] || { log "no kunitconfig of tests/kunit.list in this tree"; exit 0; }
log "kunit.py run of ${names[*]}"
rc=0
(cd "$w" && PATH=$d/tcg-only:$PATH ./tools/testing/kunit/kunit.py run --arch="$arch" \
	"${cross[@]}" "${cfgs[@]}" "${add[@]}" --build_dir="$d/build" --jobs="$JOBS" \
	--make_options "CC=$cc" --timeout=1200 \
	--json="$d/kunit.json") > "$d/kunit.log" 2>&1 || rc=$?
python3 - "$d/kunit.json" "$prefix" >> "$d/results.tsv" <<'PY' || { [ "$rc" != 0 ] || rc="0 but no readable kunit.json"; }
import json, sys
doc = json.load(open(sys.argv[1]))
def walk(g, prefix):
    for c in g.get("test_cases", []):
        st = c["status"]
        st = {"PASS": "PASS", "SKIP": "SKIP"}.get(st, "FAIL")
        print(f"{sys.argv[2]}/{prefix}{c['name']}\t{st}\t")
    for s in g.get("sub_groups", []):
        walk(s, (prefix + s["name"] + ".") if prefix else s["name"] + ".")
walk(doc, "")
PY
if [ "$rc" != 0 ]; then
	printf '%s/run\tFAIL\tkunit.py exit %s, see %s\n' "$prefix" "$rc" "$d/kunit.log" >> "$d/results.tsv"
fi
{ grep -E 'Testing complete|tests: passed|Ran [0-9]+ tests' "$d/kunit.log" || echo "no summary, see $d/kunit.log"; } | tail -1 | sed 's/^/kunit: /' >&2
