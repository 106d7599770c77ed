# The front door. `make run` and `make test` work on a fresh Debian machine.
.PHONY: run test build deps bench images format lint clean

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
	bench/matchmaker/run
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
