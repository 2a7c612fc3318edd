# Quick start: `make run` (build + run configs/hello.yaml), `make test` (build + ctest).
# Each target installs the Debian packages it needs when they are missing.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_ARGS ?=
DEPS := cmake ninja-build g++ pkg-config ccache libyaml-cpp-dev libzmq3-dev cppzmq-dev \
        nlohmann-json3-dev doctest-dev libcli11-dev libtbb-dev
# The schema test validates models with Debian's python3 (tests/check_schema.py).
DEPS += python3-jsonschema python3-yaml

.PHONY: all deps configure build run test test-asan test-tsan bench clean

all: build

deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "patchbay: installing missing packages:" $$missing; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

# Always re-run: cheap, and a build folder never keeps options from an earlier call.
configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS) > /dev/null

build: configure
	cmake --build $(BUILD)

run: build
	$(BUILD)/cli/patchbay run configs/hello.yaml --summary
	@echo "--- hello-fahrenheit.csv:" && cat hello-fahrenheit.csv

test: build
	cd $(BUILD) && ctest --output-on-failure --timeout 600 -j2

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer, and ThreadSanitizer.
test-asan:
	$(MAKE) test BUILD=build-asan CMAKE_ARGS='-DPATCHBAY_SANITIZE=address,undefined -DPATCHBAY_BUILD_BENCH=OFF'

test-tsan:
	TSAN_OPTIONS='second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp' $(MAKE) test BUILD=build-tsan CMAKE_ARGS='-DPATCHBAY_SANITIZE=thread -DPATCHBAY_BUILD_BENCH=OFF'

# The benchmarks, built in Release in their own directory (no tests, no examples) and run
# one after the other; each prints `metric value unit` lines (bench/README.md).
BENCH_BUILD ?= build-bench
bench: deps
	cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPATCHBAY_BUILD_BENCH=ON \
	  -DPATCHBAY_BUILD_TESTS=OFF -DPATCHBAY_BUILD_EXAMPLES=OFF $(CMAKE_ARGS)
	cmake --build $(BENCH_BUILD) --target run_benchmarks

clean:
	rm -rf build build-asan build-tsan build-bench
