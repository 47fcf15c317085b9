# `make site` builds the sample archive; `make test` runs the whole test suite.
# Both create .venv with the pinned dependencies first (Python 3.11+ needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test serve check clean

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsarchive needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

site: $(VENV)/.runtime
	$(BIN)/python build.py

test: $(VENV)/.dev
	$(BIN)/python -m pytest

check: $(VENV)/.runtime
	$(BIN)/python build.py check

clean:
	rm -rf _site .cache .pytest_cache
