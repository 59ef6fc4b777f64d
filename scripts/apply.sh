#!/usr/bin/env bash
# Apply the series onto the base in KSRC: check that `quilt push -a
# --fuzz=0` applies it, then `git am --3way` on a fresh branch devmem/series,
# and that both give the same tree.  On any failure, name the patch and the hunk, and
# leave the tree as it was.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
check_series
check_clean
base=$(base_commit)
mapfile -t patches < <(series_list)

# quilt, with no fuzz, first (so that a failure leaves nothing changed), in
# a scratch directory holding the base version of every file the patches
# touch: quilt needs nothing else.
qt=$(mktemp -d "${TMPDIR:-/tmp}/devmem-quilt.XXXXXX")
trap 'rm -rf "$qt"' EXIT
mapfile -t touched < <(for p in "${patches[@]}"; do
	sed -n 's|^diff --git a/\([^ ]*\) b/\([^ ]*\)$|\1\n\2|p' "$REPO/patches/$p"
done | sort -u)
for f in "${touched[@]}"; do
	if kgit cat-file -e "$base:$f" 2>/dev/null; then
		mkdir -p "$qt/$(dirname "$f")"
		kgit show "$base:$f" > "$qt/$f"
	fi
done
if [ ${#patches[@]} -gt 0 ]; then
	if ! out=$(cd "$qt" && QUILT_PATCHES="$REPO/patches" QUILT_SERIES="$REPO/series" quilt push -a --fuzz=0 2>&1); then
		printf '%s\n' "$out" | grep -vE '^(Applying patch|patching file|Now at patch)' | head -20 >&2
		failed=$(printf '%s\n' "$out" | sed -n 's/^Applying patch //p' | tail -1)
		die "quilt push --fuzz=0: ${failed##*/} does not apply; tree left as it was"
	fi
fi
log "quilt push -a --fuzz=0: ${#patches[@]} patches apply"

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
		die "git am: patch $n ($p) does not apply to $(kgit log -1 --format=%h "$base") + $((n - 1)) patches; tree left as it was"
	fi
done
kgit checkout -q -f -B "$SERIES_BRANCH" "$tmpb"
kgit branch -q -D "$tmpb"
log "git am: ${#patches[@]} patches applied on branch $SERIES_BRANCH ($(kgit rev-parse --short=12 HEAD))"

# quilt and git am must give the same files.
for f in "${touched[@]}"; do
	if kgit cat-file -e "$SERIES_BRANCH:$f" 2>/dev/null; then
		kgit show "$SERIES_BRANCH:$f" | cmp -s - "$qt/$f" ||
			die "quilt and git am give different $f (a change quilt cannot express: mode, binary?)"
	elif [ -e "$qt/$f" ] && [ -s "$qt/$f" ]; then
		die "quilt leaves $f, which git am deleted"
	fi
done
