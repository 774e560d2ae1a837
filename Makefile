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
JOBS    ?=
# Test files run at once (pytest-xdist; auto: one per core; 3 on 2 cores was measured no faster).
TEST_WORKERS ?= auto
SCHEDULER ?=
# LMS round trip (autograde/lms.py): LMS=canvas|moodle, ROSTER=roster.csv, ZIP=the LMS's download.
LMS ?=
ROSTER ?=
ZIP ?=

.PHONY: setup lab release grade collect migrate scheduler worker test lint bench bench-grade clean check dashboard student-bundle browser sandbox

setup: $(STAMP)

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11) on PATH"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	mkdir -p $(VENV)/share/jupyter/lab/settings
	printf '%s\n' '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
	  > $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

# JupyterLab: where it listens (IP=, PORT=); as root it needs --allow-root, added for you.
IP       ?= 127.0.0.1
LAB_FLAGS = --ServerApp.ip=$(IP) --ServerApp.port=$(or $(PORT),8888) $(if $(filter 0,$(shell id -u)),--allow-root) \
            --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

lab: setup  ## JupyterLab on the student notebooks (IP=, PORT=; no news pop-up)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_FLAGS)

release: setup  ## regenerate notebooks/ from solutions/ (nbgrader generate_assignment)
	$(PY) -m autograde.release

grade: setup sandbox  ## grade submitted/ (or the demo class when submitted/ is empty); LMS=canvas|moodle also writes its import
	$(if $(LMS),WEEK08_LMS=$(LMS)) $(if $(ROSTER),WEEK08_ROSTER=$(ROSTER)) $(PY) -m autograde.grade $(if $(STUDENT),--student $(STUDENT)) $(if $(FORCE),--force) $(if $(SUBMITTED),--submitted $(SUBMITTED)) $(if $(JOBS),--jobs $(JOBS)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

collect: setup  ## an LMS download into submitted/: make collect ZIP=download.zip LMS=canvas|moodle ROSTER=roster.csv
	@test -n "$(ZIP)" || { echo "usage: make collect ZIP=download.zip LMS=canvas|moodle [ROSTER=roster.csv]"; exit 2; }
	$(PY) -m autograde.lms collect "$(ZIP)" --lms $(or $(LMS),canvas) $(if $(ROSTER),--roster "$(ROSTER)") $(if $(SUBMITTED),--submitted "$(SUBMITTED)")

migrate: setup sandbox  ## after adding or removing an exercise in a graded class: keep manual grades, rebuild gradebook.db, regrade
	$(PY) -m autograde.migrate $(if $(SUBMITTED),--submitted $(SUBMITTED))

# Grading on many machines (docs/scaling.md): a Dask scheduler, and workers on every grading machine.
HOST     ?= 127.0.0.1
NWORKERS ?= $(shell nproc 2>/dev/null || echo 1)

scheduler: setup  ## a Dask scheduler for `make grade SCHEDULER=tcp://HOST:PORT` (HOST= an address only the course's machines reach)
	$(BIN)/dask scheduler --host $(HOST) --port $(or $(PORT),8786) --no-dashboard

worker: setup sandbox  ## Dask workers grading for SCHEDULER=tcp://HOST:PORT (one student per core, in the sandbox)
	@test -n "$(SCHEDULER)" || { echo "usage: make worker SCHEDULER=tcp://HOST:PORT"; exit 2; }
	DASK_DISTRIBUTED__WORKER__DAEMON=False $(BIN)/dask worker $(SCHEDULER) --nworkers $(NWORKERS) --nthreads 1 --no-dashboard

check: setup  ## run the public checks over notebooks/ (never writes into them)
	$(PY) -m helpers.check_notebooks notebooks/week08

test: setup browser sandbox  ## ruff and the whole test suite
	$(BIN)/ruff check helpers autograde tests bench demo
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

# Debian's chromium for the browser tests (dashboard, JupyterLab); installed when missing
# and we may (root with apt). Without it those tests are skipped with a reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) ; } || \
	  echo "chromium not installed: browser tests will be skipped"

# Debian's bubblewrap for the grading sandbox (own PID namespace, private /tmp and /dev/shm); installed
# when missing and we may (root with apt). Without it grading falls back to unshare-based isolation.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null) ; } || \
	  echo "bubblewrap not installed: grading isolates with unshare (no PID namespace, shared /dev/shm)"

lint: setup
	$(BIN)/ruff check helpers autograde tests bench demo

bench: setup  ## time every solution notebook (full and autograde mode), medians
	$(PY) -m bench.notebooks

bench-grade: setup sandbox  ## grading speed: ours vs sequential nbgrader autograde, and overhead vs nbclient
	$(PY) -m bench.grading

dashboard: setup  ## trackio's dashboard for the course project on 127.0.0.1
	$(PY) -m helpers.dashboard

student-bundle: setup  ## dist/week08-student.zip: what students receive
	$(PY) -m autograde.bundle

clean:
	rm -rf autograded feedback gradebook.db grades.csv grades_canvas.csv grades_moodle.csv feedback_canvas.zip feedback_moodle.zip class_report .grading source_with_tests bench/results test-output dist .pytest_cache .trackio
