# Week 8 course package. Every target installs what it needs first (.venv via `make setup`).
# The two commands of the README: `make grade` and `make test`.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed

STUDENT ?=
FORCE   ?=
SUBMITTED ?=

.PHONY: setup lab release grade test lint bench clean check dashboard

setup: $(STAMP)

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11) on PATH"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	touch $(STAMP)

lab: setup  ## JupyterLab on the student notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks

release: setup  ## regenerate notebooks/ from solutions/ (nbgrader generate_assignment)
	$(PY) -m autograde.release

grade: setup  ## grade submitted/ (or the demo class when submitted/ is empty)
	$(PY) -m autograde.grade $(if $(STUDENT),--student $(STUDENT)) $(if $(FORCE),--force) $(if $(SUBMITTED),--submitted $(SUBMITTED))

check: setup  ## run the public checks over notebooks/ (never writes into them)
	$(PY) -m helpers.check_notebooks notebooks/week08

test: setup  ## the whole test suite
	$(BIN)/ruff check helpers autograde tests bench
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check helpers autograde tests bench

bench: setup  ## time every solution notebook (full and autograde mode), medians
	$(PY) -m bench.notebooks

clean:
	rm -rf autograded feedback gradebook.db grades.csv class_report .grading source_with_tests bench/results test-output dist .pytest_cache
