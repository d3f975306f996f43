# Two commands on a fresh machine:
#   make run   — set up .venv and open the reader on the bundled library
#   make test  — set up .venv and run lint, type checks and the whole test suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test quick lint typecheck pytest bench library package screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ecip-reader

lint: $(STAMP)
	$(BIN)/ruff check src tests bench packaging
	$(BIN)/ruff format --check src tests bench packaging
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test: lint typecheck pytest

# The inner loop: every test but the slowest (CI always runs the whole suite).
quick: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow" -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

library: $(STAMP)
	$(BIN)/ecip-reader build-library

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/screenshots_reading.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/screenshots_annotations.py
	$(BIN)/python packaging/screenshots_teach.py

package: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[packaging]'
	PYTHON=$(BIN)/python bash packaging/linux/build.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
