#!/usr/bin/env python3
"""tuxsuite-check.py PLAN GIT_REPO GIT_REF PATCHES: validate a TuxSuite plan
offline, with the tools' own code (run with the python of CACHE/venv-ci):
tuxsuite's plan parser and schema, tuxsuite's build parameters (with the
edition's tree and patches, as `tuxsuite plan submit` would send them),
tuxmake's architecture and target names, and TuxRun's (tuxlava's) device
and test names.  Prints one line per build and test; exits 1 on a problem."""
import io, sys, contextlib

from tuxsuite.config import PlanConfig
import tuxsuite.build
from tuxmake.arch import Architecture
from tuxmake.target import supported_targets
from tuxlava.devices import Device
from tuxlava.tests import Test


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: tuxsuite-check.py PLAN GIT_REPO GIT_REF PATCHES")
    plan, repo, ref, patches = sys.argv[1:]
    bad = []
    try:
        cfg = PlanConfig(None, None, plan)
    except Exception as e:
        sys.exit(f"tuxsuite-check: {plan}: {type(e).__name__}: {e}")
    if cfg.schema_warning:
        bad.append(f"schema: {cfg.schema_warning}")
    devices = {getattr(d, "name", d) for d in Device.list()}
    tests = {getattr(t, "name", t) for t in Test.list()}
    targets = set(supported_targets())
    for job in cfg.plan:
        b = job["build"]
        if b is not None:
            desc = (f"build {b.get('target_arch')} {b['kconfig'][0]}"
                    f"+{len(b['kconfig']) - 1} {b.get('toolchain')} "
                    f"{','.join(b.get('targets', []))}")
            try:
                Architecture(b.get("target_arch"))
            except Exception as e:
                bad.append(f"{desc}: tuxmake: {e}")
            for t in b.get("targets", []):
                if t not in targets:
                    bad.append(f"{desc}: tuxmake has no target {t}")
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err):
                    tuxsuite.build.Build(
                        git_repo=repo, git_ref=ref, token="offline",
                        kbapi_url="https://offline.invalid",
                        tuxapi_url="https://offline.invalid",
                        group="offline", project="offline",
                        patch_series=patches, **b)
            except SystemExit:
                bad.append(f"{desc}: tuxsuite: {err.getvalue().strip()}")
            print(desc)
        for t in job["tests"]:
            if t.get("device") not in devices:
                bad.append(f"test: TuxRun has no device {t.get('device')}")
            for name in t.get("tests", []):
                if name not in tests:
                    bad.append(f"test on {t.get('device')}: TuxRun has no test {name}")
            print(f"  test on {t.get('device')}: {', '.join(t.get('tests', []))}")
    for m in bad:
        print(f"tuxsuite-check: {m}", file=sys.stderr)
    sys.exit(1 if bad else 0)


main()
