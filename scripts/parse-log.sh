#!/usr/bin/env bash
# parse-log.sh LOG OUTDIR: read a boot-test serial log and write
#   OUTDIR/results.tsv  NAME<TAB>PASS|FAIL|SKIP<TAB>detail, for
#       boot/finished, every boot-time KUnit case (kunit/SUITE.CASE),
#       every TAP result of every suite (SUITE/TEST), a suite's exit status
#       when no TAP line explains it, and guest-log/no-kernel-splat;
#   OUTDIR/metrics.tsv  SUITE<TAB>NAME<TAB>VALUE from "# metric NAME VALUE";
#   OUTDIR/kmsg.txt     the kernel log (the dmesg dump of tests/init.sh, or
#                       the console's printk lines if the guest died first);
#   OUTDIR/splats.txt   the kernel WARNING/BUG/KASAN/lockdep lines in it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 2 ] || die "usage: parse-log.sh LOG OUTDIR"
logf=$1 o=$2
[ -f "$logf" ] || die "no log $logf"
mkdir -p "$o"
console=$(mktemp)
trap 'rm -f "$console"' EXIT
tr -d '\r' < "$logf" > "$console"

if grep -q '^@@@ DMESG END$' "$console"; then
	sed -n '/^@@@ DMESG$/,/^@@@ DMESG END$/{/^@@@ /d;p}' "$console" > "$o/kmsg.txt"
else
	grep -E '^\[ *[0-9]+\.[0-9]+\] ' "$console" > "$o/kmsg.txt" || true
fi
grep -E '(WARNING:|BUG:|BUG kmalloc|KASAN:|UBSAN:|Oops|Kernel panic|general protection fault|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|Unable to handle kernel|kernel BUG at)' \
	"$o/kmsg.txt" > "$o/splats.txt" || true
splats=$(grep -c . "$o/splats.txt" || true)

awk -v splats="$splats" -v metrics="$o/metrics.tsv" -v kmsg="$o/kmsg.txt" '
function res(name, st, detail) { gsub(/[\t ]+/, "_", name); printf "%s\t%s\t%s\n", name, st, detail }
function tap(line, prefix,    st, rest, dir) {
	st = (line ~ /^not ok /) ? "FAIL" : "PASS"
	rest = line; sub(/^(not )?ok [0-9]+ ?-? ?/, "", rest)
	dir = ""
	if (match(rest, /[ \t]*#[ \t]*/)) { dir = substr(rest, RSTART + RLENGTH); rest = substr(rest, 1, RSTART - 1) }
	if (toupper(dir) ~ /^SKIP/) st = "SKIP"
	if (toupper(dir) ~ /^XFAIL/) st = "PASS"
	if (rest == "") rest = "unnamed"
	res(prefix rest, st, dir)
	return st
}
BEGIN {
	printf "" > metrics
	# boot-time KUnit (KTAP) in the kernel log: suites at indent 4,
	# their cases at indent 4 after "# Subtest:"
	ksuite = ""
	while ((getline line < kmsg) > 0) {
		sub(/^\[ *[0-9]+\.[0-9]+\] /, "", line)
		if (line ~ /^    # Subtest: /) { ksuite = line; sub(/^    # Subtest: /, "", ksuite); continue }
		if (ksuite != "" && line ~ /^    (not )?ok [0-9]+ /) { sub(/^    /, "", line); tap(line, "kunit/" ksuite "."); continue }
		if (ksuite != "" && line ~ /^(not )?ok [0-9]+ /) ksuite = ""
	}
	insuite = 0; done = 0
}
/^@@@ DMESG$/ { indmesg = 1; next }
/^@@@ DMESG END$/ { indmesg = 0; next }
indmesg { next }
/^@@@ BEGIN / { insuite = 1; suite = $3; ntap = 0; nfail = 0; next }
/^@@@ END / {
	rc = $4; sub(/^rc=/, "", rc)
	if (rc == "absent") res(suite, "SKIP", "not in this tree")
	else if (rc == "124" || rc == "143") res(suite "/timeout", "FAIL", "timed out")
	else if (ntap == 0) res(suite, rc == "0" ? "PASS" : (rc == "4" ? "SKIP" : "FAIL"), "exit " rc)
	else if (rc != "0" && rc != "4" && nfail == 0) res(suite "/exit", "FAIL", "exit " rc " with no failed TAP line")
	insuite = 0; next
}
insuite && /^(not )?ok [0-9]+/ { ntap++; if (tap($0, suite "/") == "FAIL") nfail++; next }
insuite && /^# metric [^ ]+ / { printf "%s\t%s\t%s\n", suite, $3, $4 >> metrics; next }
/^@@@ DONE/ { done = 1 }
END {
	res("boot/finished", done ? "PASS" : "FAIL", done ? "" : "guest did not reach the end of init")
	res("guest-log/no-kernel-splat", splats == 0 ? "PASS" : "FAIL", splats " report(s), see splats.txt")
}' "$console" > "$o/results.tsv"
log "$o/results.tsv: $(awk -F'\t' '{n[$2]++} END {printf "%d PASS, %d FAIL, %d SKIP", n["PASS"], n["FAIL"], n["SKIP"]}' "$o/results.tsv")"
