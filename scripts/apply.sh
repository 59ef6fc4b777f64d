#!/usr/bin/env bash
# apply.sh: apply the edition's series onto its base in KSRC.  First
# `quilt push -a --fuzz=0` in a scratch copy of the touched files, then
# `git am --3way` in a worktree of its own (CACHE/EDITION/wt/apply), then
# check that both give the same files; only then does the branch
# devmem/series move to the result.  On a failure it names the patch and
# shows the failing hunk; nothing in KSRC changes (an interrupt included).
# A devmem/series whose commits differ from the new result (unexported
# work) is kept as devmem/saved/DATE, never thrown away.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
check_series
check_clean
base=$(base_commit)
mapfile -t patches < <(series_list)

# quilt, with no fuzz, first, in a scratch directory holding the base
# version of every file the patches touch: quilt needs nothing else.
qt=$(mktemp -d "${TMPDIR:-/tmp}/devmem-quilt.XXXXXX")
w=""
cleanup() {
	rm -rf "$qt"
	[ -z "$w" ] || git -C "$w" am --abort >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mapfile -t touched < <(series_touched)
for f in "${touched[@]}"; do
	if kgit cat-file -e "$base:$f" 2>/dev/null; then
		mkdir -p "$qt/$(dirname "$f")"
		kgit show "$base:$f" > "$qt/$f"
	fi
done
if [ ${#patches[@]} -gt 0 ]; then
	if ! out=$(cd "$qt" && QUILT_PATCHES="$EDIR/patches" QUILT_SERIES="$EDIR/series" quilt push -a --fuzz=0 2>&1); then
		failed=$(printf '%s\n' "$out" | sed -n 's/^Applying patch //p' | tail -1)
		# the output of the failing patch only, without blank lines
		printf '%s\n' "$out" | awk '/^Applying patch /{b=""} {b = b $0 "\n"} END{printf "%s", b}' |
			grep -vE '^(Applying patch|$)' | head -30 | sed 's/^/    /' >&2
		die "$EDITION: quilt push --fuzz=0: ${failed##*/} does not apply to $BASE_PKG $BASE_PKG_VERSION"
	fi
fi
log "quilt push -a --fuzz=0: ${#patches[@]} patches apply"

new=$base
[ ${#patches[@]} = 0 ] || w=$(wt_path apply "$base")
n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	if ! out=$(git -C "$w" am -q --3way --keep-cr --committer-date-is-author-date "$EDIR/patches/$p" 2>&1); then
		printf '%s\n' "$out" | grep -vE '^(hint:|$)' | head -20 | sed 's/^/    /' >&2
		git -C "$w" diff 2>/dev/null | head -40 | sed 's/^/    /' >&2
		if grep -qE 'ident|identity|email address' <<< "$out"; then
			die "git am: patch $n ($p): bad author or committer identity (see above)"
		fi
		die "$EDITION: git am: patch $n ($p) does not apply to $(kgit log -1 --format=%h "$base") + $((n - 1)) patches; nothing changed"
	fi
done
[ -z "$w" ] || new=$(git -C "$w" rev-parse HEAD)

# quilt and git am must give the same files.
for f in "${touched[@]}"; do
	if kgit cat-file -e "$new:$f" 2>/dev/null; then
		kgit show "$new:$f" | cmp -s - "$qt/$f" ||
			die "quilt and git am give different $f (a change quilt cannot express: mode, binary?)"
	elif [ -e "$qt/$f" ] && [ -s "$qt/$f" ]; then
		die "quilt leaves $f, which git am deleted"
	fi
done

old=$(kgit rev-parse -q --verify "refs/heads/$SERIES_BRANCH^{commit}" || true)
if [ -n "$old" ] && [ "$old" != "$new" ]; then
	cur=$(kgit symbolic-ref -q HEAD || true)
	[ "$cur" != "refs/heads/$SERIES_BRANCH" ] ||
		die "$SERIES_BRANCH is checked out in $KSRC: check out another branch first (apply moves it)"
	# Commits on the old branch that the series does not give (unexported
	# work, or an older series): keep them.  Same trees and messages is
	# the same series (older runs committed with other dates).
	sig() { kgit log --format='%an <%ae>%n%B' "$base..$1"; kgit rev-parse "$1^{tree}"; }
	if [ "$(kgit rev-list --count "$base..$old" 2>/dev/null || echo x)" != 0 ] &&
		[ "$(sig "$old" 2>/dev/null || true)" != "$(sig "$new")" ]; then
		saved=devmem/saved/$(date -u +%Y%m%d-%H%M%S)
		kgit branch -q "$saved" "$old"
		warn "$SERIES_BRANCH had commits that the series does not give; kept as $saved"
	fi
fi
kgit update-ref "refs/heads/$SERIES_BRANCH" "$new"
log "$EDITION: git am: ${#patches[@]} patches applied on branch $SERIES_BRANCH ($(kgit rev-parse --short=12 "$new"))"
