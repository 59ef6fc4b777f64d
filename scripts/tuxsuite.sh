#!/usr/bin/env bash
# tuxsuite.sh: the edition's TuxSuite plan, EDIR/tests/tuxsuite-plan.yaml.
# Checks that it is what scripts/tuxsuite-plan.py makes of the edition's
# configs, validates it offline with the tools' own code
# (scripts/tuxsuite-check.py: tuxsuite's parser and build parameters,
# tuxmake's and TuxRun's names), then submits it, the edition's patches on
# the vanilla tree TUX_GIT_REPO at BASE_UPSTREAM, if a TuxSuite token is
# configured (TUXSUITE_TOKEN, or tuxsuite's ~/.config/tuxsuite/config.ini),
# and otherwise prints the command it would run.  TUXSUITE_ARGS adds
# arguments to it (e.g. --job-name 'defconfig-*'); TUXSUITE_SUBMIT=0
# validates only (make check).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

plan=$EDIR/tests/tuxsuite-plan.yaml
[ -f "$plan" ] || die "$plan is missing: python3 scripts/tuxsuite-plan.py ${EDIR#"$REPO"/} > it"
python3 "$REPO/scripts/tuxsuite-plan.py" "$EDIR" | cmp -s - "$plan" ||
	die "$plan is not what the configs give: python3 scripts/tuxsuite-plan.py ${EDIR#"$REPO"/} > ${plan#"$REPO"/}"
bin=$("$REPO/scripts/venv.sh" ci)
"$bin/python" "$REPO/scripts/tuxsuite-check.py" "$plan" "$TUX_GIT_REPO" "$BASE_UPSTREAM" "$EDIR/patches" ||
	die "the plan does not validate"
log "$EDITION: the plan validates (tuxsuite $("$bin/tuxsuite" --version | awk '{print $NF}'))"
# shellcheck disable=SC2206 # TUXSUITE_ARGS is a list of words on purpose
cmd=("$bin/tuxsuite" plan submit --name "devmem-series-$EDITION"
	--git-repo "$TUX_GIT_REPO" --git-ref "$BASE_UPSTREAM"
	--patch-series "$EDIR/patches" --no-wait --json-out "$OUT/tuxsuite.json"
	${TUXSUITE_ARGS:-} "$plan")
if [ "${TUXSUITE_SUBMIT:-1}" = 0 ]; then
	exit 0
elif [ -n "${TUXSUITE_TOKEN:-}" ] || [ -f "${XDG_CONFIG_HOME:-$HOME/.config}/tuxsuite/config.ini" ]; then
	mkdir -p "$OUT"
	"${cmd[@]}"
	log "submitted; the plan's status: $OUT/tuxsuite.json, or tuxsuite plan get"
else
	log "no TuxSuite token (TUXSUITE_TOKEN or ~/.config/tuxsuite/config.ini): not submitted; with one, this runs:"
	printf '%q ' "${cmd[@]#"$bin/"}"
	echo
fi
