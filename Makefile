# On a fresh Debian or Ubuntu machine start with ./bootstrap.sh run|test, which
# installs the system packages this needs (make among them) and then runs:
#   make run   — set up .venv and open the reader on the bundled library
#   make test  — set up .venv and run lint, type checks and the whole test suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check --no-input

.PHONY: run test quick lint typecheck pytest bench library package screenshots clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $(PYTHON) ..."; $(PYTHON) -m venv $(VENV); }
	@echo "Updating pip in $(VENV) ..."
	@$(PIP) install --quiet --upgrade pip
	@echo "Installing the reader with its test and development tools (about 450 MB on a first run) ..."
	@$(PIP) install -e '.[test,dev]'
	@touch $(STAMP)
	@echo "$(VENV) is ready."

run: $(STAMP)
	@echo "Opening the reader (the first start also builds the search index in the background) ..."
	@$(BIN)/ecip-reader

lint: $(STAMP)
	$(BIN)/ruff check src tests bench packaging
	$(BIN)/ruff format --check src tests bench packaging
	$(BIN)/lint-imports --no-cache --no-logo

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
	$(BIN)/python packaging/screenshots_library.py

package: $(STAMP)
	$(PIP) install --quiet -e '.[packaging]'
	PYTHON=$(BIN)/python bash packaging/linux/build.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
