# The two commands of the README: `make site` builds the site from content/ into site/,
# `make test` runs the tests. Both create .venv and install what they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/gongkai build

serve: $(STAMP)
	$(BIN)/gongkai serve

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_ocr.py

clean:
	rm -rf site .gongkai-cache build
