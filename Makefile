# Two commands set everything up on a fresh machine: `make html` and `make test`.
# Each creates .venv on first use and installs the project with the extra it needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SPHINXOPTS ?= -n -W --keep-going
DOCS := docs
BUILDDIR := $(DOCS)/_build
PYTEST_ARGS ?=

ACCESSIBILITY := tools/a11y

.PHONY: a11y linkcheck-fr html html-fr gettext update-po translation-status handbook test test-fast matrix lint livehtml bench-against linkcheck bench bench-quick clean distclean venv locale properties fuzz dist

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed-dev

# The patients' Learning Centre.
html: $(VENV)/.installed-docs
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) $(DOCS) $(BUILDDIR)/html

# The French Learning Centre: the same pages, translated through docs/locale/fr (see the
# handbook's "Translating the Learning Centre").
html-fr: $(VENV)/.installed-docs
	READTHEDOCS_LANGUAGE=fr $(BIN)/sphinx-build -b html $(SPHINXOPTS) $(DOCS) $(BUILDDIR)/html-fr

# The translator's loop: extract the pages' messages, update the French catalogs, see what is left.
gettext: $(VENV)/.installed-docs
	$(BIN)/sphinx-build -b gettext -q $(DOCS) $(BUILDDIR)/gettext

update-po: gettext
	$(BIN)/sphinx-intl update -p $(BUILDDIR)/gettext -d $(DOCS)/locale -l fr -w 99

translation-status: $(VENV)/.installed-docs
	$(BIN)/python -m sphinx_prolo.languages.status $(DOCS)/locale/fr/LC_MESSAGES

# The writers' and maintainers' handbook, a site of its own; it links to the Learning Centre's
# articles through the Learning Centre's objects.inv, so that is built first.
handbook: html
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) $(DOCS)/handbook $(BUILDDIR)/handbook

# Lighthouse's accessibility score (it must be 100) of each kind of page of both language sites
# and the handbook, in Debian's Chromium (CHROME_PATH); reports kept in docs/_build/a11y.
# Lighthouse is pinned in tools/a11y/package-lock.json and installed there by npm ci.
$(ACCESSIBILITY)/node_modules/.installed: $(ACCESSIBILITY)/package-lock.json
	cd $(ACCESSIBILITY) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

a11y: html-fr handbook $(ACCESSIBILITY)/node_modules/.installed
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python $(ACCESSIBILITY)/run.py

# Both cores (pytest-xdist); PYTEST_JOBS=0 runs the tests in this process, one after the other.
PYTEST_JOBS ?= auto
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(PYTEST_JOBS) $(PYTEST_ARGS)

# The edit-test loop: everything but the long generated runs, whole-site builds and Chromium.
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(PYTEST_JOBS) -m "not slow and not browser" $(PYTEST_ARGS)

# The test suite on the oldest and the newest supported Sphinx and myst-parser (noxfile.py);
# NOXFLAGS goes to nox: NOXFLAGS=-l lists the sessions, NOXFLAGS='-- -k linkcheck' picks tests.
matrix: $(VENV)/.installed-dev
	$(BIN)/nox $(NOXFLAGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict sphinx_prolo
	$(BIN)/actionlint .github/workflows/*.yml sphinx_prolo/quickstart_files/dot-github/workflows/*.yml

# The release artifacts: sdist and wheel in dist/, checked as PyPI will check them.
dist: $(VENV)/.installed-dev
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

# The live preview of the writing guide: served at http://127.0.0.1:8000, Ctrl+C stops it.
livehtml: $(VENV)/.installed-dev
	$(BIN)/sphinx-autobuild --host 127.0.0.1 --port 8000 $(SPHINXOPTS) $(DOCS) $(BUILDDIR)/html

linkcheck: $(VENV)/.installed-docs
	$(BIN)/sphinx-build -b linkcheck $(SPHINXOPTS) $(DOCS) $(BUILDDIR)/linkcheck

linkcheck-fr: $(VENV)/.installed-docs
	READTHEDOCS_LANGUAGE=fr $(BIN)/sphinx-build -b linkcheck $(SPHINXOPTS) $(DOCS) $(BUILDDIR)/linkcheck-fr

# This tree against an earlier revision, side by side: make bench-against REVISION=66c5141
bench-against: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_against.py --revision $(REVISION)

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_linkcheck.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_themes.py

# Every served theme at N = 100 only, one build each: a few minutes; prints, writes nothing.
bench-quick: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_themes.py --quick

clean:
	rm -rf $(BUILDDIR) .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

# The extension's own catalog, with Babel's commands: extract the document text marked with _()
# and the console messages marked with __() (one catalog: add_message_catalog loads it for the
# site's language and, for __, for the terminal's), update the French catalog (translate what is
# new there, then run this again), compile it.
LOCALE := sphinx_prolo/locale
locale: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k _ -k __ --add-location=file \
		--sort-by-file --project=sphinx-prolo -o $(LOCALE)/sphinx_prolo.pot .
	$(BIN)/pybabel update -i $(LOCALE)/sphinx_prolo.pot -d $(LOCALE) -D sphinx_prolo \
		--no-fuzzy-matching
	$(BIN)/pybabel compile -d $(LOCALE) -D sphinx_prolo --statistics

# Longer runs of the hardening tests than `make test` does.
properties: $(VENV)/.installed-test
	PROLO_HYPOTHESIS_EXAMPLES=200 PROLO_HYPOTHESIS_STEPS=12 $(BIN)/python -m pytest -q tests/test_properties.py

fuzz: $(VENV)/.installed-test
	for seed in 1 2 3 4 5; do \
		PROLO_FUZZ_SEED=$$seed$$(date +%s) $(BIN)/python -m pytest -q tests/test_fuzz.py || exit 1; \
	done
