# The two commands of the README's quick start: `make demo` and `make test`.
# Each creates .venv and installs what it needs on first use (idempotent).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO := demo-output

.PHONY: install test demo lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# On every core (pytest-xdist); `$(BIN)/pytest -q` runs the same tests in one process.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

# Runs the main job on a copy of the example repository; the checkout is never changed.
demo: $(STAMP)
	@bash scripts/demo.sh "$(BIN)" "$(DEMO)"

# ruff (lint and format) on all Python, mypy (with the pydantic plugin, see pyproject.toml)
# on the package; CI runs it after the tests.
lint: $(STAMP)
	$(BIN)/ruff check qa_cli tests scripts benchmarks
	$(BIN)/ruff format --check qa_cli tests scripts benchmarks
	$(BIN)/mypy qa_cli

# Issue 16's table, side by side, then the peak RSS of every command that reads the
# repository (see benchmarks/RESULTS.md): 10,000 returns by default; the peak RSS table at
# 50,000 with `make bench BENCH_ARGS=--50k` (slow), or only it with `--50k --rss-only`.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DEMO) build dist .pytest_cache
