#!/usr/bin/env bash
# guest.sh clients|soak: the real clients (clients) or the soak (soak) of
# tests/guest/clients.sh on the sid guest, for the edition's base and tip:
# builds both kernels with the guest config variant (the soak: debug+guest,
# lockdep and KASAN), boots each with scripts/guest-run.sh, and writes
# OUT/guest/MODE.md, every result and metric base vs patched.  A result
# that fails patched and not on the base, a splat on the patched kernel
# that the base does not have, or more failed v4l2-compliance checks on a
# node than the base's, is a failure: prints "N passed, N failed, N
# skipped" over the patched results and exits 1 on any.  RECORD=1 (make
# check-all) also records the report in the edition, as
# results/guest-MODE.md.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=${1:-}
case "$mode" in clients) v=guest ;; soak) v=debug+guest ;; *) die "usage: guest.sh clients|soak" ;; esac
check_ksrc
for k in base series; do
	CONFIG_VARIANT=$v "$REPO/scripts/build-kernel.sh" "devmem/$k" "$OUT/guest/kernel-$v-$k"
done
"$REPO/scripts/guest-run.sh" "$OUT/guest/kernel-$v-base/bzImage" base "$mode" || true
"$REPO/scripts/guest-run.sh" "$OUT/guest/kernel-$v-series/bzImage" patched "$mode" || true
if python3 - "$OUT/guest" "$mode" "$EDITION" <<'PY'
import os, sys
d, mode, edition = sys.argv[1:]
def tsv(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            k, _, v = line.rstrip("\n").partition("\t")
            if k:
                out[k] = v
    return out
b, p = (tsv(f"{d}/{k}-{mode}/results.tsv") for k in ("base", "patched"))
bm, pm = (tsv(f"{d}/{k}-{mode}/metrics.tsv") for k in ("base", "patched"))
ran = {k: os.path.exists(f"{d}/{k}-{mode}/done") for k in ("base", "patched")}
bad = []
if not ran["patched"]:
    bad.append("the patched guest did not finish")
for n, r in p.items():
    if r == "FAIL" and b.get(n) != "FAIL":
        bad.append(f"{n}: FAIL patched, {b.get(n, 'absent')} on the base")
for n, v in pm.items():
    # a splat, or a v4l2-compliance check failing, that the base has not
    counted = n.startswith("splats.") or (n.startswith("v4l2-compliance.") and n.endswith(".failed"))
    if counted and v.isdigit() and int(v) > int(bm.get(n, "0") or 0):
        bad.append(f"{n}: {v} patched, {bm.get(n, '-')} on the base")
with open(f"{d}/{mode}.md", "w") as f:
    f.write(f"# {edition}: sid guest, {mode}\n\n")
    for k in ("base", "patched"):
        t = open(f"{d}/{k}-{mode}/time").read().strip() if os.path.exists(f"{d}/{k}-{mode}/time") else "-"
        f.write(f"- {k}: {'finished' if ran[k] else 'did not finish'} in {t} s\n")
    f.write("\n| result | base | patched |\n|---|---|---|\n")
    for n in sorted(set(b) | set(p)):
        f.write(f"| {n} | {b.get(n, '-')} | {p.get(n, '-')} |\n")
    f.write("\n| metric | base | patched |\n|---|---|---|\n")
    for n in sorted(set(bm) | set(pm)):
        f.write(f"| {n} | {bm.get(n, '-')} | {pm.get(n, '-')} |\n")
    f.write("\n" + ("\n".join(f"- **new**: {x}" for x in bad) if bad else "Nothing is new on the patched kernel.") + "\n")
print(open(f"{d}/{mode}.md").read())
vals = list(p.values())
print(f"{vals.count('PASS')} passed, {len(bad)} failed, {vals.count('SKIP')} skipped")
sys.exit(1 if bad else 0)
PY
then rc=0; else rc=$?; fi
if [ "${RECORD:-0}" = 1 ]; then
	mkdir -p "$EDIR/results"
	cp "$OUT/guest/$mode.md" "$EDIR/results/guest-$mode.md"
	log "recorded: ${EDIR#"$REPO"/}/results/guest-$mode.md (commit it)"
fi
exit "$rc"
