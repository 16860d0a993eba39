# Two commands do all the set-up (see README):
#   make demo   — creates .venv, installs the package, runs the demo
#   make test   — creates .venv, installs the package with test tools, runs the tests
PYTHON ?= python3
VENV ?= .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif

.PHONY: demo test lint workbooks bench clean

$(BIN)/shkmd-xl: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(BIN)/shkmd-xl

demo: $(BIN)/shkmd-xl
	$(BIN)/shkmd-xl demo --out demo

test: $(BIN)/shkmd-xl
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=30
	$(BIN)/python tests/installed_wheel.py

workbooks: $(BIN)/shkmd-xl
	$(BIN)/shkmd-xl workbooks --out workbooks

bench: $(BIN)/shkmd-xl
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) demo build *.egg-info
