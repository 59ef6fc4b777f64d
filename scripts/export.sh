#!/usr/bin/env bash
# export.sh [BRANCH]: write the commits devmem/base..BRANCH (default
# devmem/series) of the edition's KSRC back into its patches/ and series
# with git format-patch, so that nobody edits patch files by hand.
# Refuses a branch with no commits above the base, a non-linear one, and
# a patches/ or series with uncommitted edits (they would be lost).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
branch=${1:-$SERIES_BRANCH}
kgit rev-parse -q --verify "$branch^{commit}" >/dev/null || die "no branch $branch in $KSRC"
base=$(base_commit)
kgit merge-base --is-ancestor "$base" "$branch" || die "$branch is not based on $BASE_TAG"
if [ -n "$(kgit rev-list --merges "$base..$branch")" ]; then
	die "$base..$branch has merge commits; a patch series must be linear"
fi
n=$(kgit rev-list --count "$base..$branch")
[ "$n" -gt 0 ] || die "$branch has no commits above $BASE_TAG: nothing to export (patches/ left as it is)"
if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 &&
	[ -n "$(git -C "$REPO" status --porcelain -- "$EDIR/patches" "$EDIR/series")" ]; then
	die "$EDIR/patches or series has uncommitted changes; commit or discard them first"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver=$(cat "$KSRC/.git/devmem-base-version" 2>/dev/null || echo "$BASE_PKG $BASE_PKG_VERSION")
# --zero-commit and no signature: the files change only when a patch does.
kgit format-patch -q --no-numbered --zero-commit --no-signature -o "$tmp" "$base..$branch" >/dev/null
{
	echo "# Device-memory mappings series for $BASE_UPSTREAM ($EDITION edition)"
	echo "# Base: Debian $ver ($BASE_UPSTREAM plus Debian patches)"
	echo "# Made by scripts/export.sh from a git branch; do not edit by hand."
	find "$tmp" -maxdepth 1 -name "*.patch" -printf "%f\n" | sort
} > "$tmp/series"
mkdir -p "$EDIR/patches"
rm -f "$EDIR"/patches/*.patch
find "$tmp" -maxdepth 1 -name '*.patch' -exec mv -t "$EDIR/patches" {} +
mv "$tmp/series" "$EDIR/series"
log "$EDITION: exported $n patches from $branch to ${EDIR#"$REPO"/}/patches and series"
