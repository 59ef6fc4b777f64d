#!/usr/bin/env bash
# config.sh SRC BUILD_DIR [VARIANT]: write BUILD_DIR/.config for the kernel
# source tree SRC from tinyconfig plus the edition's tests/configs/boot.config
# (plus VARIANT.config, e.g. debug; "debug+guest" merges both), and fail if olddefconfig dropped or changed a requested symbol.
# A requested symbol that the tree's Kconfig does not define at all is only
# allowed before the series tip (STRICT=0): the series adds it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: config.sh SRC BUILD_DIR [VARIANT]"
src=$1 b=$2 variant=${3:-}
[ -f "$ETESTS/configs/boot.config" ] || die "the $EDITION edition has no tests/configs/boot.config"
frags=("$ETESTS/configs/boot.config")
# VARIANT may name several fragments joined by "+" (e.g. debug+guest)
IFS=+ read -r -a variants <<< "$variant"
for v in ${variants[@]+"${variants[@]}"}; do
	[ -f "$ETESTS/configs/$v.config" ] || die "no config variant '$v' in tests/configs"
	arch=$(config_arch "$ETESTS/configs/$v.config")
	if [ -n "$arch" ]; then
		[ ${#variants[@]} = 1 ] || die "config variant '$v' is another architecture's: it cannot be combined"
		# tinyconfig of that ARCH (a cross build unless x86_64) plus the
		# variant alone, without boot.config
		read -r KARCH KCROSS <<< "$arch"
		export KARCH KCROSS
		command -v "${KCROSS}gcc" > /dev/null || die "no ${KCROSS}gcc for tests/configs/$v.config (make deps)"
		frags=()
	fi
	frags+=("$ETESTS/configs/$v.config")
done
mkdir -p "$b"

kmake "$src" "$b" tinyconfig >/dev/null
KCONFIG_CONFIG=$b/.config "$src/scripts/kconfig/merge_config.sh" -m -O "$b" "$b/.config" "${frags[@]}" >"$b/merge_config.log" 2>&1 ||
	{ cat "$b/merge_config.log" >&2; die "merge_config.sh failed"; }
kmake "$src" "$b" olddefconfig >/dev/null

# Symbols defined anywhere in this tree's Kconfig files.
defined=$(mktemp)
trap 'rm -f "$defined"' EXIT
(cd "$src" && git ls-files -z -- 'Kconfig*' '*/Kconfig*' | xargs -0 sed -n 's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Za-z0-9_]*\).*/\2/p') | sort -u > "$defined"

bad=0 missing=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) sym=${line%%=*} want=${line#*=} ;;
	"# CONFIG_"*" is not set") sym=${line#\# } sym=${sym%% *} want=n ;;
	*) continue ;;
	esac
	have=$(sed -n "s/^$sym=//p" "$b/.config")
	[ -n "$have" ] || have=n
	[ "$have" = "$want" ] && continue
	if ! grep -qxF "${sym#CONFIG_}" "$defined"; then
		missing+=("$sym")
		continue
	fi
	echo "config.sh: $sym: asked for $want, olddefconfig gave $have (a dependency is missing)" >&2
	bad=1
done < <(cat "${frags[@]}")

if [ ${#missing[@]} -gt 0 ]; then
	if [ "${STRICT:-1}" = 1 ]; then
		echo "config.sh: not defined in this tree's Kconfig: ${missing[*]}" >&2
		bad=1
	else
		log "not in this tree yet (added by the series): ${missing[*]}"
	fi
fi
[ $bad = 0 ] || die "$b/.config does not have every requested symbol"
log "$b/.config: $(grep -c '=[ym]$' "$b/.config") symbols on, every requested one as asked"
