# The one entry point.  `make` runs the main job, `make check` what CI runs,
# `make check-all` everything.
# EDITION=mainline|6.12 picks the edition (default: mainline); `make`,
# `make check` and `make check-all` run every edition unless EDITION is
# given.  Other variables: KSRC=/path/to/your/tree (default: the Debian
# base, made by `make base` under CACHE), CACHE, OUT, JOBS,
# CONFIG_VARIANT=debug, BRANCH (for export), BASE_PKG_VERSION (another
# Debian upload than the pin), KSRC_BASE, BOOT_APPEND.
SHELL := /bin/bash
S := scripts
EDITIONS_GIVEN := $(EDITION)
EDITION ?= mainline
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/devmem-series
export EDITION KSRC CACHE OUT JOBS CONFIG_VARIANT KSRC_BASE BASE_PKG_VERSION BOOT_APPEND SOAK_SECONDS
RUN_EDITIONS = EDITIONS="$(or $(EDITIONS_GIVEN),mainline 6.12)"
# The edition's output directory, as scripts/lib.sh makes it.
EOUT = $(or $(OUT),$(CACHE)/out)/$(EDITION)$(if $(CONFIG_VARIANT),-$(CONFIG_VARIANT))

.PHONY: all help check check-all deps base apply export gates kernels boot kunit \
	kunit-arm64 probe bisect report cover-letter lint clean tuxsuite tuxmake \
	kci-dev-check guest soak record-base

all: ## every edition: base, apply, both kernels, boot both, KUnit, A/B report
	@$(RUN_EDITIONS) $(S)/check-editions.sh main

check: ## what CI runs, every edition: shellcheck, gates, the tip booted, KUnit, report
	@$(RUN_EDITIONS) $(S)/check-editions.sh check

check-all: ## check with every patch gated and the base booted, bisect, the debug kernels, the sid guest (clients, soak)
	@$(RUN_EDITIONS) $(S)/check-editions.sh all
	@for e in $(or $(EDITIONS_GIVEN),mainline 6.12); do EDITION=$$e $(S)/bisect.sh || exit 1; done
	@$(RUN_EDITIONS) CONFIG_VARIANT=debug RECORD=1 $(S)/check-editions.sh main
	@$(RUN_EDITIONS) $(S)/check-guest.sh

help: ## list the targets and the variables
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16
	@echo
	@echo 'variables: EDITION=mainline|6.12 (default: mainline; all, check and check-all: both)'
	@echo '  CACHE (base trees, builds, ccache; default ~/.cache/devmem-series), OUT (default CACHE/out),'
	@echo '  JOBS, KSRC=your tree and KSRC_BASE=its base commit, BASE_PKG_VERSION=another Debian upload,'
	@echo '  CONFIG_VARIANT=debug, BRANCH (export), GATE_ALL=1 (gates), BOOT_APPEND (guest command line,'
	@echo '  e.g. devmem.suites=hmm-tests)' 

deps: ## install the Debian packages the scripts need (as root)
	@$(S)/deps.sh

base: ## make the edition's base tree (its pinned Debian linux-source), or check KSRC
	@$(S)/base.sh

apply: base ## git am the edition's series on a fresh branch, verify quilt --fuzz=0
	@$(S)/apply.sh

export: ## write a branch of the tree back to the edition's patches/ and series (BRANCH=...)
	@$(S)/export.sh $(BRANCH)

gates: ## per-patch gates of the edition (after `make kernels`; GATE_ALL=1: every patch)
	@$(S)/gates.sh

kernels: apply ## build the edition's base and patched boot-test kernels
	@$(S)/build-kernel.sh devmem/base $(EOUT)/base
	@$(S)/build-kernel.sh devmem/series $(EOUT)/patched

boot: ## boot both kernels of the edition with the test initramfs (after `make` once)
	@$(S)/run-boot.sh base
	@$(S)/run-boot.sh patched

kunit: ## run the kunit.py suites of the edition on both kernels' trees
	@$(S)/kunit.sh devmem/base $(EOUT)/base/kunit
	@$(S)/kunit.sh devmem/series $(EOUT)/patched/kunit

kunit-arm64: apply ## the kunit.py suites of the edition's tip on arm64 (cross gcc, qemu TCG)
	@KUNIT_ARCH=arm64 $(S)/kunit.sh devmem/series $(EOUT)/patched/kunit-arm64

probe: ## build and boot the series before its mmu_notifier conversions (hmm-tests)
	@$(S)/probe.sh

bisect: apply ## whole incremental build after every patch of the edition
	@$(S)/bisect.sh

tuxsuite: ## validate the edition's TuxSuite plan (tests/tuxsuite-plan.yaml); submit it if a token is set
	@$(S)/tuxsuite.sh

tuxmake: apply ## build the plan's local-* jobs here with tuxmake (JOBS_PLAN="job ..." for others)
	@$(S)/tuxmake.sh $(JOBS_PLAN)

kci-dev-check: ## check the KernelCI request (tests/kernelci.jobs) with kci-dev offline, print it
	@$(S)/kci-dev.sh check

guest: apply ## the real clients (IGT, v4l2-compliance 1.32, modetest) on the sid guest, base vs tip
	@$(S)/guest.sh clients

soak: apply ## the bounded soak (trinity, stress-ng, the series' tests; SOAK_SECONDS=600) on debug kernels
	@$(S)/guest.sh soak

record-base: ## boot the base with the tip's tests and record its results in the edition (after a test changed)
	@$(S)/record-base.sh

report: ## write the edition's OUT/report.md (the A/B table) from the last runs and print it
	@python3 $(S)/report.py $(EOUT) $(if $(filter 6.12,$(EDITION)),$(CURDIR)/stable/6.12,$(CURDIR))

cover-letter: ## regenerate the edition's cover-letter.txt from its patches, template and last report
	@$(S)/cover-letter.sh

lint: ## shellcheck the scripts
	@shellcheck $(S)/*.sh tests/*.sh tests/guest/*.sh .ci/run

clean: ## remove the build output (keeps the base trees and ccache)
	rm -rf $(or $(OUT),$(CACHE)/out)
