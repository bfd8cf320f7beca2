# Everything runs in .venv, created and filled from the lock files on first use.
# `make site` and `make test` work on a new Debian machine from a clean clone.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed

.PHONY: site check serve test bench clean browser help

help:
	@echo "make site    build public/ from site.yaml, seeds/ and content/ (strict)"
	@echo "make check   validate the content, write nothing"
	@echo "make serve   local preview with live reload (PORT=$(PORT))"
	@echo "make test    run the whole test suite"
	@echo "make bench   run the build benchmark"

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv failed; installing Debian's python3-venv"; \
	  apt-get update -qq && apt-get install -y -qq python3-venv && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }

$(RUNTIME_STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null || \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $@

site: $(RUNTIME_STAMP)
	$(BIN)/python -m generator build --strict

check: $(RUNTIME_STAMP)
	$(BIN)/python -m generator check --strict

serve: $(RUNTIME_STAMP)
	$(BIN)/python -m generator serve --host $(HOST) --port $(PORT)

browser:
	@sh scripts/install-browser.sh

test: $(DEV_STAMP) browser
	$(BIN)/python -m pytest

bench: $(RUNTIME_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf public .preview .pytest_cache .cache .bench
