#!/usr/bin/env bash
# export.sh [BRANCH]: write the commits devmem/base..BRANCH (default
# devmem/series) of KSRC back into patches/ and series with git format-patch,
# so that nobody edits patch files by hand.
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

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# --zero-commit and no signature: the files change only when a patch does.
kgit format-patch -q --no-numbered --zero-commit --no-signature -o "$tmp" "$base..$branch" >/dev/null
{
	echo "# Device-memory mappings series for $BASE_UPSTREAM"
	echo "# Base: Debian $BASE_PKG $BASE_PKG_VERSION ($BASE_UPSTREAM plus Debian patches)"
	echo "# Made by scripts/export.sh from a git branch; do not edit by hand."
	find "$tmp" -maxdepth 1 -name "*.patch" -printf "%f\n" | sort
} > "$tmp/series"
rm -f "$REPO"/patches/*.patch
mkdir -p "$REPO/patches"
find "$tmp" -maxdepth 1 -name '*.patch' -exec mv -t "$REPO/patches" {} +
mv "$tmp/series" "$REPO/series"
log "exported $(series_list | wc -l) patches from $branch to patches/ and series"
