# Quick start: `make run` (build + run configs/hello.yaml), `make test` (build + ctest).
# Each target installs the Debian packages it needs when they are missing.
SHELL := /bin/bash
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_ARGS ?=
DEPS := cmake ninja-build g++ pkg-config ccache libyaml-cpp-dev libzmq3-dev cppzmq-dev \
        nlohmann-json3-dev doctest-dev libcli11-dev libtbb-dev
# The schema test validates models with Debian's python3 (tests/check_schema.py).
DEPS += python3-jsonschema python3-yaml
# Pictures are checked as a person sees them: headless Chromium lays them out.
DEPS += chromium

# The fuzz targets are built with clang and its libFuzzer runtime.
FUZZ_DEPS := clang libclang-rt-14-dev

.PHONY: all deps fuzz-deps configure build run test test-asan test-tsan fuzz bench clean

all: build

# Installs the packages of $(1) that are missing.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "patchbay: installing missing packages:" $$missing; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install_missing,$(DEPS))

fuzz-deps: deps
	$(call install_missing,$(FUZZ_DEPS))

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

# libFuzzer targets (tests/fuzz/), built with clang under ASan+UBSan in build-fuzz/, each run
# for FUZZ_SECONDS from its seeds (copied, so the tree is not changed). A crash fails.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := fuzz_model_yaml fuzz_wire_format fuzz_control_messages
fuzz: fuzz-deps
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPATCHBAY_FUZZ=ON \
	  -DPATCHBAY_SANITIZE=address,undefined -DPATCHBAY_BUILD_TESTS=OFF -DPATCHBAY_BUILD_BENCH=OFF \
	  -DPATCHBAY_BUILD_EXAMPLES=OFF -DPATCHBAY_INSTALL=OFF > /dev/null
	cmake --build build-fuzz --target $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf build-fuzz/corpus-$$t && cp -r tests/fuzz/corpus/$$t build-fuzz/corpus-$$t && \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s" && \
	  build-fuzz/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	    -print_final_stats=1 -artifact_prefix=build-fuzz/$$t- build-fuzz/corpus-$$t 2>&1 | \
	    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY)' ; \
	  test $${PIPESTATUS[0]} -eq 0 || { echo "fuzz: $$t failed; the input is in build-fuzz/$$t-*"; exit 1; }; \
	done

# The benchmarks, built in Release in their own directory (no tests, no examples) and run
# one after the other; each prints `metric value unit` lines (bench/README.md).
BENCH_BUILD ?= build-bench
bench: deps
	cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPATCHBAY_BUILD_BENCH=ON \
	  -DPATCHBAY_BUILD_TESTS=OFF -DPATCHBAY_BUILD_EXAMPLES=OFF $(CMAKE_ARGS)
	cmake --build $(BENCH_BUILD) --target run_benchmarks

clean:
	rm -rf build build-asan build-tsan build-bench build-fuzz
