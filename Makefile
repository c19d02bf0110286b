# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

CATALOGS := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

# axe-core for the accessibility tests: a development tool only, the app loads nothing from npm.
$(NODE_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund
	touch $(NODE_STAMP)

install: $(STAMP) $(CATALOGS) $(NODE_STAMP)

run: install
	$(BIN)/avoin migrate
	AVOIN_PUBLIC_URL=$${AVOIN_PUBLIC_URL:-http://$(HOST):$(PORT)} $(BIN)/avoin demo
	AVOIN_PUBLIC_URL=$${AVOIN_PUBLIC_URL:-http://$(HOST):$(PORT)} $(BIN)/avoin serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache node_modules

# Benchmarks of the live path against raw broadcast servers; rewrites "Live path" in
# docs/benchmarks.md (matplotlib draws its plot, py-spy profiles Avoin when a target is missed).
.PHONY: bench
bench: install
	$(BIN)/pip install --quiet matplotlib py-spy
	$(BIN)/python -m bench.live --size $${BENCH_SIZE:-1} --reps $${BENCH_REPS:-3}
