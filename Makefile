# Two commands on a fresh clone: `make book` and `make test` (see README.md).
# Each sets up .venv from requirements.txt on its first run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: book test lint bench clean

$(READY): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-build-isolation --no-deps -e .
	touch $(READY)

book: $(READY)
	$(BIN)/python tools/build_book.py

lint: $(READY)
	$(BIN)/ruff check .

# Lint, execute every notebook (printing each one's time) and build both editions,
# then run every check; the last line is pytest's summary.
test: $(READY) lint
	$(BIN)/python tools/build_book.py
	$(BIN)/python -m pytest tests -n 2 --dist loadfile --durations=15

bench: $(READY)
	$(BIN)/python bench/bench_speed.py

clean:
	rm -rf _build _executed
