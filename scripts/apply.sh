#!/usr/bin/env bash
# Apply the series onto the base in KSRC: `git am --3way` on a fresh branch
# devmem/series, then check that `quilt push -a --fuzz=0` applies it too and
# gives the same tree.  On any failure, name the patch and the hunk, and
# leave the tree as it was.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
check_series
check_clean
base=$(base_commit)
mapfile -t patches < <(series_list)

orig=$(kgit symbolic-ref -q --short HEAD || kgit rev-parse HEAD)
tmpb=devmem/series-applying
restore() {
	kgit am --abort >/dev/null 2>&1 || true
	kgit checkout -q -f "$orig" 2>/dev/null || kgit checkout -q -f "$base"
	kgit branch -q -D "$tmpb" >/dev/null 2>&1 || true
}

kgit checkout -q -f -B "$tmpb" "$base"
n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	if ! out=$(kgit am -q --3way --keep-cr "$REPO/patches/$p" 2>&1); then
		printf '%s\n' "$out" | grep -E '^(error|Patch failed|CONFLICT|fatal)' | head -20 >&2
		restore
		die "git am: patch $n ($p) does not apply to $(kgit log -1 --format=%h "$base") + ${n-1} patches; tree left as it was"
	fi
done
kgit checkout -q -f -B "$SERIES_BRANCH" "$tmpb"
kgit branch -q -D "$tmpb"
log "git am: ${#patches[@]} patches applied on branch $SERIES_BRANCH ($(kgit rev-parse --short=12 HEAD))"

# quilt, with no fuzz, in a throw-away worktree of the base.
qt=$(mktemp -d "${TMPDIR:-/tmp}/devmem-quilt.XXXXXX")
cleanup_qt() { kgit worktree remove --force "$qt" >/dev/null 2>&1 || rm -rf "$qt"; kgit worktree prune; }
trap cleanup_qt EXIT
rmdir "$qt"
kgit worktree add -q --detach "$qt" "$base"
if [ ${#patches[@]} -gt 0 ]; then
	if ! out=$(cd "$qt" && QUILT_PATCHES="$REPO/patches" QUILT_SERIES="$REPO/series" quilt push -a --fuzz=0 2>&1); then
		printf '%s\n' "$out" | grep -vE '^(Applying patch|patching file|Now at patch)' | head -20 >&2
		failed=$(printf '%s\n' "$out" | sed -n 's/^Applying patch //p' | tail -1)
		kgit checkout -q -f "$orig" 2>/dev/null || true
		die "quilt push --fuzz=0: ${failed:-a patch} does not apply (git am applied it: context or offset differs); tree left as it was"
	fi
	rm -rf "$qt/.pc"
	qtree=$(git -C "$qt" add -A -f . && git -C "$qt" write-tree)
	if [ "$qtree" != "$(kgit rev-parse "$SERIES_BRANCH^{tree}")" ]; then
		kgit checkout -q -f "$orig" 2>/dev/null || true
		die "quilt and git am give different trees (a patch quilt cannot express, e.g. a mode change or binary?)"
	fi
fi
log "quilt push -a --fuzz=0: applies, same tree as git am"
