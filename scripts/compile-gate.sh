#!/usr/bin/env bash
# compile-gate.sh REV TAG RECONF STRICT: the compile gates of one patch,
# commit REV of the edition's KSRC, checked out in the worktree wt/gate:
#   build     a touched-object build: compile, with the boot config, the
#             objects of the .c files REV touches and, for a header it
#             touches, the objects of the series' .c files that include
#             it (the .cmd dependency lists of the tip's whole build)
#   build-X   the same for every extra config tests/configs/build-X.config
#             (COMPILE_TEST drivers that cannot boot in qemu), restricted
#             to the series' files its "# objects:" line names; never
#             linked (the tip compiles every such file of the series)
#   sparse    make C=2 on the .c files REV touches: new warnings only (the
#             parent is checked only when REV's files have any)
# RECONF=1 makes every .config again (scripts/config.sh; needed at the
# first patch gated, after a Kconfig change and at the tip), STRICT=1
# fails on a requested symbol the tree does not define (the tip).
# Appends gate/TAG/NAME rows to OUT/gates.results; prints one line,
# "build=V sparse=V [build-X=V...]", then what failed, indented.
# Exits 1 if a gate failed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/gate-lib.sh
. "$(dirname "$0")/gate-lib.sh"

[ $# = 4 ] || die "usage: compile-gate.sh REV TAG RECONF STRICT"
c=$(kgit rev-parse -q --verify "$1^{commit}") || die "$1 is not a commit in $KSRC"
tag=$2 reconf=$3 strict=$4
check_ksrc
gate_init
results=$OUT/gates.results
touch "$results"

mapfile -t files < <(kgit diff-tree --no-commit-id --name-only -r "$c")
mapfile -t cfiles < <(printf '%s\n' "${files[@]}" | grep -E '\.c$' || true)
mapfile -t hfiles < <(printf '%s\n' "${files[@]}" | grep -E '\.h$' || true)

# dependents DIR SRC HEADER...: objects of the series' .c files that DIR's
# last build of them (from source tree SRC) included one of HEADERs into
# (kbuild's .cmd files).
dependents() {
	local d=$1 s=$2 f cmd h
	shift 2
	[ $# -gt 0 ] || return 0
	for f in "${series_all_c[@]}"; do
		cmd="$d/$(dirname "$f")/.$(basename "${f%.c}").o.cmd"
		if [ ! -f "$cmd" ] || [ ! -f "$W/$f" ]; then
			continue
		fi
		for h in "$@"; do
			if grep -qE "$(printf '%s' "$s/$h" | sed 's/[.+]/\\&/g')( |\$)" "$cmd"; then
				echo "${f%.c}.o"
				break
			fi
		done
	done
	return 0
}
# sparse (and compiler) warnings of the given .c files in the gate worktree.
sparse_of() {
	local d objs
	while read -r d; do
		mapfile -t objs < <(objs_in "$d" "$@")
		[ ${#objs[@]} -gt 0 ] || continue
		kmake "$W" "$d" -k C=2 "${objs[@]}" 2>&1 | grep -E '(warning|error):|\*\*\*' || true
	done < <(x86_dirs)
}
# extra_objs NAME FILE...: the objects of the .c FILEs, present in the
# gate worktree, that extra config NAME is there to compile.
extra_objs() {
	local x=$1 f
	shift
	for f in "$@"; do
		case "$f" in *.c) [ -f "$W/$f" ] && in_extra "$x" "$f" && echo "${f%.c}.o" ;; esac
	done
	return 0
}
row() { printf 'gate/%s/%s\t%s\n' "$tag" "$1" "$2" >> "$results"; }

W=$(wt_path gate "$c")
details=$(mktemp)
trap 'rm -f "$details"' EXIT
fails=0

# the boot config
mapfile -t targets < <({ objs_in "$G" "${cfiles[@]}"; dependents "$T" "$TW" "${hfiles[@]}"; } | sort -u)
n_obj=${#targets[@]}
if [ "$n_obj" = 0 ] && [ "$reconf" = 0 ]; then
	v_build="-"
elif build "$strict" "$reconf" "${targets[@]}"; then
	v_build="ok($n_obj)"
else
	v_build=FAIL
	cp "$R/build.log" "$R/$tag.build.log"
	cat "$R/config.log" >> "$R/$tag.build.log"
	show "$R/$tag.build.log" >> "$details"
fi

# the extra configs
v_extra=""
for x in "${extras[@]}"; do
	targets=()
	if [ "$c" = "$tip" ]; then
		mapfile -t targets < <(extra_objs "$x" "${series_all_c[@]}")
	elif extra_wanted "$x" "${files[@]}"; then
		mapfile -t targets < <({ extra_objs "$x" "${cfiles[@]}"; dependents "$(xdir "$x")" "$W" "${hfiles[@]}" | while read -r o; do in_extra "$x" "${o%.o}.c" && echo "$o"; done; } | sort -u)
	fi
	if [ ${#targets[@]} = 0 ] && [ "$reconf" = 0 ]; then
		v_extra+=" $x=-"
		continue
	fi
	if build_extra "$x" "$strict" "$reconf" "${targets[@]}"; then
		v_extra+=" $x=ok(${#targets[@]})"
		row "$x" PASS
	else
		v_extra+=" $x=FAIL"
		row "$x" FAIL
		fails=$((fails + 1))
		show "$R/$x.log" >> "$details"
	fi
done

# sparse, new warnings only
mapfile -t after_c < <(compiled "${cfiles[@]}")
if [ "$v_build" != FAIL ]; then
	sparse_of "${after_c[@]}" > "$R/$tag.sparse.after"
	: > "$R/$tag.sparse.before"
	# The parent's warnings matter only if the patch's files have any
	# (most patches have none: a make call saved).
	if [ -s "$R/$tag.sparse.after" ]; then
		W=$(wt_path gate "$c^")
		mapfile -t before_c < <(compiled "${cfiles[@]}")
		sparse_of "${before_c[@]}" > "$R/$tag.sparse.before"
		W=$(wt_path gate "$c")
	fi
	newlines "$R/$tag.sparse.before" "$R/$tag.sparse.after" > "$R/$tag.sparse.new"
	if [ -s "$R/$tag.sparse.new" ]; then
		v_sp=FAIL
		sed 's/^/    /' "$R/$tag.sparse.new" | tail -40 >> "$details"
	else
		v_sp="ok(${#after_c[@]})"
	fi
else
	v_sp=skip
fi

for g in build:$v_build sparse:$v_sp; do
	case ${g#*:} in
	FAIL) row "${g%%:*}" FAIL; fails=$((fails + 1)) ;;
	skip | -) row "${g%%:*}" SKIP ;;
	*) row "${g%%:*}" PASS ;;
	esac
done
printf 'build=%-7s sparse=%-6s%s\n' "$v_build" "$v_sp" "$v_extra"
cat "$details"
[ $fails = 0 ]
