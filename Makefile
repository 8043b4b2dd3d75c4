# Two commands for a fresh machine with Python 3.11+ and make:  `make run`  and  `make test`.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
MANIFEST := dbt_project/target/manifest.json
# GX Data Docs' scripts and styles, and the axe-core engine the site's browser tests run, installed from the npm
# registry as locked (nothing is fetched from a CDN: the docs and the checks work offline)
DOCS_ASSETS := orchestration/gate/data_docs_assets/node_modules/.package-lock.json
A11Y_ASSETS := orchestration/site/a11y/node_modules/.package-lock.json
# plotly.js's partial bundles, copied into the site by every build (its charts)
CHART_ASSETS := orchestration/site/charts/node_modules/.package-lock.json
DBT_FILES := orchestration/transform/project.py orchestration/settings.py dbt_project/dbt_project.yml dbt_project/profiles.yml $(shell find dbt_project/models dbt_project/seeds dbt_project/macros dbt_project/tests -type f 2>/dev/null)

.PHONY: install prepare run test test-fast lint bench ui site docs sql lock clean

# uv installs the locked set in seconds where pip takes minutes; it comes from PyPI like everything else.
# Compiled to bytecode once here (about 15 s): uv does not compile, and where PYTHONDONTWRITEBYTECODE is set (as on
# this machine kind) every process - each Dagster run, dbt, each test's daemon - compiled Dagster, dbt and GX again
# from source, 7-8 s to load the code location instead of 2-3.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock -e .
	$(BIN)/python -m compileall -q orchestration tests
	touch $@

# `dbt parse` into the manifest the code location is built from, exactly as the runs invoke dbt (again whenever a
# file of the dbt project changes). Loading the code location never runs dbt.
$(MANIFEST): $(STAMP) $(DBT_FILES)
	$(BIN)/forcestat prepare
	touch $@

$(DOCS_ASSETS): orchestration/gate/data_docs_assets/package-lock.json
	cd orchestration/gate/data_docs_assets && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

$(A11Y_ASSETS): orchestration/site/a11y/package-lock.json
	cd orchestration/site/a11y && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

$(CHART_ASSETS): orchestration/site/charts/package-lock.json
	cd orchestration/site/charts && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

install: $(MANIFEST) $(DOCS_ASSETS) $(A11Y_ASSETS) $(CHART_ASSETS)

prepare: $(MANIFEST)

run: $(MANIFEST) $(DOCS_ASSETS) $(CHART_ASSETS)  ## bring the published file up to date with the embedded real data
	$(BIN)/forcestat refresh

test: $(MANIFEST) $(DOCS_ASSETS) $(A11Y_ASSETS) $(CHART_ASSETS)  ## lint, then every test (unit and end to end, real DuckDB/dbt/Dagster/GX, daemon, browser)
	$(BIN)/ruff check orchestration tests
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=15 tests

test-fast: $(MANIFEST) $(DOCS_ASSETS) $(CHART_ASSETS)  ## lint and the unit tests only (no pipeline run), for every change
	$(BIN)/ruff check orchestration tests
	$(BIN)/python -m pytest -n 2 --dist loadfile tests/unit

lint: $(STAMP)
	$(BIN)/ruff check orchestration tests

bench: $(MANIFEST) $(CHART_ASSETS)  ## where the time goes: a refresh, a quiet refresh, the fetch, a national month, history from 1 to 120 months, the site
	$(BIN)/python tests/benchmarks/refresh_timings.py
	$(BIN)/python tests/benchmarks/fetch_publishers.py
	$(BIN)/python tests/benchmarks/national_month.py
	$(BIN)/python tests/benchmarks/street_history.py
	$(BIN)/python tests/benchmarks/site_pages.py

ui: $(MANIFEST) $(CHART_ASSETS)  ## Dagster UI, daemon and site on http://127.0.0.1:3000 and :3001
	$(BIN)/forcestat ui

site: $(STAMP) $(CHART_ASSETS)  ## the force profiles and national page, served on http://127.0.0.1:3001
	$(BIN)/forcestat site --serve

docs: $(MANIFEST) $(DOCS_ASSETS)  ## dbt docs and GX Data Docs into the site (site/docs/dbt, site/docs/gx), offline
	$(BIN)/forcestat docs

sql: $(STAMP)
	$(BIN)/forcestat sql

lock:                  ## re-resolve requirements.lock after changing pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11

clean:
	rm -rf $(VENV) orchestration/gate/data_docs_assets/node_modules orchestration/site/a11y/node_modules orchestration/site/charts/node_modules warehouse/build warehouse/published warehouse/.dagster dbt_project/target dbt_project/logs
