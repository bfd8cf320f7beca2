# Everything runs in .venv, created and filled from the lock files on first use.
# `make site` and `make test` work on a new Debian machine from a clean clone.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed
NPM_STAMP     := node_modules/.installed

.PHONY: site check serve test bench clean browser java node tools help

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

java:
	@sh scripts/install-java.sh

node:
	@sh scripts/install-node.sh

# The quality gates' tools (vnu-jar, axe-core, Lighthouse), exactly as locked;
# their install scripts are skipped (vnu-jar's would download a Java).
$(NPM_STAMP): package.json package-lock.json | node
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# Everything the tests need, installed if missing; fails if any is still missing.
tools: $(DEV_STAMP) browser java $(NPM_STAMP)
	@for tool in java node /usr/bin/chromium node_modules/vnu-jar/build/dist/vnu.jar \
	  node_modules/axe-core/axe.min.js node_modules/lighthouse/cli/index.js; do \
	  command -v $$tool >/dev/null 2>&1 || test -e $$tool || { echo "error: $$tool is missing" >&2; exit 1; }; done

test: tools
	$(BIN)/python -m pytest

# The anchors (Eleventy, pinned in bench/package.json) are installed by the
# benchmark itself with `npm ci` in bench/. BENCH_ARGS: e.g. --sizes 4000 --runs 3
bench: $(RUNTIME_STAMP) | node
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf public .preview .pytest_cache .cache .bench
