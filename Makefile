# Quarry: setup, build, run, test, bench.
# `make run` and `make test` work on a fresh Debian machine: missing system
# packages are installed with apt-get (as root, or through sudo).

SHARED   ?= ../shared
CORPUS   ?= $(SHARED)/corpus/reuters21578.jsonl
GOLD     ?= $(SHARED)/gold/seeds.facts.jsonl
GOLDEN   ?= $(SHARED)/sbd/golden_en.jsonl
RULES    ?= rules
RELEASE  := .build/release/quarry
DEBUG    := .build/debug/quarry
VENV     := .venv
PYTHON   := $(VENV)/bin/python

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release run test test-swift test-python check-rules eval-seeds eval-sentences \
        bench test-spark lint clean

all: release

# Install what the build needs when pkg-config cannot find it.
deps:
	@if ! command -v jq >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
	  echo "quarry: jq not found (the analytics tests use it); installing it with apt-get" >&2; \
	  ($(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null) || true; \
	fi
	@if ! pkg-config --exists libpcre2-8 2>/dev/null; then \
	  echo "quarry: libpcre2-8 not found; installing libpcre2-dev and pkg-config with apt-get" >&2; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "quarry: apt-get is not available: install PCRE2 (libpcre2-8 with headers) and pkg-config by hand" >&2; exit 1; fi; \
	  ($(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpcre2-dev pkg-config >/dev/null) \
	    || { echo "quarry: could not install libpcre2-dev; install it by hand (apt-get install libpcre2-dev pkg-config)" >&2; exit 1; }; \
	fi

# The release binary carries the Swift runtime and Foundation (about 80 MB): it
# starts about 14 ms sooner (no dynamic linking of them), calls swift_retain and
# friends directly, and runs on a machine without Swift (docs/scale-out.md).
release: deps
	swift build -c release --product quarry --static-swift-stdlib

build: deps
	swift build --product quarry

# Facts from the seed articles with the default rules, NDJSON on stdout.
run: release
	$(RELEASE) run seeds/ --rules $(RULES)

# A local virtual environment for the Python-side tests (jsonschema, duckdb).
$(PYTHON): tests/requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $(PYTHON)

test: release test-swift check-rules eval-sentences eval-seeds test-python

test-swift: deps
	swift build --build-tests
	swift test --skip-build

check-rules: release
	$(RELEASE) check $(RULES)
	$(RELEASE) test $(RULES)

eval-sentences: release
	python3 scripts/eval-sentences.py $(RELEASE) $(GOLDEN) --rules $(RULES)

eval-seeds: release
	python3 scripts/eval-seeds.py $(RELEASE) $(GOLD) --rules $(RULES)

test-python: release $(PYTHON)
	QUARRY=$(RELEASE) RULES=$(RULES) SHARED=$(SHARED) $(PYTHON) -m pytest -q tests

# Quarry as a Spark RDD.pipe stage (pyspark is large: not part of make test).
SPARK_VENV := .venv-spark
$(SPARK_VENV)/bin/python: tests/spark/requirements.txt
	python3 -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/spark/requirements.txt
	touch $@

test-spark: release $(SPARK_VENV)/bin/python
	QUARRY=$(RELEASE) RULES=$(RULES) SHARED=$(SHARED) QUARRY_SPARK=1 $(SPARK_VENV)/bin/python -m pytest -q tests/spark

bench: release
	QUARRY=$(RELEASE) RULES=$(RULES) CORPUS=$(CORPUS) bench/run

lint:
	swift format lint --strict --recursive Sources Tests

clean:
	rm -rf .build $(VENV)
