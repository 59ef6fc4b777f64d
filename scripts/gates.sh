#!/usr/bin/env bash
# Per-patch gates (bisectability), like the 0-day bot and the maintainers:
# for every patch of devmem/base..devmem/series in KSRC, in order:
#   build     incremental build of the boot config (tests/configs/boot.config)
#   build-X   incremental build (vmlinux) of every extra config
#             tests/configs/build-X.config, layered on the boot config (for
#             example COMPILE_TEST drivers that cannot boot in qemu)
#   sparse    make C=2 on the .c files the patch touches (new warnings only)
#   checkpatch  scripts/checkpatch.pl --strict (DRM flags for DRM-only patches)
#   kdoc      scripts/kernel-doc -none -Wall on touched .c/.h (new warnings only)
# and on the final tree, against the base: W=1 and coccicheck on every .c
# file the series touches.  "New" means not present, line numbers aside, in
# the parent commit (or the base, for the final-tree gates).
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
tip=$(kgit rev-parse -q --verify "$SERIES_BRANCH^{commit}") || die "no branch $SERIES_BRANCH in $KSRC: run 'make apply' first"
B=$OUT/patched/build
R=$OUT/gates
mkdir -p "$R"
rm -f "$R"/*
rm -rf "$OUT/probe"
results=$OUT/gates.results
: > "$results"
mapfile -t commits < <(kgit rev-list --reverse "$base..$tip")
total=${#commits[@]}

orig=$(kgit symbolic-ref -q --short HEAD || kgit rev-parse HEAD)
trap 'kgit checkout -q -f "$orig" 2>/dev/null || true' EXIT

# normalise: drop line:column numbers and the build path, sort (a multiset).
norm() { sed -E -e "s|$KSRC/||g" -e 's/:[0-9]+(:[0-9]+)?:/:/' -e 's/ line [0-9]+/ line N/' | sort; }
newlines() { comm -13 <(norm < "$1") <(norm < "$2"); }

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
# sparse (and compiler) warnings of the given .c files in the checked-out tree.
sparse_of() {
	local d objs
	for d in "$B" "${x86_extra_dirs[@]}"; do
		mapfile -t objs < <(objs_in "$d" "$@")
		[ ${#objs[@]} -gt 0 ] || continue
		kmake "$d" -k C=2 "${objs[@]}" 2>&1 | grep -E '(warning|error):' || true
	done
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
# The x86 build directory that compiles FILE (a .c file): the boot
# config's, else that of an extra x86 config (x86_extra_dirs, set below).
objdir_of() {
	local d
	for d in "$B" "${x86_extra_dirs[@]}"; do
		[ -f "$d/${1%.c}.o" ] && { echo "$d"; return 0; }
	done
	return 1
}
# .c files of FILES that an x86 config compiles.
compiled() {
	local f
	for f in "$@"; do
		case "$f" in *.c) objdir_of "$f" > /dev/null && echo "$f" ;; esac
	done
	return 0
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
build() { # build STRICT -> log in $R/build.log
	: > "$R/config.log"
	if [ $reconf = 1 ]; then
		STRICT=$1 "$REPO/scripts/config.sh" "$B" ${CONFIG_VARIANT:+"$CONFIG_VARIANT"} > "$R/config.log" 2>&1 || return 1
	fi
	kmake "$B" bzImage > "$R/build.log" 2>&1
}

# Extra build configs, each in its own build directory: vmlinux for the base
# and the tip; for every patch that touches one of the paths its
# "# gates: PATH..." line names (all patches if it has none), the objects
# of the .c files the patch touches that the config compiles (a patch that
# touches none of them only at the tip).
mapfile -t extras < <(cd "$REPO/tests/configs" && find . -maxdepth 1 -name 'build-*.config' -printf '%f\n' | sed 's/\.config$//' | sort)
x86_extra_dirs=()
for x in "${extras[@]}"; do
	case "$(config_arch "$REPO/tests/configs/$x.config")" in
	"" | "x86_64" | "x86_64 "*) x86_extra_dirs+=("$OUT/gates-$x/build") ;;
	esac
done
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
build_extra() { # build_extra NAME STRICT [TARGET...] -> log in $R/NAME.log
	local x=$1 st=$2 d=$OUT/gates-$1/build KARCH="" KCROSS=""
	shift 2
	[ $# -gt 0 ] || set -- vmlinux
	read -r KARCH KCROSS <<< "$(config_arch "$REPO/tests/configs/$x.config")"
	: > "$R/$x.log"
	if [ $reconf = 1 ]; then
		STRICT=$st "$REPO/scripts/config.sh" "$d" "$x" > "$R/$x.log" 2>&1 || return 1
	fi
	KARCH=$KARCH KCROSS=$KCROSS kmake "$d" "$@" >> "$R/$x.log" 2>&1
}
# The objects of FILES (.c) that extra config NAME compiles.
extra_objs() { # extra_objs NAME FILE...
	local d=$OUT/gates-$1/build f
	shift
	for f in "$@"; do
		case "$f" in *.c) [ -f "$d/${f%.c}.o" ] && echo "${f%.c}.o" ;; esac
	done
	return 0
}

log "base $(kgit rev-parse --short=12 "$base"): configure and build ($B)"
kgit checkout -q -f "$base"
t0=$(date +%s)
build 0 || { tail -30 "$R/config.log" "$R/build.log" >&2; die "the base does not build with the boot config"; }
for x in "${extras[@]}"; do
	build_extra "$x" 0 || { tail -30 "$R/$x.log" >&2; die "the base does not build with tests/configs/$x.config"; }
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

mapfile -t series_files < <(kgit diff --name-only "$base" "$tip")
mapfile -t series_c < <(compiled "${series_files[@]}")
# W=1 and coccicheck baselines of every compiled file the series touches.
final_check() { # final_check OUTPREFIX FILES...
	local p=$1 d objs
	shift
	: > "$p.w1"
	: > "$p.cocci"
	for d in "$B" "${x86_extra_dirs[@]}"; do
		mapfile -t objs < <(objs_in "$d" "$@")
		[ ${#objs[@]} -gt 0 ] || continue
		kmake "$d" -k W=1 "${objs[@]}" 2>&1 | grep -E '(warning|error):' >> "$p.w1" || true
		kmake "$d" -k C=2 CHECK="$KSRC/scripts/coccicheck" MODE=report "${objs[@]}" 2>/dev/null |
			grep -E '^[^ ]+:[0-9]+:' >> "$p.cocci" || true
	done
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

	# sparse and kernel-doc before the patch (tree is at the parent)
	mapfile -t before_c < <(compiled "${cfiles[@]}")
	sparse_of "${before_c[@]}" > "$R/$tag.sparse.before"
	kdoc_of "$c^" "${dfiles[@]}" > "$R/$tag.kdoc.before"

	kgit checkout -q -f "$c"
	strict=0
	[ "$c" = "$tip" ] && strict=1
	reconf=$strict
	printf '%s\n' "${files[@]}" | grep -qE '(^|/)Kconfig[^/]*$' && reconf=1
	if build $strict; then
		v_build=ok
		if [ "$subj" = "$PROBE_SUBJECT" ]; then
			mkdir -p "$OUT/probe"
			cp "$B/arch/x86/boot/bzImage" "$OUT/probe/bzImage"
		fi
	else
		v_build=FAIL
		cp "$R/build.log" "$R/$tag.build.log"
		cat "$R/config.log" >> "$R/$tag.build.log"
	fi

	v_extra=""
	for x in "${extras[@]}"; do
		targets=()
		if [ "$c" != "$tip" ]; then
			extra_wanted "$x" "${files[@]}" && mapfile -t targets < <(extra_objs "$x" "${cfiles[@]}")
			if [ ${#targets[@]} = 0 ]; then
				v_extra+=" $x=-"
				continue
			fi
		fi
		if build_extra "$x" $strict "${targets[@]}"; then
			v_extra+=" $x=ok"
			printf 'gate/%s/%s\tPASS\n' "$tag" "$x" >> "$results"
		else
			v_extra+=" $x=FAIL"
			printf 'gate/%s/%s\tFAIL\n' "$tag" "$x" >> "$results"
			fails=$((fails + 1))
			grep -E '(error|warning):' "$R/$x.log" | head -20 | sed 's/^/    /'
		fi
	done

	mapfile -t after_c < <(compiled "${cfiles[@]}")
	if [ $v_build = ok ]; then
		sparse_of "${after_c[@]}" > "$R/$tag.sparse.after"
		newlines "$R/$tag.sparse.before" "$R/$tag.sparse.after" > "$R/$tag.sparse.new"
		if [ -s "$R/$tag.sparse.new" ]; then v_sp=FAIL; else v_sp="ok(${#after_c[@]})"; fi
	else
		v_sp=skip
	fi
	kdoc_of "$c" "${dfiles[@]}" > "$R/$tag.kdoc.after"
	newlines "$R/$tag.kdoc.before" "$R/$tag.kdoc.after" > "$R/$tag.kdoc.new"
	if [ -s "$R/$tag.kdoc.new" ]; then v_kd=FAIL; else v_kd="ok(${#dfiles[@]})"; fi

	printf '[%s/%02d] build=%-4s sparse=%-6s checkpatch=%-4s kdoc=%-6s%s %s\n' "$tag" "$total" "$v_build" "$v_sp" "$v_cp" "$v_kd" "$v_extra" "$subj"
	for g in build:$v_build sparse:$v_sp checkpatch:$v_cp kdoc:$v_kd; do
		case ${g#*:} in
		FAIL) printf 'gate/%s/%s\tFAIL\n' "$tag" "${g%%:*}" >> "$results"; fails=$((fails + 1)) ;;
		skip) printf 'gate/%s/%s\tSKIP\n' "$tag" "${g%%:*}" >> "$results" ;;
		*) printf 'gate/%s/%s\tPASS\n' "$tag" "${g%%:*}" >> "$results" ;;
		esac
	done
	for f in "$R/$tag.checkpatch" "$R/$tag.sparse.new" "$R/$tag.kdoc.new" "$R/$tag.build.log"; do
		[ -s "$f" ] || continue
		case "$f" in *checkpatch) [ "$v_cp" = ok ] && continue ;; esac
		sed 's/^/    /' "$f" | tail -40
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
fi
log "$total patches; $fails gate failures (details in $R)"
[ $fails = 0 ]
