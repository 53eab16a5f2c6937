# Optimizer Atlas: build the site, run the tests, preview.
#   make site    figures + site/ (mkdocs build --strict)
#   make test    the whole test suite, including the headless-browser tests
#   make serve   live preview on http://127.0.0.1:8000/

PYTHON ?= python3
PIP    ?= $(PYTHON) -m pip
NPM    ?= npm

# Silence Material's MkDocs-2/Zensical banner in our logs.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve deps test-deps node-deps figures clean

deps:
	$(PIP) install -r requirements.txt

test-deps:
	$(PIP) install -r requirements-test.txt

node-deps:
	$(NPM) ci --no-audit --no-fund

# The standalone figure build (the MkDocs hook runs it again, cache-aware, so that
# `mkdocs serve` stays current; this step keeps the pipeline independent of MkDocs).
figures:
	$(PYTHON) -m build_assets

site: deps node-deps figures
	$(PYTHON) -m mkdocs build --strict --site-dir site

test: test-deps node-deps
	$(PYTHON) -m pytest

serve: deps node-deps
	$(PYTHON) -m mkdocs serve --dev-addr 127.0.0.1:8000

clean:
	rm -rf site test-artifacts
