# Optimizer Atlas: build the site, run the tests, preview.
#   make site    figures + site/ (mkdocs build --strict)
#   make test    the whole test suite, including the headless-browser tests
#   make serve   live preview on http://127.0.0.1:8000/
#
# The Python packages go into a virtual environment of the project, .venv/, made with
# `$(PYTHON) -m venv` (on Debian: `apt-get install python3-venv`), so the system Python
# is never installed into (PEP 668). Delete .venv/ to start afresh; `make PYTHON=python3.11`
# picks the interpreter that makes it.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
NPM    ?= npm
NODE   ?= node

# Silence Material's MkDocs-2/Zensical banner in our logs, and pip's version check.
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: site test serve venv deps test-deps node-deps figures clean

# The virtual environment. Debian's python3 without python3-venv leaves a half-made
# directory behind: remove it, so that the next try starts afresh.
$(PY):
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "error: '$(PYTHON) -m venv' failed; on Debian/Ubuntu: apt-get install python3-venv" >&2; \
	  exit 1; }

venv: $(PY)

# Installed again only when a requirements file changed (the stamps live in .venv/).
$(VENV)/.requirements.stamp: requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.requirements-test.stamp: requirements.txt requirements-test.txt | $(PY)
	$(PIP) install -r requirements-test.txt
	@touch $@ $(VENV)/.requirements.stamp

deps: $(VENV)/.requirements.stamp

test-deps: $(VENV)/.requirements-test.stamp

node-deps:
	$(NPM) ci --no-audit --no-fund

# The standalone figure build (the MkDocs hook runs it again, cache-aware, so that
# `mkdocs serve` stays current; this step keeps the pipeline independent of MkDocs).
figures: deps
	$(PY) -m build_assets

site: deps node-deps figures
	$(PY) -m mkdocs build --strict --site-dir site

# The JavaScript port (playground/) is checked against golden vectors that the Python
# library writes from the build's settings (so the build runs first; pytest then finds it
# up to date).
test: test-deps node-deps
	$(PY) -m build_assets --quiet
	$(PY) tests/playground/write_golden.py
	$(NODE) --disable-warning=ExperimentalWarning --test tests/playground/
	$(PY) -m pytest

serve: deps node-deps
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

clean:
	rm -rf site test-artifacts
