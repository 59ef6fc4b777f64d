#!/usr/bin/env bash
# Per-patch gates, like the 0-day bot and the maintainers, for every patch
# of devmem/base..devmem/series of the edition, in order:
#   msg       the commit message rules (scripts/msg-gate.sh)
#   checkpatch  scripts/checkpatch.pl --strict (DRM flags for DRM-only
#             patches), and a MAINTAINERS entry for every new file
#             (scripts/checkpatch-gate.sh)
#   kdoc      scripts/kernel-doc -none -Wall on touched .c/.h, new warnings
#             only (scripts/kdoc-gate.sh)
#   build     a touched-object build: compile, with the boot config, the
#             objects of the .c files the patch touches and, for a header
#             it touches, the objects of the series' .c files that include
#             it (the .cmd dependency lists of the tip's whole build, which
#             build-kernel.sh made before: run the kernels stage first)
#   build-X   the same for every extra config tests/configs/build-X.config
#             (COMPILE_TEST drivers that cannot boot in qemu), restricted
#             to the series' files its "# objects:" line names; never linked
#   sparse    make C=2 on the .c files the patch touches (new warnings only;
#             the parent is checked only when the patch's files have any)
# and on the final tree, against the base: W=1 and coccicheck on every .c
# file the series touches.  "New" means not present, line numbers aside,
# in the parent commit (or the base, for the final-tree gates).
#
# The compile gates (build, build-X, sparse) cost most of the time.  The
# edition's "gated" file records the patch-ids of the last series that
# passed every gate at every patch; the compile gates start at the first
# patch that differs from that record (a v2 is gated from its first new
# patch, as the bots do), and the patches before it say so.  GATE_ALL=1
# gates every patch and, when all pass, writes OUT/gated, the new record
# (`make check-all` copies it into the edition).
# Every revision is checked out in the worktree wt/gate, never in KSRC.
# A whole incremental build after every patch is `make bisect`.
# Writes one verdict line per patch and OUT/gates.results.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
base=$(base_commit)
tip=$(series_tip)
R=$OUT/gates
G=$OUT/gates/boot
T=$OUT/patched/build
TW=$WT/k-patched
mkdir -p "$R"
find "$R" -maxdepth 1 -type f -delete
results=$OUT/gates.results
: > "$results"
rm -f "$OUT/gated"
mapfile -t commits < <(kgit rev-list --reverse "$base..$tip")
total=${#commits[@]}
if [ "$total" = 0 ]; then
	log "$EDITION: no patches, nothing to gate"
	exit 0
fi
if [ ! -f "$T/vmlinux" ] || [ ! -d "$TW" ]; then
	die "no whole build of the tip in $T (run the kernels stage first: the gates take their object lists from it)"
fi
# Every file the series touches, and its .c files.
mapfile -t series_files < <(kgit diff --name-only "$base" "$tip")
mapfile -t series_all_c < <(printf '%s\n' "${series_files[@]}" | grep -E '\.c$' || true)

# The first patch the compile gates check: the first that differs from the
# edition's record (GATE_ALL=1: the first patch).
pid_of() { kgit show "$1" | git patch-id --stable | cut -d' ' -f1; }
first=1
if [ "${GATE_ALL:-0}" != 1 ]; then
	rec=$EDIR/gated
	if [ ! -f "$rec" ]; then
		log "no record of a gated series ($rec): every patch is compile-gated"
	elif [ "$(sed -n 's/^base //p' "$rec")" != "$(cat "$KSRC/.git/devmem-base-version" 2>/dev/null || echo "$BASE_PKG $BASE_PKG_VERSION")" ]; then
		log "the record $rec is for another base: every patch is compile-gated"
	else
		mapfile -t recorded < <(sed -n 's/^\([0-9a-f]\{40\}\) .*/\1/p' "$rec")
		first=$((total + 1))
		for ((i = 0; i < total; i++)); do
			if [ "${recorded[$i]:-}" != "$(pid_of "${commits[$i]}")" ]; then
				first=$((i + 1))
				break
			fi
		done
		if [ $first -gt "$total" ]; then
			log "patches 1-$total are the ones recorded as gated in ${rec#"$REPO"/}: compile gates on the tip only"
		elif [ $first -gt 1 ]; then
			log "patches 1-$((first - 1)) are the ones recorded as gated in ${rec#"$REPO"/}: compile gates from patch $first"
		fi
	fi
fi

# Every worktree path, stripped from warnings; drop line:column numbers
# and sort (a multiset).
norm() { sed -E -e "s|$WT/[^/]*/||g" -e 's/:[0-9]+(:[0-9]+)?:/:/' -e 's/ line [0-9]+/ line N/' | sort; }
newlines() { comm -13 <(norm < "$1") <(norm < "$2"); }

# Extra build configs (tests/configs/build-*.config), each in its own build
# directory.  Its "# objects: PATH..." line names the series' files it is
# there to compile (prefixes); its "# gates: PATH..." line the paths whose
# change makes a patch compile them (every patch if it has none).
mapfile -t extras < <(cd "$ETESTS/configs" && find . -maxdepth 1 -name 'build-*.config' -printf '%f\n' | sed 's/\.config$//' | sort)
x86_extras=()
for x in "${extras[@]}"; do
	grep -q '^# objects: *[^ ]' "$ETESTS/configs/$x.config" ||
		die "tests/configs/$x.config has no '# objects:' line (the files it is there to compile)"
	case "$(config_arch "$ETESTS/configs/$x.config")" in
	"" | "x86_64" | "x86_64 "*) x86_extras+=("$x") ;;
	esac
done
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
# dependents DIR SRC HEADER...: objects of the series' .c files that DIR's
# last build of them (from source tree SRC) included one of HEADERs into
# (kbuild's .cmd files).
dependents() {
	local d=$1 s=$2 f c h
	shift 2
	[ $# -gt 0 ] || return 0
	for f in "${series_all_c[@]}"; do
		c="$d/$(dirname "$f")/.$(basename "${f%.c}").o.cmd"
		if [ ! -f "$c" ] || [ ! -f "$W/$f" ]; then
			continue
		fi
		for h in "$@"; do
			if grep -qE "$(printf '%s' "$s/$h" | sed 's/[.+]/\\&/g')( |\$)" "$c"; then
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
# The .config of a build directory is made again (scripts/config.sh) only
# when $reconf is 1: at the first compile-gated patch, the tip (strict) and
# a patch that touches a Kconfig file; otherwise kbuild keeps using it.
reconf=1
# build STRICT TARGET...: (re)configure if $reconf, make TARGETs (objects;
# none: configure only); log in $R/build.log
build() {
	local st=$1
	shift
	: > "$R/config.log"
	: > "$R/build.log"
	if [ $reconf = 1 ]; then
		STRICT=$st "$REPO/scripts/config.sh" "$W" "$G" ${CONFIG_VARIANT:+"$CONFIG_VARIANT"} > "$R/config.log" 2>&1 || return 1
	fi
	[ $# -gt 0 ] || return 0
	kmake "$W" "$G" -k "$@" > "$R/build.log" 2>&1
}
# build_extra NAME STRICT OBJECT...: log in $R/NAME.log
build_extra() {
	local x=$1 st=$2 d KARCH="" KCROSS=""
	d=$(xdir "$1")
	shift 2
	read -r KARCH KCROSS <<< "$(config_arch "$ETESTS/configs/$x.config")"
	: > "$R/$x.log"
	if [ $reconf = 1 ]; then
		STRICT=$st "$REPO/scripts/config.sh" "$W" "$d" "$x" > "$R/$x.log" 2>&1 || return 1
	fi
	[ $# -gt 0 ] || return 0
	KARCH=$KARCH KCROSS=$KCROSS kmake "$W" "$d" -k "$@" >> "$R/$x.log" 2>&1
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
# W=1 and coccicheck warnings of FILES in the gate worktree (every build
# directory configured): final_check OUTPREFIX FILES...
final_check() {
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
# show FILE: the lines of a gate's log worth reading, indented.
show() { grep -E '(error|warning):|\*\*\*' "$1" | tail -40 | sed 's/^/    /' || true; }

# The base: configure every build directory and take the W=1 and
# coccicheck baseline of the series' files.
log "base $(kgit rev-parse --short=12 "$base"): configure, W=1 and coccicheck baseline"
W=$(wt_path gate "$base")
t0=$(date +%s)
build 0 || { tail -30 "$R/config.log" >&2; die "the boot config cannot be made at the base"; }
for x in "${extras[@]}"; do
	build_extra "$x" 0 || { tail -30 "$R/$x.log" >&2; die "tests/configs/$x.config cannot be made at the base"; }
done
mapfile -t series_c < <(compiled "${series_files[@]}")
final_check "$R/base" "${series_c[@]}"
log "base done in $(( $(date +%s) - t0 ))s"

fails=0
i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	subj=$(kgit log -1 --format=%s "$c")
	mapfile -t files < <(kgit diff-tree --no-commit-id --name-only -r "$c")
	mapfile -t cfiles < <(printf '%s\n' "${files[@]}" | grep -E '\.c$' || true)
	mapfile -t hfiles < <(printf '%s\n' "${files[@]}" | grep -E '\.h$' || true)
	tag=$(printf '%02d' "$i")

	# the commit message
	if "$REPO/scripts/msg-gate.sh" "$c" > "$R/$tag.msg" 2>&1; then v_msg=ok; else v_msg=FAIL; fi

	if "$REPO/scripts/checkpatch-gate.sh" "$c" > "$R/$tag.checkpatch" 2>&1; then v_cp=ok; else v_cp=FAIL; fi
	if "$REPO/scripts/kdoc-gate.sh" "$c" > "$R/$tag.kdoc" 2>&1; then
		v_kd="ok($(sed -n 's/^kdoc: \([0-9]*\) files$/\1/p' "$R/$tag.kdoc"))"
	else
		v_kd=FAIL
	fi

	v_build="-" v_sp="-" v_extra=""
	if [ $i -ge $first ] || [ "$c" = "$tip" ]; then
		W=$(wt_path gate "$c")
		strict=0
		[ "$c" = "$tip" ] && strict=1
		[ $i = "$first" ] || { [ $first -gt "$total" ] && [ "$c" = "$tip" ]; } || reconf=$strict
		touches_kconfig "$c" && reconf=1
		# what the patch makes the boot config compile
		mapfile -t targets < <({ objs_in "$G" "${cfiles[@]}"; dependents "$T" "$TW" "${hfiles[@]}"; } | sort -u)
		n_obj=${#targets[@]}
		if [ "$n_obj" = 0 ] && [ $reconf = 0 ]; then
			v_build="-"
		elif build $strict "${targets[@]}"; then
			v_build="ok($n_obj)"
		else
			v_build=FAIL
			cp "$R/build.log" "$R/$tag.build.log"
			cat "$R/config.log" >> "$R/$tag.build.log"
		fi

		for x in "${extras[@]}"; do
			targets=()
			if [ "$c" = "$tip" ]; then
				mapfile -t targets < <(extra_objs "$x" "${series_all_c[@]}")
			elif extra_wanted "$x" "${files[@]}"; then
				mapfile -t targets < <({ extra_objs "$x" "${cfiles[@]}"; dependents "$(xdir "$x")" "$W" "${hfiles[@]}" | while read -r o; do in_extra "$x" "${o%.o}.c" && echo "$o"; done; } | sort -u)
			fi
			if [ ${#targets[@]} = 0 ] && [ $reconf = 0 ]; then
				v_extra+=" $x=-"
				continue
			fi
			if build_extra "$x" $strict "${targets[@]}"; then
				v_extra+=" $x=ok(${#targets[@]})"
				printf 'gate/%s/%s\tPASS\n' "$tag" "$x" >> "$results"
			else
				v_extra+=" $x=FAIL"
				printf 'gate/%s/%s\tFAIL\n' "$tag" "$x" >> "$results"
				fails=$((fails + 1))
				show "$R/$x.log"
			fi
		done

		mapfile -t after_c < <(compiled "${cfiles[@]}")
		if [ "$v_build" != FAIL ]; then
			sparse_of "${after_c[@]}" > "$R/$tag.sparse.after"
			: > "$R/$tag.sparse.before"
			# The parent's warnings matter only if the patch's files
			# have any (most patches have none: a make call saved).
			if [ -s "$R/$tag.sparse.after" ]; then
				W=$(wt_path gate "$c^")
				mapfile -t before_c < <(compiled "${cfiles[@]}")
				sparse_of "${before_c[@]}" > "$R/$tag.sparse.before"
				W=$(wt_path gate "$c")
			fi
			newlines "$R/$tag.sparse.before" "$R/$tag.sparse.after" > "$R/$tag.sparse.new"
			if [ -s "$R/$tag.sparse.new" ]; then v_sp=FAIL; else v_sp="ok(${#after_c[@]})"; fi
		else
			v_sp=skip
		fi
		reconf=0
	fi

	printf '[%s/%02d] msg=%-4s checkpatch=%-4s kdoc=%-6s build=%-7s sparse=%-6s%s %s\n' "$tag" "$total" \
		"$v_msg" "$v_cp" "$v_kd" "$v_build" "$v_sp" "$v_extra" "$subj"
	for g in msg:$v_msg checkpatch:$v_cp kdoc:$v_kd build:$v_build sparse:$v_sp; do
		case ${g#*:} in
		FAIL) printf 'gate/%s/%s\tFAIL\n' "$tag" "${g%%:*}" >> "$results"; fails=$((fails + 1)) ;;
		skip | -) printf 'gate/%s/%s\tSKIP\n' "$tag" "${g%%:*}" >> "$results" ;;
		*) printf 'gate/%s/%s\tPASS\n' "$tag" "${g%%:*}" >> "$results" ;;
		esac
	done
	if [ "$v_msg" != ok ]; then sed 's/^/    /' "$R/$tag.msg" | tail -20; fi
	if [ "$v_cp" != ok ]; then sed 's/^/    /' "$R/$tag.checkpatch" | tail -40; fi
	if [ "$v_kd" = FAIL ]; then sed 's/^/    /' "$R/$tag.kdoc" | tail -40; fi
	if [ "$v_sp" = FAIL ]; then sed 's/^/    /' "$R/$tag.sparse.new" | tail -40; fi
	if [ "$v_build" = FAIL ]; then show "$R/$tag.build.log"; fi
done
if [ $first -gt 1 ] && [ $first -le "$total" ]; then
	log "compile gates ran from patch $first: patches 1-$((first - 1)) are unchanged since they were gated whole"
elif [ $first -gt "$total" ]; then
	log "compile gates ran on the tip only: every patch is unchanged since it was gated whole"
fi

# The final tree against the base: W=1 and coccicheck.
W=$(wt_path gate "$tip")
mapfile -t tip_c < <(compiled "${series_files[@]}")
final_check "$R/tip" "${tip_c[@]}"
for g in w1 cocci; do
	touch "$R/base.$g"
	newlines "$R/base.$g" "$R/tip.$g" > "$R/new.$g"
	if [ -s "$R/new.$g" ]; then
		v=FAIL
		fails=$((fails + 1))
	else
		v=PASS
	fi
	printf 'gate/final/%s\t%s\n' "$g" "$v" >> "$results"
	printf '[final] %-6s %s (%d files)\n' "$g" "$v" "${#tip_c[@]}"
	[ $v = PASS ] || sed 's/^/    /' "$R/new.$g"
done
# The series' .c files that no gate config compiles (KUnit suites: the
# kunit stage; tools/: the selftest build).
nc=()
for f in "${series_all_c[@]}"; do
	case "$f" in tools/*) continue ;; esac
	objdir_of "$f" > /dev/null && continue
	for x in "${extras[@]}"; do in_extra "$x" "$f" && continue 2; done
	nc+=("$f")
done
[ ${#nc[@]} = 0 ] || log "compiled by no gate config: ${nc[*]}"
log "$EDITION: $total patches; $fails gate failures (details in $R)"
if [ $fails = 0 ] && [ $first = 1 ]; then
	{
		echo "# The series as last gated whole (every gate at every patch): the"
		echo "# compile gates of make check start at the first patch that differs."
		echo "# Written by scripts/gates.sh (GATE_ALL=1, make check-all); patch-id --stable."
		echo "base $(cat "$KSRC/.git/devmem-base-version" 2>/dev/null || echo "$BASE_PKG $BASE_PKG_VERSION")"
		for c in "${commits[@]}"; do echo "$(pid_of "$c") $(kgit log -1 --format=%s "$c")"; done
	} > "$OUT/gated"
fi
[ $fails = 0 ]
