# The two commands: `make run` serves the catalogue, `make test` checks everything.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench bench-scale clean

run: $(VENV)/.installed
	$(BIN)/catalogue serve

test: $(VENV)/.installed-test lint typecheck pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check catalogue tests bench

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/pytest

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

# The scale run: 1M generated datasets loaded embedded, then p95 per page with one client
# (bench/scale.py; DATASETS=20000 for a short proof that it works end to end).
DATASETS ?= 1000000
bench-scale: $(VENV)/.installed-test
	$(BIN)/python -m bench.scale --datasets $(DATASETS) --shape linked

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "catalogue needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
