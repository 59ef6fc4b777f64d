# shellcheck shell=bash
# gate-lib.sh: what the compile gates share (scripts/compile-gate.sh,
# scripts/final-gate.sh, scripts/gates.sh); sourced after lib.sh.
# gate_init sets:
#   base, tip      the edition's base commit and series tip
#   R              OUT/gates, where the gates keep their logs
#   G              the boot config's gate build directory
#   T, TW          the tip's whole build (kernels stage) and its worktree:
#                  the object lists and .cmd dependencies come from them
#   series_files, series_all_c   what the series touches, its .c files
#   extras, x86_extras           tests/configs/build-*.config names
# The gate worktree is $W (wt/gate), set by the caller with wt_path.

gate_init() {
	base=$(base_commit)
	tip=$(series_tip)
	R=$OUT/gates
	G=$OUT/gates/boot
	T=$OUT/patched/build
	TW=$WT/k-patched
	mkdir -p "$R"
	if [ ! -f "$T/vmlinux" ] || [ ! -d "$TW" ]; then
		die "no whole build of the tip in $T (run the kernels stage first: the gates take their object lists from it)"
	fi
	mapfile -t series_files < <(kgit diff --name-only "$base" "$tip")
	# shellcheck disable=SC2034 # used by the scripts that source this
	mapfile -t series_all_c < <(printf '%s\n' "${series_files[@]}" | grep -E '\.c$' || true)
	# Extra build configs (tests/configs/build-*.config), each in its own
	# build directory.  Its "# objects: PATH..." line names the series'
	# files it is there to compile (prefixes); its "# gates: PATH..." line
	# the paths whose change makes a patch compile them (every patch if it
	# has none).
	mapfile -t extras < <(cd "$ETESTS/configs" && find . -maxdepth 1 -name 'build-*.config' -printf '%f\n' | sed 's/\.config$//' | sort)
	x86_extras=()
	local x
	for x in "${extras[@]}"; do
		grep -q '^# objects: *[^ ]' "$ETESTS/configs/$x.config" ||
			die "tests/configs/$x.config has no '# objects:' line (the files it is there to compile)"
		case "$(config_arch "$ETESTS/configs/$x.config")" in
		"" | "x86_64" | "x86_64 "*) x86_extras+=("$x") ;;
		esac
	done
}

# Every worktree path, stripped from warnings; drop line:column numbers
# and sort (a multiset).
norm() { sed -E -e "s|$WT/[^/]*/||g" -e 's/:[0-9]+(:[0-9]+)?:/:/' -e 's/ line [0-9]+/ line N/' | sort; }
newlines() { comm -13 <(norm < "$1") <(norm < "$2"); }

xdir() { echo "$OUT/gates/$1"; }
# in_extra NAME FILE: is FILE under one of NAME's "# objects:" paths?
in_extra() {
	local paths p
	paths=$(sed -n 's/^# objects: *//p' "$ETESTS/configs/$1.config")
	for p in $paths; do
		case "$2" in "$p"*) return 0 ;; esac
	done
	return 1
}
extra_wanted() { # extra_wanted NAME FILE...: does a patch with FILEs need it?
	local paths p f
	paths=$(sed -n 's/^# gates: *//p' "$ETESTS/configs/$1.config")
	shift
	[ -n "$paths" ] || return 0
	for f in "$@"; do
		for p in $paths; do
			case "$f" in "$p"*) return 0 ;; esac
		done
	done
	return 1
}
# The x86 build directory that compiles FILE (a .c file): the boot
# config's, if the tip's whole build made its object, else that of an x86
# extra config whose "# objects:" names it.
objdir_of() {
	local x
	[ -f "$T/${1%.c}.o" ] && { echo "$G"; return 0; }
	for x in "${x86_extras[@]}"; do
		in_extra "$x" "$1" && { xdir "$x"; return 0; }
	done
	return 1
}
# .c files of FILES, present in the gate worktree, that an x86 config compiles.
compiled() {
	local f
	for f in "$@"; do
		case "$f" in *.c) [ -f "$W/$f" ] && objdir_of "$f" > /dev/null && echo "$f" ;; esac
	done
	return 0
}
# objs_in DIR FILE...: the objects of the .c FILES that objdir_of puts in
# build directory DIR (one make call per directory, not per file; -k so
# that one object that fails does not hide the warnings of the others).
objs_in() {
	local d=$1 f
	shift
	for f in "$@"; do
		[ -f "$W/$f" ] && [ "$(objdir_of "$f")" = "$d" ] && echo "${f%.c}.o"
	done
	return 0
}
x86_dirs() { # the boot gate build directory and those of the x86 extras
	local x
	echo "$G"
	for x in "${x86_extras[@]}"; do xdir "$x"; done
}
# build STRICT RECONF TARGET...: (re)configure the boot gate directory if
# RECONF is 1, make TARGETs (objects; none: configure only); logs in
# $R/config.log and $R/build.log
build() {
	local st=$1 rc=$2
	shift 2
	: > "$R/config.log"
	: > "$R/build.log"
	if [ "$rc" = 1 ]; then
		STRICT=$st "$REPO/scripts/config.sh" "$W" "$G" ${CONFIG_VARIANT:+"$CONFIG_VARIANT"} > "$R/config.log" 2>&1 || return 1
	fi
	[ $# -gt 0 ] || return 0
	kmake "$W" "$G" -k "$@" > "$R/build.log" 2>&1
}
# build_extra NAME STRICT RECONF OBJECT...: log in $R/NAME.log
build_extra() {
	local x=$1 st=$2 rc=$3 d KARCH="" KCROSS=""
	d=$(xdir "$1")
	shift 3
	read -r KARCH KCROSS <<< "$(config_arch "$ETESTS/configs/$x.config")"
	: > "$R/$x.log"
	if [ "$rc" = 1 ]; then
		STRICT=$st "$REPO/scripts/config.sh" "$W" "$d" "$x" > "$R/$x.log" 2>&1 || return 1
	fi
	[ $# -gt 0 ] || return 0
	KARCH=$KARCH KCROSS=$KCROSS kmake "$W" "$d" -k "$@" >> "$R/$x.log" 2>&1
}
# show FILE: the lines of a gate's log worth reading, indented.
show() { grep -E '(error|warning):|\*\*\*' "$1" | tail -40 | sed 's/^/    /' || true; }
