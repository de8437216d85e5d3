# Floorwalker developer commands. CI (.ci/run) calls these same targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= both
PYTEST_ARGS ?=
WORKERS ?= 2

help: ## Show the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

install: $(BIN)/.installed ## Create .venv and install Floorwalker with its dev tools.

demo: install ## Build the demo store and serve it (prints the URL and an admin key).
	$(BIN)/floorwalker demo

fmt: install ## Format and auto-fix.
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

lint: install ## Ruff (format and lint) and the import-direction contracts.
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports

typecheck: install ## mypy --strict on src.
	$(BIN)/mypy

test: install ## Run the test suite on SQLite and PostgreSQL (DB=sqlite|postgresql|both).
	@set -e; \
	for backend in $$( [ "$(DB)" = both ] && echo "sqlite postgresql" || echo "$(DB)" ); do \
	  echo "=== tests on $$backend ==="; \
	  FLOORWALKER_TEST_DB=$$backend $(BIN)/pytest -n $(WORKERS) $(PYTEST_ARGS); \
	done

bench: install ## Run the benchmarks and print their figures.
	@set -e; for b in benchmarks/bench_*.py; do echo "=== $$b ==="; $(BIN)/python $$b; done

clean: ## Remove caches and the local data directory.
	rm -rf .pytest_cache .mypy_cache .ruff_cache .floorwalker

.PHONY: help install demo fmt lint typecheck test bench clean
