# Set-up and checks. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-quick dist clean system-libs soak fuzz

run: system-libs $(STAMP)
	$(BIN)/annotator

test: system-libs $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The layers' contracts (pyproject.toml [tool.importlinter]) and the type checker.
lint: $(STAMP)
	$(BIN)/ruff check annotator tests benchmarks docs
	$(BIN)/lint-imports
	$(BIN)/mypy

# The long versions of the crash and fuzz tests `make test` runs briefly.
soak: system-libs $(STAMP)
	ANNOTATOR_SOAK_KILLS=200 ANNOTATOR_SOAK_DAMAGED=200 QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q tests/core/test_crash_safety.py tests/core/test_store.py \
		tests/core/test_integrity.py -k "kill or crash or damaged"

fuzz: system-libs $(STAMP)
	ANNOTATOR_FUZZ_EXAMPLES=5000 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q \
		tests/core/test_fuzz.py

# Every scenario at several sizes (under 10 minutes on 2 cores): writes benchmarks/results.json,
# docs/performance.md and docs/performance.png. bench-quick: the small sizes, in about a minute.
bench: system-libs $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py

bench-quick: system-libs $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py --quick

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
