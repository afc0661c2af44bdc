# Set-up and checks. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench dist clean system-libs

run: system-libs $(STAMP)
	$(BIN)/annotator

test: system-libs $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The layers' contracts (pyproject.toml [tool.importlinter]) and the type checker.
lint: $(STAMP)
	$(BIN)/ruff check annotator tests benchmarks docs
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: system-libs $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py

dist: $(STAMP)
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation -w dist .

system-libs:
	@sh packaging/linux/qt-system-libs.sh

# --upgrade-deps: the bundled pip 23.2 mis-resolves some extras.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv --upgrade-deps $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
