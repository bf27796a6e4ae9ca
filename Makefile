# `make run` serves the demo; `make test` runs everything CI runs. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest sdl bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/trackchild-hub serve --demo --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check trackchild_hub tests $(wildcard bench)
	$(BIN)/ruff format --check trackchild_hub tests $(wildcard bench)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy --strict bench

pytest: $(STAMP)
	$(BIN)/pytest -n 2 --durations=20  # two workers (CI has 2 cores); the slowest tests stay visible in every log

test: lint typecheck pytest

sdl: $(STAMP)
	$(BIN)/trackchild-hub sdl > schema.graphql

bench: $(STAMP)
	$(BIN)/python -m bench.http_ratio
	$(BIN)/python -m bench.import_throughput

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache trackchild.db*
