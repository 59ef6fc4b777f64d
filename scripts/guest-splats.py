#!/usr/bin/env python3
"""guest-splats.py KLOG KNOWN: count the kernel splats in the kernel log KLOG.

Prints metrics.tsv lines: splats.KIND (WARNING, BUG, KASAN, lockdep's
reports, hung tasks) for every report not in KNOWN, splats.known for
those that are, and lockdep.disabled (1 when a taint switched lock
debugging off, so a clean lockdep count means less).  KNOWN (the
edition's tests/guest/known-splats) holds lines TITLE<TAB>CONTEXT<TAB>WHY:
a report is known when TITLE (a regex) matches its first line and
CONTEXT (a regex, may be empty) one of the 80 lines from there on.
A missing KLOG counts nothing.
"""
import os
import re
import sys

KINDS = [
    ("WARNING", r"WARNING:"),
    ("BUG", r"BUG:"),
    ("KASAN", r"KASAN:"),
    ("possible_circular_locking",
     r"possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage"),
    ("blocked_for_more_than", r"blocked for more than"),
    # what scripts/parse-log.sh also counts and the kinds above miss
    ("oops", r"Oops|general protection fault|kernel BUG at|Unable to handle kernel|Kernel panic|UBSAN:"),
]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: guest-splats.py KLOG KNOWN")
    klog, known_path = sys.argv[1:]
    lines = []
    if os.path.exists(klog):
        with open(klog, errors="replace") as f:
            lines = f.read().splitlines()
    known = []
    if os.path.exists(known_path):
        with open(known_path) as f:
            for n, line in enumerate(f, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    sys.exit(f"{known_path}:{n}: want TITLE<TAB>CONTEXT<TAB>WHY")
                known.append((re.compile(parts[0]), re.compile(parts[1]) if parts[1] else None))
    counts = {k: 0 for k, _ in KINDS}
    nknown = 0
    for i, line in enumerate(lines):
        hits = [k for k, rx in KINDS if re.search(rx, line)]
        if not hits:
            continue
        ctx = lines[i:i + 80]
        if any(t.search(line) and (c is None or any(c.search(x) for x in ctx)) for t, c in known):
            nknown += 1
            continue
        for k in hits:
            counts[k] += 1
    for k, _ in KINDS:
        print(f"splats.{k}\t{counts[k]}")
    print(f"splats.known\t{nknown}")
    off = any("Disabling lock debugging due to kernel taint" in x for x in lines)
    print(f"lockdep.disabled\t{1 if off else 0}")


if __name__ == "__main__":
    main()
