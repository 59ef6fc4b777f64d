# The one entry point.  `make` runs the main job, `make check` everything.
# Variables: KSRC=/path/to/your/6.12/tree (default: the Debian base, made
# by `make base` under CACHE), CACHE, OUT, JOBS, CONFIG_VARIANT=debug,
# BRANCH (for export).
SHELL := /bin/bash
S := scripts
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/devmem-series
OUT ?= $(CACHE)/out$(if $(CONFIG_VARIANT),-$(CONFIG_VARIANT))
export KSRC CACHE OUT JOBS CONFIG_VARIANT KSRC_BASE

.PHONY: all help check deps base apply export gates kernels tests boot kunit \
	probe bisect report cover-letter lint clean

all: ## fetch the base, apply, build both kernels, boot, run, A/B report
	@$(S)/check.sh main

check: ## everything: shellcheck, gates on every patch, boot tests, KUnit, report
	@$(S)/check.sh check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

deps: ## install the Debian packages the scripts need (as root)
	@$(S)/deps.sh

base: deps ## make the base tree (Debian linux-source-6.12, pinned), or check KSRC
	@$(S)/base.sh

apply: base ## git am the series on a fresh branch, verify quilt --fuzz=0
	@$(S)/apply.sh

export: ## write a branch of the tree back to patches/ and series (BRANCH=...)
	@$(S)/export.sh $(BRANCH)

gates: apply ## per-patch gates: build, sparse, checkpatch, kernel-doc; W=1, coccicheck
	@$(S)/gates.sh

kernels: apply ## build the base and the patched boot-test kernels
	@$(S)/build-kernel.sh devmem/base $(OUT)/base
	@$(S)/build-kernel.sh devmem/series $(OUT)/patched

boot: ## boot both kernels with the test initramfs (after `make all` once)
	@$(S)/run-boot.sh base
	@$(S)/run-boot.sh patched

kunit: ## run the kunit.py suites (tests/kunit.list) on both kernels' trees
	@$(S)/kunit.sh devmem/base $(OUT)/base/kunit
	@$(S)/kunit.sh devmem/series $(OUT)/patched/kunit

probe: ## build and boot the series before its mmu_notifier conversions (hmm-tests)
	@$(S)/probe.sh

bisect: apply ## whole incremental build after every patch (longer than `make check`)
	@$(S)/bisect.sh

report: ## write OUT/report.md (the A/B table) from the last runs and print it
	@python3 $(S)/report.py $(OUT) $(CURDIR)

cover-letter: ## regenerate cover-letter.txt from the patches and the template
	@$(S)/cover-letter.sh

lint: ## shellcheck the scripts
	@shellcheck $(S)/*.sh tests/*.sh .ci/run

clean: ## remove build output (keeps the base tree and ccache)
	rm -rf $(OUT)
