#!/usr/bin/env bash
# venv.sh [ci]: make CACHE/venv, a Python virtual environment of Debian's
# python3 with the pinned tools of tools/requirements.txt (pip, from PyPI),
# again whenever that file changes; print its bin directory.  With "ci":
# CACHE/venv-ci from tools/requirements-ci.txt (tuxmake, tuxrun, tuxsuite,
# kci-dev).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

case "${1:-}" in
"") req=$REPO/tools/requirements.txt v=$CACHE/venv ;;
ci) req=$REPO/tools/requirements-ci.txt v=$CACHE/venv-ci ;;
*) die "usage: venv.sh [ci]" ;;
esac
want=$(sha256sum < "$req" | cut -c1-16)
if [ "$(cat "$v/.requirements" 2>/dev/null)" != "$want" ]; then
	rm -rf "$v"
	/usr/bin/python3 -m venv "$v" >&2 || die "cannot make a venv with /usr/bin/python3 (apt-get install python3-venv)"
	"$v/bin/pip" install -q --disable-pip-version-check -r "$req" >&2 ||
		die "pip install -r ${req#"$REPO"/} failed (is PyPI reachable?)"
	echo "$want" > "$v/.requirements"
fi
echo "$v/bin"
