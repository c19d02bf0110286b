# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-deps install lint format clean lock screenshots

# The exact versions and hashes of requirements.lock (made by `make lock` from pyproject.toml's
# ranges); the project itself is installed over them, editable, with nothing more resolved.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh the lock from pyproject.toml's ranges (uv resolves for every platform in about a second;
# the lock it writes is an ordinary pip requirements file, so installing needs only pip).
UV_VERSION := 0.13.9
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'uv==$(UV_VERSION)'
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --upgrade --quiet -o requirements.lock

CATALOGS := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

# axe-core for the accessibility tests: a development tool only, the app loads nothing from npm.
$(NODE_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund
	touch $(NODE_STAMP)

install: $(STAMP) $(CATALOGS)

# What the tests need beyond the Python packages: Debian's packages (installed when run as root on
# Debian, else named with the command that installs them) and axe-core from npm.
test-deps: install
	bash scripts/system-deps.sh
	$(MAKE) --no-print-directory $(NODE_STAMP)

# HOST=0.0.0.0 serves the room's network: the links then carry this machine's address there.
run: install
	$(BIN)/avoin migrate
	url=$${AVOIN_PUBLIC_URL:-$$($(BIN)/avoin url --host $(HOST) --port $(PORT))}; \
	AVOIN_PUBLIC_URL=$$url $(BIN)/avoin demo && \
	AVOIN_PUBLIC_URL=$$url exec $(BIN)/avoin serve --host $(HOST) --port $(PORT)

# Whole modules to each worker (a module's server and browser stay in one process). Two workers a
# core: a third of a test's time is waiting (a server starting, a socket's timeout), and the
# other worker fills it (measured: -n 2 5 min 20 s, -n 4 4 min 39–51 s, -n 6 slower again).
# JOBS=1 runs them one after another.
JOBS ?= $(shell echo $$(( $$(nproc) * 2 )))
test: test-deps lint
	$(BIN)/pytest -q -n $(JOBS) --dist loadfile

# docs/screenshots/: every page the browser tests visit, at phone, laptop and projector size.
screenshots: test-deps
	AVOIN_SCREENSHOTS=1 $(BIN)/pytest -q -n $(JOBS) --dist loadfile -m browser

# The daily loop: the pure domain and in-process tests (markers given by tests/conftest.py).
test-fast: install
	$(BIN)/pytest -q -m unit

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

# The glossary's lemma matchers compared (Voikko from Debian, simplemma from PyPI): docs/glossary.md.
.PHONY: bench-glossary
bench-glossary: install
	$(BIN)/pip install --quiet simplemma
	$(BIN)/python -m bench.glossary_lemmas
