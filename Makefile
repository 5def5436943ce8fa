# The two commands of the README: `make site` builds the site from content/ into site/,
# `make test` runs the tests. Both create .venv and install what they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test test-fast lint serve bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/gongkai build

# `mkdocs serve` with the gongkai plugin: rebuilds on a change of a page, mkdocs.yml,
# a report or agencies.yml.
serve: $(STAMP)
	$(BIN)/mkdocs serve

# The full run: every test, the browser check, the corpus and the long property tests.
test: $(STAMP)
	$(BIN)/python -m pytest

# The development loop: everything but the tests marked slow (under a minute).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_recognise.py
	$(BIN)/python benchmarks/bench_ocr.py

clean:
	rm -rf site .gongkai-cache build
