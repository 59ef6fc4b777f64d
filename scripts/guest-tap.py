#!/usr/bin/env python3
"""guest-tap.py LOG: the soak's test cases, one result each.

LOG is the soak's series-loop.log (tests/guest/clients.sh): the KTAP
output of every round of every test, each run after a line
"# soak-test: NAME".  Prints results.tsv lines soak/NAME/CASE<TAB>STATUS:
FAIL if the case failed in any round, else PASS if it passed in one,
else SKIP.  A case a round did not reach (the soak's end cut the test
short) is simply not counted for that round.
"""
import os
import re
import sys

TAP = re.compile(r"^(not ok|ok) \d+ (.+?)(?:\s+#\s*(SKIP|skip|XFAIL|xfail)\b.*)?$")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: guest-tap.py LOG")
    status = {}
    test = "series"
    if not os.path.exists(sys.argv[1]):
        return
    with open(sys.argv[1], errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# soak-test: "):
                test = line.split(": ", 1)[1].strip()
                continue
            m = TAP.match(line)
            if not m:
                continue
            # udmabuf names its cases "[PASS,test-1]" or "[FAIL,test-1]"
            case = re.sub(r"\[(PASS|FAIL|SKIP),", "[", m.group(2)).strip()
            st = "SKIP" if m.group(3) else ("PASS" if m.group(1) == "ok" else "FAIL")
            name = f"soak/{test}/{case}"
            old = status.get(name)
            if old == "FAIL" or (old == "PASS" and st == "SKIP"):
                continue
            status[name] = st
    for name in sorted(status):
        print(f"{name}\t{status[name]}")


if __name__ == "__main__":
    main()
