#!/usr/bin/env bash
# probe.sh: build the "probe" kernel, the series up to PROBE_SUBJECT (lib.sh:
# the HMM test driver counts events, no invalidation site is converted
# yet), in OUT/probe and boot it with hmm-tests, so that the report shows
# next to base and patched which events the unconverted kernel sends.
# Needs the initramfs of a `make all` run.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
base=$(base_commit)
[ -f "$OUT/initramfs.cpio.gz" ] || die "no $OUT/initramfs.cpio.gz: run 'make all' first"
rev=$(kgit log --format='%H %s' "$base..$SERIES_BRANCH" | awk -v s="$PROBE_SUBJECT" 'substr($0, 42) == s {print $1}')
[ -n "$rev" ] || die "no patch '$PROBE_SUBJECT' in $base..$SERIES_BRANCH"
"$REPO/scripts/build-kernel.sh" "$rev" "$OUT/probe"
"$REPO/scripts/run-boot.sh" probe
