#!/usr/bin/env bash
# tuxmake.sh [JOB...]: build the builds of the named jobs of the edition's
# TuxSuite plan (default: local-x86_64 local-arm64) here, with tuxmake
# (--runtime null: this machine's gcc and Debian's cross compilers, ccache)
# on the edition's tip (devmem/series, `make apply`), from the same plan
# file TuxSuite gets, so that an entry that cannot build is seen here
# first.  Each build goes to OUT/tuxmake/JOB-ARCH (tuxmake's output: the
# kernel, config, build.log, metadata.json) with the seconds it took in
# "time"; the kconfig lines olddefconfig dropped are listed (they are the
# architecture's, not the plan's, to fix: e.g. ZONE_DEVICE on arm).
# Prints "N passed, N failed" and exits 1 if a build failed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- local-x86_64 local-arm64
check_ksrc
plan=$EDIR/tests/tuxsuite-plan.yaml
bin=$("$REPO/scripts/venv.sh" ci)
"$REPO/scripts/deps.sh" tuxmake
src=$(wt_path tuxmake "$SERIES_BRANCH")
pass=0 fail=0
# One line per build of the jobs: JOB ARCH TOOLCHAIN TARGETS KCONFIG... (TAB-separated)
builds=$("$bin/python" - "$plan" "$@" <<'PY'
import sys, yaml
plan = yaml.safe_load(open(sys.argv[1]))
want = sys.argv[2:]
names = [j.get("name") for j in plan["jobs"]]
for w in want:
    if w not in names:
        sys.exit(f"no job {w} in the plan (it has: {' '.join(names)})")
for j in plan["jobs"]:
    if j.get("name") not in want:
        continue
    for b in j.get("builds", [j["build"]] if "build" in j else []):
        print("\t".join([j["name"], b["target_arch"], b["toolchain"],
                         ",".join(b.get("targets", []))] + b["kconfig"]))
PY
) || die "cannot read the jobs $* from $plan"
while IFS=$'\t' read -r -a f; do
	job=${f[0]} arch=${f[1]} tc=${f[2]} targets=${f[3]}
	kconfig=("${f[@]:4}")
	o=$OUT/tuxmake/$job-$arch
	rm -rf "$o"
	mkdir -p "$o"
	args=(--runtime null --directory "$src" --output-dir "$o" --build-dir "$o/build"
		--target-arch "$arch" --toolchain "$tc" --wrapper ccache --jobs "$JOBS"
		--kconfig "${kconfig[0]}")
	for k in "${kconfig[@]:1}"; do args+=(--kconfig-add "$k"); done
	IFS=, read -r -a t <<< "$targets"
	log "$job $arch: tuxmake ${kconfig[0]} +${#kconfig[@]} lines, ${targets}"
	start=$(date +%s)
	if "$bin/tuxmake" --quiet "${args[@]}" "${t[@]}" > "$o/tuxmake.log" 2>&1; then
		ok=1
	else
		ok=0
	fi
	echo $(( $(date +%s) - start )) > "$o/time"
	dropped=()
	for k in "${kconfig[@]:1}"; do
		case "$k" in
		CONFIG_*=n) grep -qx "${k%=n}=y" "$o/build/.config" 2>/dev/null && dropped+=("$k") ;;
		CONFIG_*) grep -qxF "$k" "$o/build/.config" 2>/dev/null || dropped+=("$k") ;;
		esac
	done
	[ ${#dropped[@]} = 0 ] || log "$job $arch: olddefconfig dropped ${dropped[*]}"
	if [ "$ok" = 1 ]; then
		log "$job $arch: built in $(cat "$o/time") s ($o)"
		pass=$((pass + 1))
	else
		warn "$job $arch: the build failed after $(cat "$o/time") s: $o/tuxmake.log"
		tail -20 "$o/tuxmake.log" >&2
		fail=$((fail + 1))
	fi
done <<< "$builds"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
