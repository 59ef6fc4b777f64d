#!/usr/bin/env bash
# Make the base tree: Debian's linux-source-6.12 at the pinned version,
# unpacked into $CACHE/linux as a git tree with the base commit tagged
# devmem/base.  With KSRC=/path, check that tree instead and tag its HEAD
# (or KSRC_BASE) as the base.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

if [ "$KSRC" != "$DEFAULT_KSRC" ]; then
	check_ksrc
	check_clean
	want=$(kgit rev-parse --verify "${KSRC_BASE:-HEAD}^{commit}") ||
		die "KSRC_BASE=${KSRC_BASE:-HEAD} is not a commit in $KSRC"
	have=$(kgit rev-parse -q --verify "refs/tags/$BASE_TAG^{commit}" || true)
	if [ "$have" != "$want" ]; then
		kgit tag -f "$BASE_TAG" "$want" >/dev/null
		log "tagged $want as $BASE_TAG in $KSRC"
	fi
	log "base: $KSRC at $(kgit describe --tags --always "$want" 2>/dev/null || echo "$want") ($(sed -n "s/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = //p" "$KSRC/Makefile" | paste -sd.))"
	exit 0
fi

stamp=$KSRC/.git/devmem-base-version
if [ -f "$stamp" ] && kgit rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null; then
	log "base: $KSRC ($(cat "$stamp")), already made"
	exit 0
fi

installed() { dpkg-query -W -f='${Status} ${Version}\n' "$BASE_PKG" 2>/dev/null | sed -n 's/^install ok installed //p'; }
ver=$(installed || true)
if [ "$ver" != "$BASE_PKG_VERSION" ]; then
	[ "$(id -u)" = 0 ] || die "$BASE_PKG $BASE_PKG_VERSION is not installed (have: ${ver:-none}); run as root or: apt-get install $BASE_PKG=$BASE_PKG_VERSION"
	apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed: the Debian archive is unreachable"
	if apt-cache madison "$BASE_PKG" | awk '{print $3}' | grep -qxF "$BASE_PKG_VERSION"; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades "$BASE_PKG=$BASE_PKG_VERSION" >/dev/null ||
			die "apt-get install $BASE_PKG=$BASE_PKG_VERSION failed"
	else
		cand=$(apt-cache policy "$BASE_PKG" | sed -n 's/^ *Candidate: //p')
		if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then die "$BASE_PKG is not in the Debian archive at all"; fi
		warn "****************************************************************"
		warn "pinned $BASE_PKG $BASE_PKG_VERSION is gone from the archive;"
		warn "falling back to the candidate $cand. The series was tested on"
		warn "$BASE_PKG_VERSION: expect offsets, and check every result."
		warn "****************************************************************"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$BASE_PKG=$cand" >/dev/null ||
			die "apt-get install $BASE_PKG=$cand failed"
	fi
	ver=$(installed)
fi

tarball=/usr/src/$BASE_PKG.tar.xz
[ -f "$tarball" ] || die "$tarball is missing although $BASE_PKG $ver is installed"

mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/linux.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log "unpacking $tarball ($BASE_PKG $ver)"
tar -C "$tmp" -xf "$tarball" || die "cannot unpack $tarball (corrupt download?)"
src=$tmp/$BASE_PKG
[ -f "$src/Makefile" ] || die "$tarball has no $BASE_PKG/Makefile"

# A deterministic base commit: the same tarball gives the same hash anywhere.
export GIT_AUTHOR_NAME="Debian $BASE_PKG" GIT_AUTHOR_EMAIL=debian-kernel@lists.debian.org
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
log "making a git tree of it (Debian's .gitignore ignores /*, so add -f)"
git -C "$src" init -q -b devmem/debian-base
git -C "$src" config core.autocrlf false
git -C "$src" config gc.auto 0
git -C "$src" add -f -A .
git -C "$src" commit -q -m "Debian $BASE_PKG $ver ($BASE_UPSTREAM plus Debian patches)"
git -C "$src" tag "$BASE_TAG"
echo "$BASE_PKG $ver" > "$src/.git/devmem-base-version"

rm -rf "$KSRC"
mv "$src" "$KSRC"
log "base: $KSRC ($BASE_PKG $ver), commit $(kgit rev-parse --short=12 "$BASE_TAG")"
