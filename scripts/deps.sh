#!/usr/bin/env bash
# deps.sh [tuxmake|guest]: install the Debian packages the scripts need (as
# root; otherwise only check that they are there); with "tuxmake" or
# "guest", also those of scripts/tuxmake.sh or scripts/guest-root.sh.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils
	git ccache sparse coccinelle quilt b4 python3 python3-ply python3-git file
	qemu-system-x86 qemu-system-data busybox-static e2fsprogs shellcheck
	gcc-arm-linux-gnueabihf v4l-utils python3-venv)
case "${1:-}" in
"") ;;
# scripts/tuxmake.sh: the cross compiler of the plan's local arm64 build
tuxmake) pkgs+=(gcc-aarch64-linux-gnu) ;;
# scripts/guest-root.sh
guest) pkgs+=(mmdebstrap) ;;
*) die "usage: deps.sh [tuxmake|guest]" ;;
esac
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	die "missing Debian packages (run as root, or: apt-get install ${missing[*]})"
fi
log "installing ${missing[*]}"
apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed: the Debian archive is unreachable"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get install ${missing[*]} failed"
