# techreg: `make run` sets everything up and starts the explorer; `make test` runs the suite.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PYTHON ?= python3

.PHONY: install run test lint build docs clean browser bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/techreg neo4j start
	$(BIN)/techreg load
	$(BIN)/python -m explorer.serve run app.py --server.headless true --server.address 127.0.0.1 --server.port 8501

# Debian's Chromium for the end-to-end tests (no browser download at run time).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: install browser
	$(BIN)/ruff check .
	$(BIN)/pytest

# The benchmarks run against their own Neo4j instance (they empty its database), never the
# graph `make run` serves. The peer, rdflib-neo4j, gets a virtualenv of its own.
BENCH_ENV := TECHREG_NEO4J_HOME=$(HOME)/.cache/techreg/bench-server TECHREG_NEO4J_PORT=7689 \
	TECHREG_NEO4J_HEAP=4g TECHREG_NEO4J_PAGECACHE=2g

.venv-peer/.installed:
	$(PYTHON) -m venv .venv-peer
	.venv-peer/bin/python -m pip install -q "rdflib-neo4j==1.1"
	touch $@

bench: install .venv-peer/.installed
	$(BENCH_ENV) $(BIN)/techreg neo4j start
	$(BENCH_ENV) $(BIN)/python -m bench.run --json out/bench/results.json
	$(BENCH_ENV) $(BIN)/techreg load
	$(BENCH_ENV) $(BIN)/python -m bench.pages --json out/bench/pages.json
	$(BENCH_ENV) $(BIN)/python -m bench.canvas --json out/bench/canvas.json

lint: install
	$(BIN)/ruff check .

build: install
	$(BIN)/techreg build -o out

docs: install
	$(BIN)/techreg docs

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache *.egg-info
