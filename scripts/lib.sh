#!/usr/bin/env bash
# Common settings and helpers, sourced by every script in scripts/.
# shellcheck disable=SC2034  # variables are used by the scripts that source this

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Two editions of the series, each with its own base (a Debian linux-source
# package, pinned) and its own series/, patches/, cover letter and test data:
#   mainline  the edition that is posted: top level of the repository
#   6.12      the 6.12 LTS backport: stable/6.12/
EDITION=${EDITION:-mainline}
case "$EDITION" in
mainline)
	EDIR=$REPO
	BASE_PKG=linux-source-7.3
	BASE_PIN=7.3~rc7-1~exp1
	BASE_SUITE=experimental
	BASE_KVER=7.3
	BASE_UPSTREAM=v7.3-rc7
	# The vanilla tree TuxSuite and KernelCI build the series on
	TUX_GIT_REPO=https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git
	TUX_GIT_BRANCH=master
	;;
6.12)
	EDIR=$REPO/stable/6.12
	BASE_PKG=linux-source-6.12
	BASE_PIN=6.12.118-1~deb12u1
	BASE_SUITE=bookworm-security
	BASE_KVER=6.12
	BASE_UPSTREAM=v6.12.118
	TUX_GIT_REPO=https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git
	TUX_GIT_BRANCH=linux-6.12.y
	;;
*)
	printf '%s: error: unknown EDITION=%s (mainline or 6.12)\n' "${0##*/}" "$EDITION" >&2
	exit 1
	;;
esac
EDITIONS_ALL="mainline 6.12"
# BASE_PKG_VERSION overrides the pin (for a test of another Debian upload).
BASE_PKG_VERSION=${BASE_PKG_VERSION:-$BASE_PIN}
# Per-edition test data: configs, guest command line, suite lists, known
# issues, expected fixes.  The guest scripts (init.sh, v4l2-vivid.sh) are
# shared and stay in tests/.
ETESTS=$EDIR/tests

CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devmem-series}
# The kernel tree of the edition: ours (made by base.sh) unless the user
# names one.  Scripts never check out a branch in it: every revision they
# build or test gets a worktree of its own under WT (wt_path below).
DEFAULT_KSRC=$CACHE/$EDITION/linux
KSRC=${KSRC:-$DEFAULT_KSRC}
WT=$CACHE/$EDITION/wt
# Outputs of the edition (and of its config variant) under OUT (default
# CACHE/out), which the scripts pass on to each other as DEVMEM_OUT_ROOT.
DEVMEM_OUT_ROOT=${DEVMEM_OUT_ROOT:-${OUT:-$CACHE/out}}
export DEVMEM_OUT_ROOT
OUT=$DEVMEM_OUT_ROOT/$EDITION${CONFIG_VARIANT:+-$CONFIG_VARIANT}
JOBS=${JOBS:-$(( $(nproc) + 1 ))}

# Refs the scripts create in the kernel tree.
BASE_TAG=devmem/base
SERIES_BRANCH=devmem/series

# The scripts' own git identity: a fresh machine has none, and commits made
# with a fixed identity and --committer-date-is-author-date have the same
# ids on every machine (built kernels are keyed on tree hashes anyway).
export GIT_COMMITTER_NAME="devmem-series scripts" GIT_COMMITTER_EMAIL=devmem-series@localhost

# The "probe" kernel: the series up to PROBE_SUBJECT, the patch (the same
# in both editions) that lets the HMM test driver report what it is told
# before any invalidation site is converted.  `make probe` builds and boots
# it so that the report shows the mmu_notifier events of the unconverted
# kernel.
PROBE_SUBJECT='lib/test_hmm: log what the mirror is told'

# The Debian mirror the host's apt uses (not the security one), for the
# private apt lists and the guest root: the host's sources are only read.
debian_mirror() {
	local m
	m=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
		sed -n 's/^URIs: *//p; s/^deb \(\[[^]]*\] \)\{0,1\}\(http[^ ]*\) .*/\2/p' | grep -v security | head -1 || true)
	echo "${m:-http://deb.debian.org/debian}"
}
log()  { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die()  { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
warn() { printf '%s: WARNING: %s\n' "${0##*/}" "$*" >&2; }

# The patch names listed in the edition's series, one per line.
series_list() {
	list_file "$EDIR/series" | awk '{print $1}'
}
# list_file FILE: the lines of a list file, comments and blanks dropped.
list_file() {
	[ -f "$1" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^[[:space:]]*$/d' "$1"
}

# kgit ARGS...: git in the kernel tree (refs only: nothing is checked out).
kgit() { git -C "$KSRC" "$@"; }

# The kernel version a Makefile says: "VERSION.PATCHLEVEL".
kver_of() {
	awk -F' = ' '$1 == "VERSION" {v = $2} $1 == "PATCHLEVEL" {p = $2} END {print v "." p}' "$1/Makefile"
}

# Refuse anything that is not a git tree of the edition's kernel version.
check_ksrc() {
	[ -d "$KSRC" ] || die "KSRC=$KSRC: no such directory (run 'make base EDITION=$EDITION', or point KSRC at a $BASE_KVER tree)"
	[ -f "$KSRC/Makefile" ] || die "KSRC=$KSRC: no top-level Makefile, not a kernel tree"
	local v top
	v=$(kver_of "$KSRC")
	[ "$v" = "$BASE_KVER" ] || die "KSRC=$KSRC: Makefile says $v, the $EDITION edition is for $BASE_KVER"
	top=$(git -C "$KSRC" rev-parse --show-toplevel 2>/dev/null) ||
		die "KSRC=$KSRC: not a git tree (git init it, or use the default base)"
	[ "$(realpath "$top")" = "$(realpath "$KSRC")" ] ||
		die "KSRC=$KSRC: not the top of a git tree (the repository is $top)"
}

# Refuse a tree in the middle of a git am, rebase, merge or cherry-pick
# (the scripts never check anything out in KSRC, but they move its refs).
check_clean() {
	local g
	g=$(kgit rev-parse --absolute-git-dir)
	for s in rebase-apply rebase-merge MERGE_HEAD CHERRY_PICK_HEAD sequencer; do
		[ ! -e "$g/$s" ] || die "KSRC=$KSRC has a git operation in progress ($s); finish or abort it first"
	done
}

# The base commit of the tree (the tag base.sh made, or for a user's tree the
# commit recorded when it was first used).
base_commit() {
	kgit rev-parse -q --verify "refs/tags/$BASE_TAG^{commit}" ||
		die "KSRC=$KSRC has no tag $BASE_TAG; run 'make base EDITION=$EDITION' first"
}

# The series tip: the commit devmem/series points at (apply.sh makes it).
series_tip() {
	kgit rev-parse -q --verify "refs/heads/$SERIES_BRANCH^{commit}" ||
		die "no branch $SERIES_BRANCH in $KSRC: run 'make apply EDITION=$EDITION' first"
}

# wt_path NAME REV: a worktree of KSRC named NAME (under WT), checked out
# (detached) at REV; prints its path.  Each role (base, tip, gate, ...)
# has its own, so no script changes what another one sees, the paths stay
# the same from run to run (ccache hits), and KSRC's own checkout is never
# touched.
wt_path() {
	local name=$1 rev w
	rev=$(kgit rev-parse -q --verify "$2^{commit}") || die "$2 is not a commit in $KSRC"
	w=$WT/$name
	# Reuse the worktree (only the files that differ are written, so
	# kbuild rebuilds only what changed); one that is not ours or that a
	# killed git left locked is made again.
	if [ -e "$w/.git" ] && git -C "$w" rev-parse -q --verify HEAD >/dev/null 2>&1 &&
		[ "$(git -C "$w" rev-parse --path-format=absolute --git-common-dir)" = "$(kgit rev-parse --path-format=absolute --git-common-dir)" ] &&
		git -C "$w" checkout -q -f --detach "$rev" 2>/dev/null; then
		git -C "$w" clean -q -f -d -x >/dev/null 2>&1 || true
	else
		rm -rf "$w"
		kgit worktree prune
		mkdir -p "$WT"
		kgit worktree add -q -f --detach "$w" "$rev" >/dev/null 2>&1 ||
			die "cannot add a worktree of $KSRC at $w"
	fi
	echo "$w"
}

# Does commit $1 touch a Kconfig file (its .config must be made again)?
touches_kconfig() {
	local files
	files=$(kgit diff-tree --no-commit-id --name-only -r "$1")
	grep -qE '(^|/)Kconfig[^/]*$' <<< "$files"
}

# make in the kernel tree SRC, out of tree in BUILD, through ccache.
CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_DIR
# KARCH and KCROSS (an ARCH and a CROSS_COMPILE prefix) select a cross
# build; unset, the build is for the host (x86_64).
# kmake SRC BUILD ARGS...
kmake() {
	local s=$1 b=$2
	shift 2
	local cross=()
	[ -z "${KARCH:-}" ] || cross=(ARCH="$KARCH" CROSS_COMPILE="${KCROSS:-}")
	make -s -C "$s" O="$b" "${cross[@]}" CC="ccache ${KCROSS:-}gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
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
	[ -f "$EDIR/series" ] || die "no series file in $EDIR"
	local listed present bad=0 p dup
	listed=$(series_list | sort)
	present=$(cd "$EDIR/patches" 2>/dev/null && find . -maxdepth 1 -name '*.patch' -printf '%f\n' | sort)
	dup=$(printf '%s\n' "$listed" | uniq -d)
	if [ -n "$dup" ]; then
		echo "series lists a patch twice: $(printf '%s\n' "$dup" | tr '\n' ' ')" >&2
		bad=1
		listed=$(printf '%s\n' "$listed" | uniq)
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
		[ -f "$EDIR/patches/$p" ] || continue
		if ! grep -q '^Subject: ' "$EDIR/patches/$p" || ! grep -q '^diff --git ' "$EDIR/patches/$p"; then
			echo "patches/$p is not a git format-patch mail (no Subject: or no diff)" >&2
			bad=1
		fi
	done
	[ $bad = 0 ] || die "$EDITION: series and patches/ do not match (see above)"
}

# series_touched: every path the edition's patches touch (old and new
# names), one per line.
series_touched() {
	local p
	series_list | while read -r p; do
		sed -n 's|^diff --git a/\([^ ]*\) b/\([^ ]*\)$|\1\n\2|p' "$EDIR/patches/$p"
	done | sort -u
}

# What a built kernel depends on besides the source tree: the config
# variant and the config fragments.
kernel_stamp() {
	printf '%s %s %s\n' "$(kgit rev-parse "$1^{tree}")" "${CONFIG_VARIANT:-boot}" \
		"$(cat "$ETESTS"/configs/*.config | sha256sum | cut -c1-16)"
}
# save_kernel DIR REV: DIR/build's bzImage becomes DIR/bzImage of REV.
save_kernel() {
	cp "$1/build/arch/x86/boot/bzImage" "$1/bzImage"
	kernel_stamp "$2" > "$1/stamp"
}

# The selftests and the guest init (what the boot tests run): a record of
# the base's results is valid for these tests only.
tests_id() {
	local tip dir
	tip=$(series_tip)
	{
		list_file "$ETESTS/selftests.list" | while read -r dir _; do
			kgit rev-parse -q --verify "$tip:tools/testing/selftests/$dir" || echo "none $dir"
		done
		cat "$REPO"/tests/*.sh "$ETESTS/suites.list" "$ETESTS/cmdline" "$ETESTS/devices" "$ETESTS/selftests.list"
	} | sha256sum | cut -c1-16
}
tests_build() {
	local w
	w=$(wt_path k-patched "$(series_tip)")
	"$REPO/scripts/build-tests.sh" "$w" "$OUT/patched/build" "$OUT/tests" &&
		"$REPO/scripts/initramfs.sh" "$OUT/tests" "$OUT/initramfs.cpio.gz"
}
# base_record: the base boot run of OUT/base/boot as the edition's record,
# in OUT/record (check.sh all copies it into the edition).
base_record() {
	local d=$OUT/record
	mkdir -p "$d"
	cp "$OUT/base/boot/results.tsv" "$d/base-results.tsv"
	cp "$OUT/base/boot/metrics.tsv" "$d/base-metrics.tsv"
	{
		echo "# The base kernel's boot-test results, recorded by make check-all;"
		echo "# make check compares the patched kernel against them."
		echo "base-version $(cat "$KSRC/.git/devmem-base-version" 2>/dev/null)"
		echo "kernel $(cat "$OUT/base/stamp")"
		echo "tests $(tests_id)"
		echo "date $(date -u +%Y-%m-%d)"
	} > "$d/base-record"
}
