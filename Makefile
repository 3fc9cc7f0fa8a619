# Two commands on a fresh clone: `make book` and `make test` (see README.md).
# Each first checks the system packages (tools/system_deps.sh installs what is missing, or
# names it and stops), then sets up .venv from requirements.txt on its first run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: system book colab test lint bench clean

# Python's venv, Chromium and a CJK font: installed when missing (as root or with sudo
# without a password), otherwise one line names them and the command that installs them.
system:
	@PYTHON=$(PYTHON) VENV=$(VENV) bash tools/system_deps.sh

$(READY): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-build-isolation --no-deps -e .
	touch $(READY)

book: system $(READY)
	$(BIN)/python tools/build_book.py

# The Colab edition (colab/<lang>/*.ipynb) from the notebooks the last build executed;
# build first (`make book`, or tools/build_book.py --only NN_name for one chapter).
colab: $(READY)
	$(BIN)/python tools/colab_edition.py

lint: $(READY)
	$(BIN)/ruff check .

# Lint, execute every notebook (printing each one's time) and build both editions,
# then run every check; the last line is pytest's summary.
test: system $(READY) lint
	$(BIN)/python tools/build_book.py
	$(BIN)/python -m pytest tests -n 2 --dist loadfile --durations=15

bench: $(READY)
	$(BIN)/python bench/bench_speed.py

clean:
	rm -rf _build _executed
