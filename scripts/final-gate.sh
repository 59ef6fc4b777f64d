#!/usr/bin/env bash
# final-gate.sh: the final tree of the edition's series against its base:
# W=1 and coccicheck on every .c file the series touches that a gate
# config compiles; a warning is new if the base has no such line (line
# numbers aside).  Configures every gate build directory at the base,
# then again at the tip, in the worktree wt/gate.  Appends the
# gate/final/{w1,cocci} rows to OUT/gates.results, prints a line per
# gate and the new warnings; exits 1 if there is any.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/gate-lib.sh
. "$(dirname "$0")/gate-lib.sh"

[ $# = 0 ] || die "usage: final-gate.sh"
check_ksrc
gate_init
results=$OUT/gates.results
touch "$results"

# W=1 and coccicheck warnings of FILES in the gate worktree (every build
# directory configured): warnings OUTPREFIX FILES...
warnings() {
	local p=$1 d objs
	shift
	: > "$p.w1"
	: > "$p.cocci"
	while read -r d; do
		mapfile -t objs < <(objs_in "$d" "$@")
		[ ${#objs[@]} -gt 0 ] || continue
		kmake "$W" "$d" -k W=1 "${objs[@]}" 2>&1 | grep -E '(warning|error):|\*\*\*' >> "$p.w1" || true
		kmake "$W" "$d" -k C=2 CHECK="$W/scripts/coccicheck" MODE=report "${objs[@]}" 2>/dev/null |
			grep -E '^[^ ]+:[0-9]+:' >> "$p.cocci" || true
	done < <(x86_dirs)
}
# configure REV STRICT: every gate build directory, for REV
configure() {
	local x
	W=$(wt_path gate "$1")
	build "$2" 1 || { tail -30 "$R/config.log" >&2; die "the boot config cannot be made at $1"; }
	for x in "${extras[@]}"; do
		build_extra "$x" "$2" 1 || { tail -30 "$R/$x.log" >&2; die "tests/configs/$x.config cannot be made at $1"; }
	done
}

t0=$(date +%s)
configure "$base" 0
mapfile -t files < <(compiled "${series_files[@]}")
warnings "$R/base" "${files[@]}"
configure "$tip" 1
mapfile -t files < <(compiled "${series_files[@]}")
warnings "$R/tip" "${files[@]}"
fails=0
for g in w1 cocci; do
	newlines "$R/base.$g" "$R/tip.$g" > "$R/new.$g"
	if [ -s "$R/new.$g" ]; then
		v=FAIL
		fails=$((fails + 1))
	else
		v=PASS
	fi
	printf 'gate/final/%s\t%s\n' "$g" "$v" >> "$results"
	printf '[final] %-6s %s (%d files, %ds)\n' "$g" "$v" "${#files[@]}" "$(( $(date +%s) - t0 ))"
	[ $v = PASS ] || sed 's/^/    /' "$R/new.$g"
done
[ $fails = 0 ]
