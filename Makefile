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

# All five at moderate sizes (about 6 minutes on 2 cores); each prints `ratio: X` last.
# scale_out needs PostgreSQL and Redis on 127.0.0.1 (payment_run uses SQLite and PostgreSQL).
bench: $(STAMP)
	$(BIN)/python -m bench.payment_run --size 20000 --runs 3 --db sqlite
	$(BIN)/python -m bench.payment_run --size 20000 --runs 3 --db postgres --disburse 0
	$(BIN)/python -m bench.statements --size 1000 --runs 3
	$(BIN)/python -m bench.graphql --size 500 --runs 3 --seconds 3
	$(BIN)/python -m bench.schedule --size 5000 --loans 20000 --runs 3
	$(BIN)/python -m bench.scale_out --size 5000 --runs 1

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
