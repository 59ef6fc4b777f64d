#!/usr/bin/env bash
# checkpatch-gate.sh REV: scripts/checkpatch.pl --strict on commit REV of
# the edition's KSRC as a mail (a patch that touches nothing outside DRM
# gets the DRM maintainers' flags), and a MAINTAINERS entry, in the
# MAINTAINERS of REV, for every file REV adds.  Prints what is wrong and
# exits 1 if anything is.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: checkpatch-gate.sh REV"
c=$(kgit rev-parse -q --verify "$1^{commit}") || die "$1 is not a commit in $KSRC"
# checkpatch and get_maintainer.pl of the tree, from a worktree of their own.
w=$(wt_path tools "$BASE_TAG")
# DRM maintainers' checkpatch flags (dim checkpatch, i915 CI).
DRM_FLAGS=(--max-line-length=100 '--ignore=BIT_MACRO,SPLIT_STRING,LONG_LINE_STRING,BOOL_MEMBER')
# The base tree is a Debian tarball without upstream history, so checkpatch
# cannot look up the commits that Fixes: tags name (the ids are checked
# against public archives by hand).  "does MAINTAINERS need updating?"
# fires for every new file: the check below replaces it.
FLAGS=(--strict --quiet --no-summary --ignore UNKNOWN_COMMIT_ID --ignore FILE_PATH_CHANGES)
files=$(kgit diff-tree --no-commit-id --name-only -r "$c")
grep -qvE '^(drivers/gpu/drm/|include/drm/|include/uapi/drm/)' <<< "$files" || FLAGS+=("${DRM_FLAGS[@]}")
bad=0
# /usr/bin first: checkpatch's spdxcheck.py wants Debian's python3-ply
# and python3-git, not a python3 earlier on PATH without them.
kgit format-patch -1 --stdout "$c" | (cd "$w" && PATH=/usr/bin:$PATH scripts/checkpatch.pl "${FLAGS[@]}" -) || bad=1

m=$(mktemp)
trap 'rm -f "$m"' EXIT
kgit show "$c:MAINTAINERS" > "$m"
while read -r f; do
	[ -n "$f" ] || continue
	who=$(kgit show --format= "$c" -- "$f" |
		(cd "$w" && perl scripts/get_maintainer.pl --mpath "$m" --no-git --no-git-fallback --no-rolestats --nol 2>/dev/null) || true)
	if [ -z "$who" ]; then
		echo "$f: new file that no MAINTAINERS entry covers"
		bad=1
	fi
done < <(kgit diff-tree --no-commit-id --diff-filter=A --name-only -r "$c")
exit $bad
