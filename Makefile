# `make run` serves the CMS; `make test` runs the tests. Each sets itself up on first use,
# with the embedded PostgreSQL (the `embedded` extra) that they use when nothing is configured.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed

.PHONY: run test lint schema bench clean

run: $(READY)
	$(BIN)/cms serve

test: $(READY)
	$(BIN)/pytest -n auto --dist worksteal

lint: $(READY)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

schema: $(READY)
	$(BIN)/cms export-schema > schema/schema.graphql

# The read path under load beside a hand-written baseline and a static floor (needs wrk and a
# PostgreSQL: CMS_BENCH_SERVER, 127.0.0.1:5432 by default). Options: make bench BENCH_ARGS="--help".
bench: $(READY)
	$(BIN)/python bench/reads.py $(BENCH_ARGS)

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[embedded,test]"
	touch $(READY)

clean:
	rm -rf $(VENV) .pytest_cache
