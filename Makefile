# Two commands for a fresh machine:
#   make demo   installs what it needs, starts and seeds the local wiki, cross-links the records, runs the main job
#   make test   installs what the tests need, runs ruff, mypy and pytest (live tests included)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEVWIKI_PORT ?= 8080
export DEVWIKI_PORT

.PHONY: demo test lint types pytest wiki stop venv clean bench bench-infobox lock

# The venv holds exactly the pinned set of requirements-test.txt (hashes checked), then this
# checkout without dependencies; it is made again whenever the lock or pyproject.toml changes.
$(VENV)/.installed: requirements.txt requirements-test.txt pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-test.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

venv: $(VENV)/.installed

wiki: venv
	$(PY) -m scripts.devwiki start

demo: wiki
	PYWIKIBOT_DIR=.devwiki/pywikibot $(PY) -m scripts.install_templates -always
	PYWIKIBOT_DIR=.devwiki/pywikibot $(PY) -m bots.crosslink -always
	PYWIKIBOT_DIR=.devwiki/pywikibot $(PY) -m bots.update -always
	@echo
	@echo "The local wiki runs at http://127.0.0.1:$(DEVWIKI_PORT)/index.php/Main_Page; stop it with: make stop"

stop: venv
	$(PY) -m scripts.devwiki stop

lint: venv
	$(VENV)/bin/ruff check bots scripts tests
	$(VENV)/bin/ruff format --check bots scripts tests

types: venv
	$(VENV)/bin/mypy

pytest: venv
	$(PY) -m scripts.devwiki packages
	$(PY) -m scripts.browser packages
	$(PY) -m pytest

test: lint types pytest

# Not part of `make test`: loads 1,000 and 10,000 pages into fresh local wikis, measures bots.update and
# what one new finding re-renders (about 45 minutes: refreshLinks.php renders every page with the Lua infobox).
bench: venv
	$(PY) -m scripts.devwiki packages
	$(PY) -m scripts.bench

# Not part of `make test`: the Lua infobox's time per page on the demo wiki (target: under 10 ms).
bench-infobox: demo
	$(PY) -m scripts.bench_infobox

# The lock: requirements.txt (runtime, what Toolforge installs) and requirements-test.txt
# (the same pins plus the test tools), every file's hash included, resolved from pyproject.toml
# for Toolforge's Python (3.11) by pip-tools in a throwaway venv, from PyPI alone (whatever
# this machine's pip configuration adds). Existing pins are kept while pyproject.toml allows
# them; to move on: make lock LOCK_FLAGS=--upgrade (or --upgrade-package pywikibot).
LOCK_PYTHON ?= python3.11
LOCK_FLAGS ?=
PIP_COMPILE = PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= PIP_EXTRA_INDEX_URL= PIP_CONSTRAINT= \
	CUSTOM_COMPILE_COMMAND="make lock" $$tools/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-index-url --no-emit-find-links --index-url https://pypi.org/simple $(LOCK_FLAGS)

lock:
	set -e; tools=$$(mktemp -d); trap 'rm -rf "$$tools"' EXIT; \
	$(LOCK_PYTHON) -m venv "$$tools"; \
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= "$$tools/bin/pip" install --quiet pip-tools; \
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml; \
	$(PIP_COMPILE) --extra test --constraint requirements.txt --output-file requirements-test.txt pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Screenshots of the local wiki for the README (headless Chromium; not part of make test):
# the generated pages of the demo, and a volunteer's first page from the browser test.
.PHONY: screenshots
screenshots: demo
	$(PY) -m scripts.screenshots
	SCREENSHOTS_DIR=docs $(PY) -m pytest -q tests/live/test_browser_live.py
