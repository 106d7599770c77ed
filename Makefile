# The front door. `make run` and `make test` work on a fresh Debian machine.
.PHONY: run test build deps bench format lint clean

BUILD ?= build
JOBS ?= $(shell nproc)

run: build
	scripts/run-demo

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j$(JOBS)

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake --preset default -B $(BUILD)

bench: build
	bench/http/run
	bench/ttp/run

format:
	find src tests bench sdk games -name '*.cpp' -o -name '*.h' 2>/dev/null | xargs clang-format -i

lint: $(BUILD)/build.ninja
	find src -name '*.cpp' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf $(BUILD)
