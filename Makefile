# techreg: `make run` sets everything up and starts the explorer; `make test` runs the suite.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PYTHON ?= python3

.PHONY: install run test lint build docs clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/techreg neo4j start
	$(BIN)/techreg load
	$(BIN)/streamlit run app.py --server.headless true --server.address 127.0.0.1 --server.port 8501

# Debian's Chromium for the end-to-end tests (no browser download at run time).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: install browser
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

build: install
	$(BIN)/techreg build -o out

docs: install
	$(BIN)/techreg docs

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache *.egg-info
