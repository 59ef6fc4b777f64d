#!/usr/bin/env python3
"""guest-report.py GUESTDIR MODE EDITION: the report of scripts/guest.sh.

Reads GUESTDIR/{base,patched}-MODE/ (results.tsv, metrics.tsv, time,
done), writes GUESTDIR/MODE.md, every result and metric base vs patched,
prints it and the verdict "N passed, N failed, N skipped" over the
patched results; exits 1 on anything new on the patched kernel: a result
that fails there and not on the base, more splats of a kind, more failed
v4l2-compliance checks on a node, or a patched guest that did not end.
"""
import os, sys
if len(sys.argv) != 4:
    sys.exit("usage: guest-report.py GUESTDIR MODE EDITION")
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
