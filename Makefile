# Two commands for a fresh machine with Python 3.11+ and make:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test bench ui sql lock clean

# uv installs the locked set in seconds where pip takes minutes; it comes from PyPI like everything else.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock -e .
	touch $@

install: $(STAMP)

run: $(STAMP)          ## full refresh of the embedded real data, then publish
	$(BIN)/forcestat refresh

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)         ## where a full refresh spends its time; what a new street month costs as history grows
	$(BIN)/python tests/benchmarks/pipeline_timings.py
	$(BIN)/python tests/benchmarks/street_incremental.py

ui: $(STAMP)           ## Dagster UI and daemon on http://127.0.0.1:3000
	$(BIN)/forcestat ui

sql: $(STAMP)
	$(BIN)/forcestat sql

lock:                  ## re-resolve requirements.lock after changing pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11

clean:
	rm -rf $(VENV) warehouse/build warehouse/published dbt_project/target dbt_project/logs
