#!/usr/bin/env bash
# Common settings and helpers, sourced by every script in scripts/.
# shellcheck disable=SC2034  # variables are used by the scripts that source this

# The pinned base: Debian's linux-source-6.12 package.
BASE_PKG=linux-source-6.12
BASE_PKG_VERSION=${BASE_PKG_VERSION:-6.12.117-1~deb12u1}
BASE_KVER=6.12.117
# The vanilla tag the Debian package is built on (for base-commit: and README).
BASE_UPSTREAM=v6.12.117

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devmem-series}
# The kernel tree: ours (made by base.sh) unless the user names one.
DEFAULT_KSRC=$CACHE/linux
KSRC=${KSRC:-$DEFAULT_KSRC}
OUT=${OUT:-$CACHE/out}
JOBS=${JOBS:-$(( $(nproc) + 1 ))}

# Refs the scripts create in the kernel tree.
BASE_TAG=devmem/base
SERIES_BRANCH=devmem/series

# The "probe" kernel: the series up to this patch, which adds the HMM test
# driver's per-event counters before any invalidation site is converted.
# `make probe` builds and boots it so that the report shows the
# mmu_notifier events of the unconverted kernel.
PROBE_SUBJECT='lib/test_hmm: count the invalidations the mirror receives, per event'

log()  { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die()  { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
warn() { printf '%s: WARNING: %s\n' "${0##*/}" "$*" >&2; }

# The patch names listed in series, one per line, comments and blanks dropped.
series_list() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^[[:space:]]*$/d' "$REPO/series" | awk '{print $1}'
}

# kgit ARGS...: git in the kernel tree.
kgit() { git -C "$KSRC" "$@"; }

# Refuse anything that is not a 6.12 git tree.
check_ksrc() {
	[ -d "$KSRC" ] || die "KSRC=$KSRC: no such directory (run 'make base', or point KSRC at a v6.12 tree)"
	[ -f "$KSRC/Makefile" ] || die "KSRC=$KSRC: no top-level Makefile, not a kernel tree"
	local v p
	v=$(sed -n 's/^VERSION = //p' "$KSRC/Makefile" | head -1)
	p=$(sed -n 's/^PATCHLEVEL = //p' "$KSRC/Makefile" | head -1)
	[ "$v.$p" = 6.12 ] || die "KSRC=$KSRC: Makefile says $v.$p, this series is for 6.12"
	kgit rev-parse --git-dir >/dev/null 2>&1 || die "KSRC=$KSRC: not a git tree (git init it, or use the default base)"
}

# Refuse a tree with uncommitted changes to tracked files.
check_clean() {
	kgit update-index -q --refresh >/dev/null 2>&1 || true
	if ! kgit diff-index --quiet HEAD --; then
		die "KSRC=$KSRC has uncommitted changes; commit or stash them first"
	fi
	if [ -d "$(kgit rev-parse --git-path rebase-apply)" ]; then
		die "KSRC=$KSRC has a 'git am' or rebase in progress; finish or abort it first"
	fi
}

# The base commit of the tree (the tag base.sh made, or for a user's tree the
# commit recorded when it was first used).
base_commit() {
	kgit rev-parse -q --verify "refs/tags/$BASE_TAG^{commit}" ||
		die "KSRC=$KSRC has no tag $BASE_TAG; run 'make base' first"
}

# The series tip: the commit devmem/series points at (apply.sh makes it).
series_tip() {
	kgit rev-parse -q --verify "$SERIES_BRANCH^{commit}" ||
		die "no branch $SERIES_BRANCH in $KSRC: run 'make apply' first"
}

# Does commit $1 touch a Kconfig file (its .config must be made again)?
touches_kconfig() {
	kgit diff-tree --no-commit-id --name-only -r "$1" | grep -qE '(^|/)Kconfig[^/]*$'
}

# Time a stage: stage NAME CMD... ; prints how long it took.
stage() {
	local name=$1 t0 rc=0
	shift
	t0=$(date +%s)
	"$@" || rc=$?
	printf 'stage %-20s %4ss  %s\n' "$name" "$(( $(date +%s) - t0 ))" "$([ $rc = 0 ] && echo ok || echo "FAILED ($rc)")" >&2
	return $rc
}

# make in the kernel tree, out of tree, through ccache.
CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_DIR
# KARCH and KCROSS (an ARCH and a CROSS_COMPILE prefix) select a cross
# build; unset, the build is for the host (x86_64).
kmake() {
	local b=$1
	shift
	local cross=()
	[ -z "${KARCH:-}" ] || cross=(ARCH="$KARCH" CROSS_COMPILE="${KCROSS:-}")
	make -s -C "$KSRC" O="$b" "${cross[@]}" CC="ccache ${KCROSS:-}gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}
# config_arch FRAGMENT: "ARCH [PREFIX]" from a "# arch: ARCH [PREFIX]" first
# line: the fragment is a standalone config (tinyconfig of ARCH plus the
# fragment, no boot.config), cross-compiled with PREFIX.
config_arch() {
	sed -n '1s/^# arch: *//p' "$1"
}

# Check series and patches/ list the same files one to one, and that every
# listed patch looks like git format-patch output.
check_series() {
	[ -f "$REPO/series" ] || die "no series file in $REPO"
	local listed present bad=0 p
	listed=$(series_list | sort)
	present=$(cd "$REPO/patches" 2>/dev/null && find . -maxdepth 1 -name '*.patch' -printf '%f\n' | sort)
	if [ -n "$(printf '%s\n' "$listed" | sort | uniq -d)" ]; then
		echo "series lists a patch twice: $(printf '%s\n' "$listed" | uniq -d | tr '\n' ' ')" >&2
		bad=1
	fi
	for p in $(comm -23 <(printf '%s\n' "$listed") <(printf '%s\n' "$present")); do
		echo "series lists $p, which is not in patches/" >&2
		bad=1
	done
	for p in $(comm -13 <(printf '%s\n' "$listed") <(printf '%s\n' "$present")); do
		echo "patches/$p is not listed in series" >&2
		bad=1
	done
	for p in $listed; do
		[ -f "$REPO/patches/$p" ] || continue
		if ! grep -q '^Subject: ' "$REPO/patches/$p" || ! grep -q '^diff --git ' "$REPO/patches/$p"; then
			echo "patches/$p is not a git format-patch mail (no Subject: or no diff)" >&2
			bad=1
		fi
	done
	[ $bad = 0 ] || die "series and patches/ do not match (see above)"
}

# What a built kernel depends on besides the source: the config fragments.
kernel_stamp() {
	printf '%s %s %s\n' "$(kgit rev-parse "$1")" "${CONFIG_VARIANT:-boot}" \
		"$(cat "$REPO"/tests/configs/*.config | sha256sum | cut -c1-16)"
}
# save_kernel DIR REV: DIR/build's bzImage becomes DIR/bzImage of REV.
save_kernel() {
	cp "$1/build/arch/x86/boot/bzImage" "$1/bzImage"
	kernel_stamp "$2" > "$1/stamp"
}
