#!/usr/bin/env bash
# base.sh: make the edition's base tree: Debian's linux-source package at
# the pinned version (lib.sh), downloaded through a private apt list
# (apt-private.sh: no host package is installed, upgraded or downgraded)
# and unpacked into CACHE/EDITION/linux as a git tree whose base commit is
# tagged devmem/base.  With KSRC=/path, check that tree instead and tag its
# HEAD (or KSRC_BASE) as the base, once: a tree that has the tag keeps it
# unless KSRC_BASE names another commit.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

if [ "$(realpath -m "$KSRC")" != "$(realpath -m "$DEFAULT_KSRC")" ]; then
	check_ksrc
	check_clean
	have=$(kgit rev-parse -q --verify "refs/tags/$BASE_TAG^{commit}" || true)
	if [ -n "${KSRC_BASE:-}" ]; then
		want=$(kgit rev-parse -q --verify "$KSRC_BASE^{commit}") || die "KSRC_BASE=$KSRC_BASE is not a commit in $KSRC"
	elif [ -n "$have" ]; then
		want=$have
	else
		want=$(kgit rev-parse --verify "HEAD^{commit}")
	fi
	if [ "$have" != "$want" ]; then
		kgit tag -f "$BASE_TAG" "$want" >/dev/null
		log "tagged $want as $BASE_TAG in $KSRC"
	fi
	log "base: $KSRC at $(kgit describe --tags --always "$want" 2>/dev/null || echo "$want") (Makefile: $(kver_of "$KSRC"))"
	exit 0
fi

stamp=$KSRC/.git/devmem-base-version
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$BASE_PKG $BASE_PKG_VERSION" ] &&
	kgit rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null; then
	log "base: $KSRC ($(cat "$stamp")), already made"
	exit 0
fi

debs=$CACHE/debs
mkdir -p "$debs"
deb=$debs/${BASE_PKG}_${BASE_PKG_VERSION//:/%3a}_all.deb
if [ ! -s "$deb" ]; then
	known=$("$REPO/scripts/apt-private.sh" cache madison "$BASE_PKG" | awk -F' [|] ' '{print $2}' | tr -d ' ')
	if ! grep -qxF "$BASE_PKG_VERSION" <<< "$known"; then
		die "$BASE_PKG $BASE_PKG_VERSION (the $EDITION pin) is not in the Debian archive any more (it has: $(echo "$known" | head -3 | paste -sd' ')); move the pin in scripts/lib.sh"
	fi
	(cd "$debs" && "$REPO/scripts/apt-private.sh" -qq download "$BASE_PKG=$BASE_PKG_VERSION") >/dev/null ||
		die "cannot download $BASE_PKG $BASE_PKG_VERSION from the $BASE_SUITE suite"
	[ -s "$deb" ] || die "apt-get download gave no $deb"
fi

mkdir -p "$(dirname "$KSRC")"
tmp=$(mktemp -d "$(dirname "$KSRC")/linux.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log "unpacking $BASE_PKG $BASE_PKG_VERSION"
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$BASE_PKG.tar.xz" | tar -C "$tmp" -xJf - ||
	die "cannot unpack $deb (corrupt download? remove it and run again)"
src=$tmp/$BASE_PKG
[ -f "$src/Makefile" ] || die "$deb has no $BASE_PKG/Makefile"
[ "$(kver_of "$src")" = "$BASE_KVER" ] || die "$BASE_PKG $BASE_PKG_VERSION: Makefile says $(kver_of "$src"), not $BASE_KVER"

# A deterministic base commit: the same tarball gives the same hash anywhere.
export GIT_AUTHOR_NAME="Debian $BASE_PKG" GIT_AUTHOR_EMAIL=debian-kernel@lists.debian.org
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
log "making a git tree of it (Debian's .gitignore ignores /*, so add -f)"
git -C "$src" init -q -b devmem/debian-base
git -C "$src" config core.autocrlf false
git -C "$src" config gc.auto 0
git -C "$src" add -f -A .
git -C "$src" commit -q -m "Debian $BASE_PKG $BASE_PKG_VERSION ($BASE_UPSTREAM plus Debian patches)"
git -C "$src" tag "$BASE_TAG"
echo "$BASE_PKG $BASE_PKG_VERSION" > "$src/.git/devmem-base-version"

# Worktrees of an older base point into the tree that goes now.
rm -rf "$KSRC" "$WT"
mv "$src" "$KSRC"
log "base: $KSRC ($BASE_PKG $BASE_PKG_VERSION), commit $(kgit rev-parse --short=12 "$BASE_TAG")"
