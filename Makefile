# econ: `make run` starts the service with demo data; `make test` runs the tests.
# Both create .venv when it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/econ migrate
	$(BIN)/econ demo --if-empty
	@echo "econ: GraphiQL at http://$${ECON_HOST:-127.0.0.1}:$${ECON_PORT:-8000}/graphql"
	$(BIN)/python server.py

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(STAMP)
	@for b in $$(ls bench/*.py 2>/dev/null | grep -v __init__); do \
		name=$$(basename $$b .py); echo "== bench.$$name"; $(BIN)/python -m bench.$$name || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
