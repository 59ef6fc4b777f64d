#!/usr/bin/env bash
# kdoc-gate.sh REV: scripts/kernel-doc -none -Wall on the .c and .h files
# commit REV of the edition's KSRC touches, in REV and in its parent;
# prints the warnings REV adds (line numbers aside) and exits 1 if any.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: kdoc-gate.sh REV"
c=$(kgit rev-parse -q --verify "$1^{commit}") || die "$1 is not a commit in $KSRC"
w=$(wt_path tools "$BASE_TAG")
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mapfile -t files < <(kgit diff-tree --no-commit-id --name-only -r "$c" | grep -E '\.(c|h)$' || true)
kdoc_of() { # kdoc_of REV: the warnings of the files in REV
	local f d
	d=$t/$(kgit rev-parse --short "$1")
	for f in "${files[@]}"; do
		kgit cat-file -e "$1:$f" 2>/dev/null || continue
		mkdir -p "$d/$(dirname "$f")"
		kgit show "$1:$f" > "$d/$f"
		(cd "$d" && "$w/scripts/kernel-doc" -none -Wall "$f" 2>&1) || true
	done
}
# gcc-style "file:12:5:" and kernel-doc's own "Warning: file:1338 text"
norm() { sed -E -e 's/:[0-9]+(:[0-9]+)?:/:/' -e 's/:[0-9]+ /: /' -e 's/ line [0-9]+/ line N/' | sort; }
new=$(comm -13 <(kdoc_of "$c^" | norm) <(kdoc_of "$c" | norm))
echo "kdoc: ${#files[@]} files"
[ -z "$new" ] || { printf '%s\n' "$new"; exit 1; }
