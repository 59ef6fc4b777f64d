#!/usr/bin/env bash
# kci-dev.sh [check|submit]: ask KernelCI, with kci-dev, to build and test
# the edition on its vanilla tree: `kci-dev checkout` of TUX_GIT_REPO at
# BASE_UPSTREAM, then `kci-dev patchset` with the edition's patches on that
# checkout node, both filtered by EDIR/tests/kernelci.jobs.
#   check   (default) what can be checked here, offline: the settings
#           template (tools/kci-dev.toml) loads in the pinned kci-dev, every
#           option the commands use is one it has, and the jobs file is
#           well formed; then print the commands.
#   submit  run them: needs KCI_DEV_TOKEN (a KernelCI pipeline token) and
#           git.kernel.org, and waits for the results (--watch).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=${1:-check}
case "$mode" in check | submit) ;; *) die "usage: kci-dev.sh [check|submit]" ;; esac
bin=$("$REPO/scripts/venv.sh" ci)
jobs=$EDIR/tests/kernelci.jobs
filters=()
while read -r kind name rest; do
	[ -z "$rest" ] || die "$jobs: one name per line: $kind $name $rest"
	case "$kind" in
	job) filters+=(--job-filter "$name") ;;
	platform) filters+=(--platform-filter "$name") ;;
	*) die "$jobs: a line is 'job NAME' or 'platform NAME', not '$kind'" ;;
	esac
done < <(list_file "$jobs")
[ ${#filters[@]} -gt 0 ] || die "$jobs names no job"

settings=$CACHE/kci-dev.toml
sed "s/KCI_DEV_TOKEN/${KCI_DEV_TOKEN:-offline}/" "$REPO/tools/kci-dev.toml" > "$settings"
chmod 600 "$settings"
kci=("$bin/kci-dev" --settings "$settings")
for sub in checkout patchset; do
	help=$("${kci[@]}" "$sub" --help) || die "kci-dev $sub does not load $settings"
	for opt in --giturl --branch --commit --nodeid --patch --job-filter --platform-filter --watch; do
		case "$sub:$opt" in checkout:--nodeid | checkout:--patch | patchset:--giturl | patchset:--branch | patchset:--commit) continue ;; esac
		grep -q -- "$opt" <<< "$help" || die "kci-dev $("$bin/kci-dev" --version) has no $sub $opt"
	done
done
log "$EDITION: kci-dev $("$bin/kci-dev" --version | awk '{print $NF}') loads the settings and has every option used; ${#filters[@]} filter words from ${jobs#"$REPO"/}"

patches=()
while read -r p; do patches+=(--patch "$EDIR/patches/$p"); done < <(series_list)
if [ "$mode" = check ]; then
	echo "# kci-dev.sh submit runs, with KCI_DEV_TOKEN in $settings:"
	echo "kci-dev --settings $settings checkout --giturl $TUX_GIT_REPO --branch $TUX_GIT_BRANCH \\"
	echo "    --commit \"\$(git ls-remote $TUX_GIT_REPO 'refs/tags/$BASE_UPSTREAM^{}' | cut -f1)\" ${filters[*]}"
	echo "# then, on the node id that checkout prints, the $(( ${#patches[@]} / 2 )) patches of the series in order:"
	echo "kci-dev --settings $settings patchset --nodeid \"\$NODE\" --patch ${patches[1]} ... ${filters[*]} --watch"
	exit 0
fi
[ -n "${KCI_DEV_TOKEN:-}" ] || die "KCI_DEV_TOKEN is not set (a KernelCI pipeline token)"
commit=$(git ls-remote "$TUX_GIT_REPO" "refs/tags/$BASE_UPSTREAM^{}" | cut -f1)
[ -n "$commit" ] || die "cannot resolve $BASE_UPSTREAM in $TUX_GIT_REPO"
out=$("${kci[@]}" checkout --giturl "$TUX_GIT_REPO" --branch "$TUX_GIT_BRANCH" --commit "$commit" "${filters[@]}")
echo "$out"
node=$(grep -oE '[0-9a-f]{24}' <<< "$out" | head -1)
[ -n "$node" ] || die "kci-dev checkout gave no node id"
"${kci[@]}" patchset --nodeid "$node" "${patches[@]}" "${filters[@]}" --watch
