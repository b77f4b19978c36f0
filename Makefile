# econ: `make run` starts the service with demo data; `make test` runs the tests.
# Both create .venv when it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean constraints

# Installs exactly the versions in constraints.txt (CI uses this too, through make test).
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# After changing dependencies in pyproject.toml: resolve them afresh in a clean venv and pin.
constraints:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet '.[dev]'
	{ echo '# Exact versions make and CI install (make constraints rewrites this file).'; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^econ[ =@]'; } > constraints.txt
	rm -rf .venv-lock build

# The web pages come first: their address, then the demo's sign-ins for each role.
run: $(STAMP)
	@echo "econ: web pages at http://$${ECON_HOST:-127.0.0.1}:$${ECON_PORT:-8000}/ (sign in below)"
	@$(BIN)/econ migrate > /dev/null
	@$(BIN)/econ demo --if-empty
	@echo "econ: GraphiQL at http://$${ECON_HOST:-127.0.0.1}:$${ECON_PORT:-8000}/graphql"
	$(BIN)/econ serve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# All of them at moderate sizes (about 6 minutes on 2 quiet cores; the pages on 2 uvicorn workers); each prints `ratio: X` last.
# scale_out needs PostgreSQL and Redis on 127.0.0.1 (payment_run uses SQLite and PostgreSQL).
bench: $(STAMP)
	$(BIN)/python -m bench.payment_run --size 20000 --runs 3 --db sqlite
	$(BIN)/python -m bench.payment_run --size 20000 --runs 3 --db postgres --disburse 0
	$(BIN)/python -m bench.statements --size 1000 --runs 3
	$(BIN)/python -m bench.graphql --size 500 --runs 3 --seconds 3
	$(BIN)/python -m bench.schedule --size 5000 --loans 20000 --runs 3
	$(BIN)/python -m bench.scale_out --size 20000 --runs 1
	$(BIN)/python -m bench.web --runs 3 --seconds 3
	$(BIN)/python -m bench.web_counselor --runs 3 --seconds 3 --workers 2
	$(BIN)/python -m bench.web --finance 1 --runs 3 --seconds 3 --workers 2

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
