# Set-up and checks. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-quick dist dist-check clean system-libs soak fuzz

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

# The sdist, the wheel built from it, and the one-folder desktop bundle (packaging/README.md)
# with its tarball. PYTHONDONTWRITEBYTECODE off: setuptools would warn that it cannot compile.
VERSION = $(shell $(BIN)/python -c "import annotator; print(annotator.__version__)")
PLATFORM = $(shell uname -s | tr A-Z a-z)-$(shell uname -m)
dist: system-libs $(STAMP)
	rm -rf build dist/annotator dist/annotator-*
	$(BIN)/python -c "import build" 2>/dev/null || $(BIN)/python -m pip install -q build
	$(BIN)/python -c "import PyInstaller" 2>/dev/null || $(BIN)/python -m pip install -q pyinstaller
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m build -o dist .
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/annotator.spec
	tar -C dist -czf dist/annotator-$(VERSION)-$(PLATFORM).tar.gz annotator
	@du -sh dist/annotator dist/annotator-$(VERSION)-$(PLATFORM).tar.gz

# Runs the bundle offscreen, in throwaway folders (packaging/dist_check.py), then the desktop
# files' checks. Not part of `make test`: it needs `make dist` first.
dist-check: system-libs
	$(BIN)/python packaging/dist_check.py dist/annotator
	if [ -f packaging/linux/validate.sh ]; then sh packaging/linux/validate.sh; fi

system-libs:
	@sh packaging/linux/qt-system-libs.sh

# --upgrade-deps: the bundled pip 23.2 mis-resolves some extras.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv --upgrade-deps $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
