#!/usr/bin/env bash
# apt-private.sh ARGS...: apt-get (or, as `apt-private.sh cache ARGS...`,
# apt-cache) on a private list of Debian suites under CACHE/apt: bookworm,
# bookworm-security, trixie, sid and experimental from the mirror the host
# already uses.  The host's sources, package lists and installed packages
# are never touched: only `download`, `source --download-only` and look-ups
# are meant to go through here.  The lists are fetched again when they are
# older than a day (sid's and experimental's Release files may be past
# their Valid-Until date: that check is off for this private list only).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

a=$CACHE/apt
mkdir -p "$a/lists/partial" "$a/archives/partial" "$a/etc"
mirror=$(debian_mirror)
security=${mirror%/debian}/debian-security
key=/usr/share/keyrings/debian-archive-keyring.gpg
{
	for t in deb deb-src; do
		echo "$t [signed-by=$key] $mirror bookworm main"
		echo "$t [signed-by=$key] $security bookworm-security main"
		echo "$t [signed-by=$key] $mirror trixie main"
		echo "$t [signed-by=$key] $mirror sid main"
		echo "$t [signed-by=$key] $mirror experimental main"
	done
} > "$a/etc/sources.list.new"
changed=0
cmp -s "$a/etc/sources.list.new" "$a/etc/sources.list" 2>/dev/null || changed=1
mv "$a/etc/sources.list.new" "$a/etc/sources.list"
opts=(-o Dir::Etc::sourcelist="$a/etc/sources.list" -o Dir::Etc::sourceparts=-
	-o Dir::State::Lists="$a/lists" -o Dir::Cache="$a" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
	-o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root -o Debug::NoLocking=1)
stamp=$a/lists/.updated
if [ $changed = 1 ] || [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
	apt-get "${opts[@]}" -qq update >"$a/update.log" 2>&1 ||
		die "apt-get update of the private list failed: the Debian mirror $mirror is unreachable (see $a/update.log)"
	touch "$stamp"
fi
if [ "${1:-}" = cache ]; then
	shift
	exec apt-cache "${opts[@]}" "$@"
fi
exec apt-get "${opts[@]}" "$@"
