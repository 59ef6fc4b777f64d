#!/usr/bin/env bash
# Per-patch gates (bisectability), like the 0-day bot and the maintainers:
# for every patch of devmem/base..devmem/series in KSRC, in order:
#   build     compile, with the boot config (tests/configs/boot.config), the
#             objects of the .c files the patch touches and, for a header
#             it touches, the objects of the series' .c files that include
#             it (kbuild's .cmd dependency lists); the base and the tip are
#             built and linked whole (bzImage: the boot-test kernels)
#   build-X   the same for every extra config tests/configs/build-X.config
#             (COMPILE_TEST drivers that cannot boot in qemu), restricted
#             to the series' files its "# objects:" line names; never linked
#   sparse    make C=2 on the .c files the patch touches (new warnings only;
#             the parent is checked only when the patch's files have any)
#   checkpatch  scripts/checkpatch.pl --strict (DRM flags for DRM-only patches)
#   kdoc      scripts/kernel-doc -none -Wall on touched .c/.h (new warnings only)
# and on the final tree, against the base: W=1 and coccicheck on every .c
# file the series touches.  "New" means not present, line numbers aside, in
# the parent commit (or the base, for the final-tree gates).
# A whole incremental build after every patch (bzImage, with every header
# change's full rebuild) is `make bisect` (scripts/bisect.sh): on two cores
# it does not fit in the CI budget next to the boot tests.
# Writes one verdict line per patch and $OUT/gates.results.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# DRM maintainers' checkpatch flags (dim checkpatch, i915 CI), used only for
# patches that touch nothing outside DRM.
DRM_CHECKPATCH_FLAGS=(--max-line-length=100 '--ignore=BIT_MACRO,SPLIT_STRING,LONG_LINE_STRING,BOOL_MEMBER')
# The base tree is a Debian tarball without upstream history, so checkpatch
# cannot look up the commits that Fixes: tags name.
# "does MAINTAINERS need updating?" fires for every new file; instead,
# new_files_maintained() below fails a patch whose new file no MAINTAINERS
# entry covers (MAINTAINERS.fragment lists the lines the series adds).
CHECKPATCH_FLAGS=(--strict --quiet --no-summary --ignore UNKNOWN_COMMIT_ID --ignore FILE_PATH_CHANGES)

check_ksrc
check_clean
base=$(base_commit)
tip=$(series_tip)
B=$OUT/patched/build
R=$OUT/gates
mkdir -p "$R"
rm -f "$R"/*
results=$OUT/gates.results
: > "$results"
mapfile -t commits < <(kgit rev-list --reverse "$base..$tip")
total=${#commits[@]}
# Every file the series touches, and its .c files.
mapfile -t series_files < <(kgit diff --name-only "$base" "$tip")
mapfile -t series_all_c < <(printf '%s\n' "${series_files[@]}" | grep -E '\.c$' || true)

orig=$(kgit symbolic-ref -q --short HEAD || kgit rev-parse HEAD)
trap 'kgit checkout -q -f "$orig" 2>/dev/null || true' EXIT

# normalise: drop line:column numbers and the build path, sort (a multiset).
norm() { sed -E -e "s|$KSRC/||g" -e 's/:[0-9]+(:[0-9]+)?:/:/' -e 's/ line [0-9]+/ line N/' | sort; }
newlines() { comm -13 <(norm < "$1") <(norm < "$2"); }

# Extra build configs (tests/configs/build-*.config), each in its own build
# directory.  Its "# objects: PATH..." line names the series' files it is
# there to compile (prefixes); its "# gates: PATH..." line the paths whose
# change makes a patch compile them (every patch if it has none).
mapfile -t extras < <(cd "$REPO/tests/configs" && find . -maxdepth 1 -name 'build-*.config' -printf '%f\n' | sed 's/\.config$//' | sort)
x86_extras=()
for x in "${extras[@]}"; do
	grep -q '^# objects: *[^ ]' "$REPO/tests/configs/$x.config" ||
		die "tests/configs/$x.config has no '# objects:' line (the files it is there to compile)"
	case "$(config_arch "$REPO/tests/configs/$x.config")" in
	"" | "x86_64" | "x86_64 "*) x86_extras+=("$x") ;;
	esac
done
xdir() { echo "$OUT/gates-$1/build"; }
# in_extra NAME FILE: is FILE under one of NAME's "# objects:" paths?
in_extra() {
	local paths p
	paths=$(sed -n 's/^# objects: *//p' "$REPO/tests/configs/$1.config")
	for p in $paths; do
		case "$2" in "$p"*) return 0 ;; esac
	done
	return 1
}
extra_wanted() { # extra_wanted NAME FILE...: does a patch with FILEs need it?
	local paths p f
	paths=$(sed -n 's/^# gates: *//p' "$REPO/tests/configs/$1.config")
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
# config's, if its last whole build made the object, else that of an x86
# extra config whose "# objects:" names it.
objdir_of() {
	local x
	[ -f "$B/${1%.c}.o" ] && { echo "$B"; return 0; }
	for x in "${x86_extras[@]}"; do
		in_extra "$x" "$1" && { xdir "$x"; return 0; }
	done
	return 1
}
# .c files of FILES, present in the tree, that an x86 config compiles.
compiled() {
	local f
	for f in "$@"; do
		case "$f" in *.c) [ -f "$KSRC/$f" ] && objdir_of "$f" > /dev/null && echo "$f" ;; esac
	done
	return 0
}
# objs_in DIR FILE...: the objects of the .c FILES that objdir_of puts in
# build directory DIR (each kmake call costs seconds of Makefile parsing
# and compiler probing: one call per directory, not per file; -k so that
# one object that fails does not hide the warnings of the others).
objs_in() {
	local d=$1 f
	shift
	for f in "$@"; do
		[ -f "$KSRC/$f" ] && [ "$(objdir_of "$f")" = "$d" ] && echo "${f%.c}.o"
	done
	return 0
}
x86_dirs() { # the boot build directory and those of the x86 extras
	local x
	echo "$B"
	for x in "${x86_extras[@]}"; do xdir "$x"; done
}
# dependents DIR HEADER...: objects of the series' .c files that DIR's last
# build of them included one of HEADERs into (kbuild's .cmd files).
dependents() {
	local d=$1 f c h
	shift
	[ $# -gt 0 ] || return 0
	for f in "${series_all_c[@]}"; do
		c="$d/$(dirname "$f")/.$(basename "${f%.c}").o.cmd"
		if [ ! -f "$c" ] || [ ! -f "$KSRC/$f" ]; then
			continue
		fi
		for h in "$@"; do
			if grep -qE "$(printf '%s' "$KSRC/$h" | sed 's/[.+]/\\&/g')( |\$)" "$c"; then
				echo "${f%.c}.o"
				break
			fi
		done
	done
	return 0
}
# sparse (and compiler) warnings of the given .c files in the checked-out tree.
sparse_of() {
	local d objs
	while read -r d; do
		mapfile -t objs < <(objs_in "$d" "$@")
		[ ${#objs[@]} -gt 0 ] || continue
		kmake "$d" -k C=2 "${objs[@]}" 2>&1 | grep -E '(warning|error):' || true
	done < <(x86_dirs)
}
kdoc_of() { # kdoc_of REV FILE...
	local rev=$1 f t
	shift
	t=$(mktemp -d)
	for f in "$@"; do
		kgit cat-file -e "$rev:$f" 2>/dev/null || continue
		mkdir -p "$t/$(dirname "$f")"
		kgit show "$rev:$f" > "$t/$f"
		(cd "$t" && "$KSRC/scripts/kernel-doc" -none -Wall "$f" 2>&1) || true
	done
	rm -rf "$t"
}
# Every file commit $1 adds has a maintainer in the MAINTAINERS of $1
# (get_maintainer.pl on that file's part of the patch).
new_files_maintained() {
	local c=$1 f m ok=0
	m=$(mktemp)
	kgit show "$c:MAINTAINERS" > "$m"
	while read -r f; do
		[ -n "$f" ] || continue
		if ! kgit show --format= "$c" -- "$f" |
			(cd "$KSRC" && perl scripts/get_maintainer.pl --mpath "$m" --no-git --no-git-fallback --no-rolestats --nol 2>/dev/null) | grep -q .; then
			echo "$f: new file that no MAINTAINERS entry covers"
			ok=1
		fi
	done < <(kgit diff-tree --no-commit-id --diff-filter=A --name-only -r "$c")
	rm -f "$m"
	return $ok
}
# The .config of a build directory is made again (scripts/config.sh) only
# when $reconf is 1: for the base, the tip (strict) and a patch that
# touches a Kconfig file; otherwise kbuild keeps using it (config.sh runs
# make three times: as long as the build of a small patch).
reconf=1
# build STRICT TARGET...: (re)configure if $reconf, make TARGETs (bzImage
# or objects; none: configure only); log in $R/build.log
build() {
	local st=$1
	shift
	: > "$R/config.log"
	: > "$R/build.log"
	if [ $reconf = 1 ]; then
		STRICT=$st "$REPO/scripts/config.sh" "$B" ${CONFIG_VARIANT:+"$CONFIG_VARIANT"} > "$R/config.log" 2>&1 || return 1
	fi
	[ $# -gt 0 ] || return 0
	kmake "$B" -k "$@" > "$R/build.log" 2>&1
}
# build_extra NAME STRICT OBJECT...: log in $R/NAME.log
build_extra() {
	local x=$1 st=$2 d KARCH="" KCROSS=""
	d=$(xdir "$1")
	shift 2
	read -r KARCH KCROSS <<< "$(config_arch "$REPO/tests/configs/$x.config")"
	: > "$R/$x.log"
	if [ $reconf = 1 ]; then
		STRICT=$st "$REPO/scripts/config.sh" "$d" "$x" > "$R/$x.log" 2>&1 || return 1
	fi
	[ $# -gt 0 ] || return 0
	KARCH=$KARCH KCROSS=$KCROSS kmake "$d" -k "$@" >> "$R/$x.log" 2>&1
}
# extra_objs NAME FILE...: the objects of the .c FILEs, present in the
# tree, that extra config NAME is there to compile.
extra_objs() {
	local x=$1 f
	shift
	for f in "$@"; do
		case "$f" in *.c) [ -f "$KSRC/$f" ] && in_extra "$x" "$f" && echo "${f%.c}.o" ;; esac
	done
	return 0
}

log "base $(kgit rev-parse --short=12 "$base"): configure and build ($B)"
kgit checkout -q -f "$base"
t0=$(date +%s)
build 0 bzImage || { tail -30 "$R/config.log" "$R/build.log" >&2; die "the base does not build with the boot config"; }
for x in "${extras[@]}"; do
	mapfile -t targets < <(extra_objs "$x" "${series_all_c[@]}")
	build_extra "$x" 0 "${targets[@]}" || { tail -30 "$R/$x.log" >&2; die "the base does not compile the objects of tests/configs/$x.config"; }
done
log "base built in $(( $(date +%s) - t0 ))s"
# The same build is the base kernel of the boot tests.
mkdir -p "$OUT/base"
cp "$B/arch/x86/boot/bzImage" "$OUT/base/bzImage"
kernel_stamp "$base" > "$OUT/base/stamp"
if [ "$total" = 0 ]; then
	mkdir -p "$OUT/patched"
	cp "$OUT/base/bzImage" "$OUT/base/stamp" "$OUT/patched/"
fi

mapfile -t series_c < <(compiled "${series_files[@]}")
# W=1 and coccicheck baselines of every compiled file the series touches.
final_check() { # final_check OUTPREFIX FILES...
	local p=$1 d objs
	shift
	: > "$p.w1"
	: > "$p.cocci"
	while read -r d; do
		mapfile -t objs < <(objs_in "$d" "$@")
		[ ${#objs[@]} -gt 0 ] || continue
		kmake "$d" -k W=1 "${objs[@]}" 2>&1 | grep -E '(warning|error):' >> "$p.w1" || true
		kmake "$d" -k C=2 CHECK="$KSRC/scripts/coccicheck" MODE=report "${objs[@]}" 2>/dev/null |
			grep -E '^[^ ]+:[0-9]+:' >> "$p.cocci" || true
	done < <(x86_dirs)
}
if [ ${#series_c[@]} -gt 0 ]; then
	log "W=1 and coccicheck baseline of ${#series_c[@]} files"
	final_check "$R/base" "${series_c[@]}"
fi

fails=0
i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	subj=$(kgit log -1 --format=%s "$c")
	mapfile -t files < <(kgit diff-tree --no-commit-id --name-only -r "$c")
	mapfile -t cfiles < <(printf '%s\n' "${files[@]}" | grep -E '\.c$' || true)
	mapfile -t hfiles < <(printf '%s\n' "${files[@]}" | grep -E '\.h$' || true)
	mapfile -t dfiles < <(printf '%s\n' "${files[@]}" | grep -E '\.(c|h)$' || true)
	tag=$(printf '%02d' "$i")

	# checkpatch on the mail
	cpflags=("${CHECKPATCH_FLAGS[@]}")
	if ! printf '%s\n' "${files[@]}" | grep -qvE '^(drivers/gpu/drm/|include/drm/|include/uapi/drm/)'; then
		cpflags+=("${DRM_CHECKPATCH_FLAGS[@]}")
	fi
	if kgit format-patch -1 --stdout "$c" | (cd "$KSRC" && PATH=/usr/bin:$PATH scripts/checkpatch.pl "${cpflags[@]}" -) > "$R/$tag.checkpatch" 2>&1 &&
		new_files_maintained "$c" >> "$R/$tag.checkpatch"; then
		v_cp=ok
	else
		v_cp=FAIL
	fi

	kdoc_of "$c^" "${dfiles[@]}" > "$R/$tag.kdoc.before"

	kgit checkout -q -f "$c"
	strict=0
	[ "$c" = "$tip" ] && strict=1
	reconf=$strict
	touches_kconfig "$c" && reconf=1
	# what the patch makes the boot config compile
	targets=(bzImage)
	if [ "$c" != "$tip" ]; then
		mapfile -t targets < <({ objs_in "$B" "${cfiles[@]}"; dependents "$B" "${hfiles[@]}"; } | sort -u)
	fi
	n_obj=${#targets[@]}
	if [ "$c" != "$tip" ] && [ "$n_obj" = 0 ] && [ $reconf = 0 ]; then
		v_build="-"
	elif build $strict "${targets[@]}"; then
		v_build=ok
		[ "$c" = "$tip" ] || v_build="ok($n_obj)"
	else
		v_build=FAIL
		cp "$R/build.log" "$R/$tag.build.log"
		cat "$R/config.log" >> "$R/$tag.build.log"
	fi

	v_extra=""
	for x in "${extras[@]}"; do
		targets=()
		if [ "$c" = "$tip" ]; then
			mapfile -t targets < <(extra_objs "$x" "${series_all_c[@]}")
		elif extra_wanted "$x" "${files[@]}"; then
			mapfile -t targets < <({ extra_objs "$x" "${cfiles[@]}"; dependents "$(xdir "$x")" "${hfiles[@]}" | while read -r o; do in_extra "$x" "${o%.o}.c" && echo "$o"; done; } | sort -u)
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
			grep -E '(error|warning):|\*\*\*' "$R/$x.log" | head -20 | sed 's/^/    /'
		fi
	done

	mapfile -t after_c < <(compiled "${cfiles[@]}")
	if [ "$v_build" != FAIL ]; then
		sparse_of "${after_c[@]}" > "$R/$tag.sparse.after"
		: > "$R/$tag.sparse.before"
		# The parent's warnings matter only if the patch's files have
		# any (two thirds of the patches have none: a make call saved).
		if [ -s "$R/$tag.sparse.after" ]; then
			kgit checkout -q -f "$c^"
			mapfile -t before_c < <(compiled "${cfiles[@]}")
			sparse_of "${before_c[@]}" > "$R/$tag.sparse.before"
			kgit checkout -q -f "$c"
		fi
		newlines "$R/$tag.sparse.before" "$R/$tag.sparse.after" > "$R/$tag.sparse.new"
		if [ -s "$R/$tag.sparse.new" ]; then v_sp=FAIL; else v_sp="ok(${#after_c[@]})"; fi
	else
		v_sp=skip
	fi
	kdoc_of "$c" "${dfiles[@]}" > "$R/$tag.kdoc.after"
	newlines "$R/$tag.kdoc.before" "$R/$tag.kdoc.after" > "$R/$tag.kdoc.new"
	if [ -s "$R/$tag.kdoc.new" ]; then v_kd=FAIL; else v_kd="ok(${#dfiles[@]})"; fi

	printf '[%s/%02d] build=%-7s sparse=%-6s checkpatch=%-4s kdoc=%-6s%s %s\n' "$tag" "$total" "$v_build" "$v_sp" "$v_cp" "$v_kd" "$v_extra" "$subj"
	for g in build:$v_build sparse:$v_sp checkpatch:$v_cp kdoc:$v_kd; do
		case ${g#*:} in
		FAIL) printf 'gate/%s/%s\tFAIL\n' "$tag" "${g%%:*}" >> "$results"; fails=$((fails + 1)) ;;
		skip | -) printf 'gate/%s/%s\tSKIP\n' "$tag" "${g%%:*}" >> "$results" ;;
		*) printf 'gate/%s/%s\tPASS\n' "$tag" "${g%%:*}" >> "$results" ;;
		esac
	done
	for f in "$R/$tag.checkpatch" "$R/$tag.sparse.new" "$R/$tag.kdoc.new" "$R/$tag.build.log"; do
		[ -s "$f" ] || continue
		case "$f" in *checkpatch) [ "$v_cp" = ok ] && continue ;; esac
		grep -E '(error|warning):|\*\*\*' "$f" | tail -40 | sed 's/^/    /'
		case "$f" in *build.log) ;; *) sed 's/^/    /' "$f" | tail -40 ;; esac
	done
done

if [ "$total" -gt 0 ] && [ "$v_build" = ok ]; then
	# The tip build is the patched kernel of the boot tests.
	mkdir -p "$OUT/patched"
	cp "$B/arch/x86/boot/bzImage" "$OUT/patched/bzImage"
	kernel_stamp "$tip" > "$OUT/patched/stamp"
fi
if [ "$total" -gt 0 ]; then
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
	# The series' .c files that no gate config compiles (KUnit suites:
	# the kunit stage; tools/: the selftest build).
	nc=()
	for f in "${series_all_c[@]}"; do
		case "$f" in tools/*) continue ;; esac
		objdir_of "$f" > /dev/null && continue
		for x in "${extras[@]}"; do in_extra "$x" "$f" && continue 2; done
		nc+=("$f")
	done
	[ ${#nc[@]} = 0 ] || log "compiled by no gate config: ${nc[*]}"
fi
log "$total patches; $fails gate failures (details in $R)"
[ $fails = 0 ]
