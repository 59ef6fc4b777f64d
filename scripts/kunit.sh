#!/usr/bin/env bash
# kunit.sh REV DIR: run every suite of tests/kunit.list with kunit.py on
# x86_64 (qemu TCG) from commit REV of KSRC; write DIR/results.tsv
# (kunit-NAME/SUITE.CASE<TAB>PASS|FAIL|SKIP).  A kunitconfig the tree does
# not have is skipped (the series adds it).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 2 ] || die "usage: kunit.sh REV DIR"
check_ksrc
rev=$(kgit rev-parse -q --verify "$1^{commit}") || die "$1 is not a commit in $KSRC"
d=$2
mkdir -p "$d"
check_clean
orig=$(kgit symbolic-ref -q --short HEAD || kgit rev-parse HEAD)
trap 'kgit checkout -q -f "$orig"' EXIT
kgit checkout -q -f "$rev"
: > "$d/results.tsv"
while read -r name cfg opts; do
	add=()
	for o in $opts; do add+=(--kconfig_add "$o"); done
	if [ ! -e "$KSRC/$cfg" ] || { [ -d "$KSRC/$cfg" ] && [ ! -e "$KSRC/$cfg/.kunitconfig" ]; }; then
		log "$cfg: no kunitconfig in this tree, kunit-$name skipped"
		continue
	fi
	rc=0
	(cd "$KSRC" && ./tools/testing/kunit/kunit.py run --arch=x86_64 \
		--kunitconfig="$cfg" "${add[@]}" --build_dir="$d/build-$name" --jobs="$JOBS" \
		--make_options "CC=ccache gcc" --timeout=1200 \
		--json="$d/$name.json") > "$d/$name.log" 2>&1 || rc=$?
	python3 - "$d/$name.json" "kunit-$name" >> "$d/results.tsv" <<'PY' || printf 'kunit-%s/run\tFAIL\tkunit.py exit %s, see %s\n' "$name" "$rc" "$d/$name.log" >> "$d/results.tsv"
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
	if [ $rc != 0 ]; then
		printf 'kunit-%s/run\tFAIL\tkunit.py exit %s, see %s\n' "$name" "$rc" "$d/$name.log" >> "$d/results.tsv"
	fi
	tail -1 "$d/$name.log" | sed "s/^/kunit-$name: /" >&2
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$REPO/tests/kunit.list")
