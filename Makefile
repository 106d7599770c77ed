# The front door. `make run` and `make test` work on a fresh Debian machine.
.PHONY: run cluster test build deps bench images format lint clean fuzz fuzz-build fuzz-campaign

BUILD ?= build
JOBS ?= $(shell nproc)

run: build
	scripts/run-demo

# Three replicas behind HAProxy on loopback, Shifumi registered
# (docs/deploy-cluster.md); `scripts/cluster down` stops it.
cluster: build
	scripts/cluster up >/dev/null
	scripts/cluster demo

# The fuzz harnesses' replays (ctest label fuzz) are GCC builds of the same
# sources in $(BUILD): no clang build here (docs/fuzzing.md).
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j$(JOBS)

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake --preset default -B $(BUILD)

# Fuzzing (docs/fuzzing.md): the libFuzzer harnesses of fuzz/, built with clang,
# ASan and UBSan in $(FUZZ_BUILD). `make fuzz` runs each for FUZZ_SECONDS and
# merges new coverage into fuzz/corpus/; FUZZ_TARGETS=name… picks some.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 120
FUZZ_TARGETS ?=

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) --target fuzz_harnesses -j$(JOBS)

$(FUZZ_BUILD)/build.ninja:
	cmake --preset fuzz -B $(FUZZ_BUILD)

fuzz: fuzz-build
	fuzz/run-all $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The long runs whose counts docs/fuzzing.md reports: each harness up to
# FUZZ_RUNS executions, one at a time at the lowest priority, all ending by
# FUZZ_UNTIL (a `date -d` time); a table in $(FUZZ_BUILD)/fuzz/campaign.tsv.
FUZZ_RUNS ?= 10000000
FUZZ_UNTIL ?= now + 3 hours
fuzz-campaign: fuzz-build
	RUNS=$(FUZZ_RUNS) nice -n 19 fuzz/campaign $(FUZZ_BUILD) "$(FUZZ_UNTIL)" $(FUZZ_TARGETS)

bench: build
	bench/http/run
	bench/ttp/run
	bench/matchmaker/run
	bench/relay/run
	bench/simulate/run
	bench/peer/run
	bench/connections/run
	bench/console/run
	bench/browser/run
	bench/cluster/run

# The demo games' images, FROM scratch (images/build). Uses $$DOCKER_HOST when
# set, else the private engine of scripts/dockerd (started if needed; stop it
# with `scripts/dockerd stop`).
images: build
	DOCKER_HOST=$${DOCKER_HOST:-unix://$$(scripts/dockerd start)} images/build $(BUILD)

format:
	find src tests bench sdk games -name '*.cpp' -o -name '*.h' 2>/dev/null | xargs clang-format -i

lint: $(BUILD)/build.ninja
	find src -name '*.cpp' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf $(BUILD)
