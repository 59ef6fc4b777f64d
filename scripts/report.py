#!/usr/bin/env python3
"""A/B report of the boot tests and KUnit runs: base kernel vs patched.

report.py OUT EDITION_DIR [--verdict]
Reads OUT/{base,patched}/{boot/results.tsv,boot/metrics.tsv,kunit/results.tsv},
OUT/base/boot/recorded (present when the base's results are the run
recorded in EDITION_DIR/results, as `make check` uses them; a line
"stale: ..." there says the record is of other tests or another base),
OUT/probe/boot/metrics.tsv (the series before its mmu_notifier
conversions, after `make probe`), OUT/gates.results and the other
OUT/*.results rows; the known issues and the expected fixes come from
EDITION_DIR/tests.  Writes OUT/report.md and prints it.  With --verdict,
prints the failures and, as the last line, "N passed, N failed, N skipped"
over the gates, the patched kernel's results and the A/B expectations, and
exits 1 if anything failed.  An A/B expectation whose base result is
missing or stale is skipped (with its reason), never passed.
"""
import fnmatch
import os
import sys


def read_tsv(path, ncols):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= ncols - 1 and parts[0]:
                    rows.append((parts + [""] * ncols)[:ncols])
    return rows


def read_list(path):
    """Lines of a list file: first word, rest (comments and blanks dropped)."""
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    word, _, rest = line.partition(" ")
                    out.append((word, rest.strip()))
    return out


def ratio(base, patched):
    try:
        b, p = float(base), float(patched)
    except ValueError:
        return "-"
    return f"{p / b:.3g}" if b else "-"


def matches(name, pattern):
    return fnmatch.fnmatchcase(name, pattern)


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: report.py OUT EDITION_DIR [--verdict]\n")
        return 2
    out, repo = sys.argv[1], sys.argv[2]
    verdict = "--verdict" in sys.argv
    if not os.path.isdir(out):
        sys.stderr.write(f"report.py: error: no output directory {out}: run make first\n")
        return 1
    res = {}
    met = {}
    ran = set()  # (kernel, "boot" or "kunit") that left results
    for k in ("base", "patched"):
        res[k] = {}
        for sub in ("boot", "kunit"):
            if os.path.exists(os.path.join(out, k, sub, "results.tsv")):
                ran.add((k, sub))
            for name, st, detail in read_tsv(os.path.join(out, k, sub, "results.tsv"), 3):
                res[k][name] = (st, detail)
        met[k] = {}
        for suite, name, value in read_tsv(os.path.join(out, k, "boot", "metrics.tsv"), 3):
            met[k][name] = value
    met["probe"] = {}
    for suite, name, value in read_tsv(os.path.join(out, "probe", "boot", "metrics.tsv"), 3):
        met["probe"][name] = value
    gates = read_tsv(os.path.join(out, "gates.results"), 3)
    for extra in ("debian-patches.results", "drift.results", "post.results"):
        gates += read_tsv(os.path.join(out, extra), 3)
    recorded = None
    stale = None
    rec_path = os.path.join(out, "base", "boot", "recorded")
    if os.path.exists(rec_path):
        with open(rec_path) as f:
            recorded = f.read().splitlines()
        stale = next((l for l in recorded if l.startswith("stale:") or l.startswith("no recorded")), None)
    known = read_list(os.path.join(repo, "tests", "known-issues"))
    fixed = [w for w, _ in read_list(os.path.join(repo, "tests", "expect-fixed"))]

    def is_known(name):
        return next((r for p, r in known if matches(name, p)), None)

    def show(k, name):
        st = res[k].get(name, ("absent", ""))[0]
        if st == "FAIL" and is_known(name):
            return "FAIL (known)"
        return st

    lines = []
    w = lines.append
    w("# A/B report: base vs patched")
    w("")
    for k in ("base", "patched"):
        stamp = os.path.join(out, k, "stamp")
        if k == "base" and recorded is not None:
            w("- base: the run recorded in the edition (results/base-record):")
            for l in recorded:
                w(f"  - {l}")
        elif os.path.exists(stamp):
            w(f"- {k}: source tree `{open(stamp).read().split()[0][:12]}`")
    for n, st, d in gates:
        if n.startswith("debian/") or n.startswith("drift/"):
            w(f"- {n}: {st}: {d}")
    w("")
    names = sorted(set(res["base"]) | set(res["patched"]))
    suites = {}
    for n in names:
        s = n.split("/", 1)[0]
        for k in ("base", "patched"):
            st = res[k].get(n, ("absent", ""))[0]
            counts = suites.setdefault(s, {"base": {}, "patched": {}})[k]
            counts[st] = counts.get(st, 0) + 1

    def fmt(c, k, s):
        t = " / ".join(f"{c.get(x, 0)}" for x in ("PASS", "FAIL", "SKIP")) if c.get("absent", 0) < sum(c.values()) else "absent"
        if s == "kunit" and (k, "kunit") not in ran:
            t += " (kunit.py not run)"
        return t

    w("## Suites (pass / fail / skip)")
    w("")
    w("| suite | base | patched |")
    w("|---|---|---|")
    for s in sorted(suites):
        w(f"| {s} | {fmt(suites[s]['base'], 'base', s)} | {fmt(suites[s]['patched'], 'patched', s)} |")
    w("")

    checks = []  # (name, PASS/FAIL, detail) of the A/B expectations
    if fixed:
        w("## Tests that prove a fix: FAIL on base, PASS patched")
        w("")
        w("| test | base | patched | as expected |")
        w("|---|---|---|---|")
        for pat in fixed:
            hits = [n for n in names if matches(n, pat)] or [pat]
            for n in hits:
                b, p = show("base", n), show("patched", n)
                ok = b.startswith("FAIL") and p == "PASS"
                if ("patched", "boot") not in ran:
                    checks.append((f"ab/{n}", "SKIP", "the patched kernel did not boot (see the stages)"))
                    w(f"| {n} | {b} | {p} | not checked: the patched kernel did not boot |")
                    continue
                if stale or (b == "absent" and p == "PASS"):
                    why = stale or "no base result"
                    checks.append((f"ab/{n}", "SKIP", f"base {b} ({why}), patched {p}"))
                    w(f"| {n} | {b} | {p} | not checked: {why} |")
                    continue
                checks.append((f"ab/{n}", "PASS" if ok else "FAIL", f"base {b}, patched {p}"))
                w(f"| {n} | {b} | {p} | {'yes' if ok else '**no**'} |")
        w("")

    metric_names = sorted(set(met["base"]) | set(met["patched"]))
    if metric_names:
        w("## Measurements")
        w("")
        probe = bool(met["probe"])
        if probe:
            w("*before conversions*: the series up to the patch that adds the HMM")
            w("test driver's event counters, before any invalidation site passes its")
            w("own event: what the base kernel sends, made visible (`events.*`: the")
            w("mmu_notifier events a mirror received for the operation of that test).")
            w("*patched/base*: the ratio, where both are numbers and base is not 0.")
            w("")
            w("| benchmark | base | before conversions | patched | patched/base |")
            w("|---|---|---|---|---|")
        else:
            w("*patched/base*: the ratio, where both are numbers and base is not 0.")
            w("")
            w("| benchmark | base | patched | patched/base |")
            w("|---|---|---|---|")
        for m in metric_names:
            b, p = met["base"].get(m, "-"), met["patched"].get(m, "-")
            mid = f" {met['probe'].get(m, '-')} |" if probe else ""
            w(f"| {m} | {b} |{mid} {p} | {ratio(b, p)} |")
        w("")

    changed = [n for n in names if show("base", n) != show("patched", n)]
    w("## Every result that differs")
    w("")
    if changed:
        w("| test | base | patched |")
        w("|---|---|---|")
        for n in changed:
            w(f"| {n} | {show('base', n)} | {show('patched', n)} |")
    else:
        w("No result differs between the base and the patched kernel.")
    w("")
    kn = [(n, is_known(n)) for n in names if res["patched"].get(n, ("",))[0] == "FAIL" and is_known(n)]
    if kn:
        w("## Known issues (tests/known-issues)")
        w("")
        for n, r in kn:
            w(f"- {n}: {r}")
        w("")
    # The sid guest (scripts/guest.sh): real clients and the soak, base vs
    # patched, when they ran; their whole tables are OUT/guest/MODE.md.
    for mode in ("clients", "soak"):
        md = os.path.join(out, "guest", f"{mode}.md")
        if not os.path.exists(md):
            continue
        w(f"## sid guest: {mode} (guest/{mode}.md)")
        w("")
        for k in ("base", "patched"):
            st = [r[1] for r in read_tsv(os.path.join(out, "guest", f"{k}-{mode}", "results.tsv"), 2)]
            sp = {m: v for m, v in read_tsv(os.path.join(out, "guest", f"{k}-{mode}", "metrics.tsv"), 2)
                  if m.startswith("splats.")}
            w(f"- {k}: {st.count('PASS')} passed, {st.count('FAIL')} failed, {st.count('SKIP')} skipped; "
              + ", ".join(f"{m[7:]} {v}" for m, v in sorted(sp.items())))
        with open(md) as f:
            verdict_lines = [l.rstrip("\n") for l in f if l.startswith("- **new**") or l.startswith("Nothing is new")]
        for l in verdict_lines:
            w(l)
        w("")
    w("## All results")
    w("")
    w("| test | base | patched |")
    w("|---|---|---|")
    for n in names:
        w(f"| {n} | {show('base', n)} | {show('patched', n)} |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(text)

    if not verdict:
        sys.stdout.write(text)
        return 0
    passed = failed = skipped = 0
    failures = []
    everything = [(n, s, d) for n, s, d in gates]
    everything += [(n, s, d) for n, (s, d) in res["patched"].items()]
    everything += checks
    for n, s, d in everything:
        if s == "FAIL" and is_known(n):
            skipped += 1
        elif s == "FAIL":
            failed += 1
            failures.append(f"FAIL {n} {d}".rstrip())
        elif s == "PASS":
            passed += 1
        else:
            skipped += 1
    for f in failures:
        print(f)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
