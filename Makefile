# `make site` builds the sample archive; `make test` runs the whole test suite.
# Both create .venv with the pinned dependencies first (Python 3.11+ needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test test-fast serve check clean

$(VENV)/.runtime: requirements.txt requirements-extras.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsarchive needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-extras.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

site: $(VENV)/.runtime
	$(BIN)/python build.py

# Two workers; --dist worksteal hands each half the tests in file order and lets an idle worker take
# half of what the other has left, so one long file never leaves a core idle (a module fixture is built
# again only where a file is split between the two). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist worksteal)

test: $(VENV)/.dev node_modules/.installed
	$(PYTEST)

# The inner loop: everything but the tests marked slow.
test-fast: $(VENV)/.dev node_modules/.installed
	$(PYTEST) -m "not slow"

# Test-only JavaScript (axe-core for tests/test_accessibility.py), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

check: $(VENV)/.runtime
	$(BIN)/python build.py check

serve: $(VENV)/.runtime
	$(BIN)/python build.py serve

clean:
	rm -rf _site .cache .pytest_cache build dist *.egg-info

# `make bench [N=10000] [BENCH_ARGS="--repeat 1"]`: newsarchive vs Hugo and Pelican on a
# synthetic corpus (see bench/README.md). Not part of `make test`.
N ?= 10000
BENCH_ARGS ?=
BENCH_VENV := bench/.venv

.PHONY: bench

$(BENCH_VENV)/.installed: bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	@touch $@

bench: $(VENV)/.runtime $(BENCH_VENV)/.installed
	$(BIN)/python bench/run.py --n $(N) --bin-dir $(BENCH_VENV)/bin $(BENCH_ARGS)
