"""Public checks for notebook 04, experiment tracking with trackio.

The checks of the logging exercises give the student's function a fresh trackio
project of its own (``check-<exercise>-<random>``), then read back -- through
:mod:`helpers.tracking`, i.e. ``trackio.Api`` and ``trackio.SQLiteStorage`` --
what the function actually logged, and compare it with scikit-learn's numbers,
Optuna's trials or the lecture. No mocks: the runs are real.

The call and the reading back happen where the student's function runs, in a
*probe* (the ``probe_*`` functions below, run by :func:`helpers.checks.core.probe`):
in the notebook that is the notebook's own process; while grading it is the
student's sandboxed process, which logs to its own trackio folder. A probe makes
the scratch project, calls the function, reads the runs (and artifacts, a stored
model's predictions, ...) back, deletes the project and returns plain data only.
The check then compares that data, here, with values it computed itself: the
check never opens a file the student's code wrote (no trackio database, no
pickled model). The scratch projects never clutter the student's own project
or dashboard.

Each ``check_*`` takes the student's function first; ``cases`` default to the
public inputs. This module ships to students, so it holds no re-implementation
of an exercise: the scikit-learn numbers of the public inputs are stored values
(``tests/test_nb04_public_expected.py`` recomputes them with the reference
solution), and the rest is checked against what the check itself logged, Optuna's
own records or ``git``, read another way than the exercise asks. The hidden checks
in ``autograde.checks.nb04`` call the same functions with unseen inputs and pass
the expected results, computed there.
"""

from __future__ import annotations

import importlib.metadata
import math
import pickle
import platform
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from helpers import tracking
from helpers.checks.core import (
    CheckFailed,
    check,
    expect,
    expect_equal,
    probe,
    suggest,
    unreadable,
)
from helpers.data import REPO_ROOT, load_dataset

Case = tuple[str, tuple, Any]  # (label, arguments, expected or None)

#: Same as the notebook's constants (the cells that define them are locked).
CATEGORIES = ["config", "metrics", "artifacts", "environment", "metadata"]
TRACKED_ITEMS = [
    "learning_rate", "max_depth", "model type", "dataset version",
    "test accuracy", "training loss per step", "F1 score",
    "saved model file", "confusion matrix plot",
    "Python version", "scikit-learn version", "git commit hash",
    "run name", "tags", "notes", "start time",
]
SHORT_NAMES = {"model": "", "learning_rate": "lr", "max_depth": "depth", "n_estimators": "n",
               "min_samples_leaf": "leaf"}
PACKAGES = ["numpy", "pandas", "scikit-learn", "optuna", "trackio"]
#: Metrics may be rounded to 4 decimals, as on the lecture's slides.
ATOL = 1e-4


# -- helpers --------------------------------------------------------------------------


def split(dataset: str = "breast_cancer", n: int = 200, seed: int = 0):
    """``(X_train, y_train, X_test, y_test)``: a stratified 70/30 split of the first ``n`` rows."""
    X, y = load_dataset(dataset)
    X_train, X_test, y_train, y_test = train_test_split(X[:n], y[:n], test_size=0.3,
                                                        random_state=seed, stratify=y[:n])
    return X_train, y_train, X_test, y_test


# -- probes: run where the student's function runs, return plain data ---------------------


def logged_call(fn: Callable, *args: Any) -> tuple[Any, str | None]:
    """Call a function that logs to trackio, quietly; finish a run it left open.

    Returns the function's result and the name of the run it left open (None if
    none). BLAS runs on one thread meanwhile: on these small datasets threads only
    cost time, a lot of it on a busy 2-core machine.
    """
    with tracking.quiet(), threadpool_limits(limits=1):
        result = fn(*args)
    return result, tracking.finish_open_run()


def probe_logging(function: Callable, label: str, *args: Any) -> dict:
    """``function(project, *args)`` with a fresh scratch project; what it returned and logged.

    Runs in the student's process. Returns ``{"result", "left_open", "runs"}``:
    ``runs`` is :func:`helpers.tracking.read_runs` of the scratch project, read
    before the project is deleted.
    """
    with tracking.scratch_projects() as new:
        project = new(label)
        result, left_open = logged_call(function, project, *args)
        runs = tracking.read_runs(project)
    return {"result": result, "left_open": left_open, "runs": runs}


def load_model(path: Path) -> Any:
    """Unpickle a stored model file (pickle, or joblib's format)."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - maybe joblib
        import joblib

        return joblib.load(path)


def stored_model_predictions(path: Path, X_probe: Any) -> dict:
    """``{"predictions": ...}`` of the model stored at ``path`` on ``X_probe``, or ``{"error": why not}``."""
    try:
        stored = load_model(path)
    except Exception as error:  # noqa: BLE001 - reported to the check as data
        return {"error": f"the stored file cannot be unpickled ({type(error).__name__})"}
    if not hasattr(stored, "predict"):
        return {"error": "the stored file does not unpickle to a model (it has no predict method)"}
    try:
        return {"predictions": np.asarray(stored.predict(X_probe))}
    except Exception as error:  # noqa: BLE001
        return {"error": f"the stored model's predict raised {type(error).__name__}"}


def probe_log_tracked_run(function: Callable, model: Any, config: dict, metrics: dict, tags: list,
                          X_probe: Any) -> dict:
    """``function(project, model, config, metrics, tags)``; its runs, artifacts and environment.

    Runs in the student's process. Besides ``result``, ``left_open`` and ``runs``
    (as :func:`probe_logging`), returns the output artifacts of the first run
    (``name``, ``type``, ``files``: their logical paths; for each artifact named
    ``model`` with one file, ``stored``: :func:`stored_model_predictions` on
    ``X_probe``) and ``git_commit``: the commit of this process's working folder,
    read by ``git rev-list`` (:func:`head_by_rev_list`), which the record the
    function logs must name.
    """
    with tracking.scratch_projects() as new:
        project = new("tracked-run")
        result, left_open = logged_call(function, project, model, config, metrics, tags)
        runs = tracking.read_runs(project)
        artifacts = []
        if runs:
            for artifact in tracking.run_artifacts(project, runs[0]["name"], runs[0]["id"]):
                entry = {"name": artifact["name"], "type": artifact["type"], "files": sorted(artifact["files"])}
                if artifact["name"] == "model" and len(artifact["files"]) == 1:
                    entry["stored"] = stored_model_predictions(next(iter(artifact["files"].values())), X_probe)
                artifacts.append(entry)
    return {"result": result, "left_open": left_open, "runs": runs, "artifacts": artifacts,
            "git_commit": head_by_rev_list(Path.cwd())}


def probe_runs_table(function: Callable, specs: Sequence[RunSpec]) -> Any:
    """Log ``specs`` to a fresh scratch project (the check's own data), then ``function(project)``.

    Runs in the student's process; returns what the function returned.
    """
    with tracking.scratch_projects() as new:
        project = new("runs-table")
        log_runs(project, specs)
        with tracking.quiet():
            return function(project)


def probe_log_trial(function: Callable, direction: str, objective: Callable, n_trials: int, seed: int) -> dict:
    """Open a run, optimise a study with ``function`` as callback, finish the run; the study and runs.

    Runs in the student's process. Returns ``{"study", "runs"}``.
    """
    import optuna

    trackio = tracking.import_trackio()
    with tracking.scratch_projects() as new:
        project = new("log-trial")
        with tracking.quiet(), threadpool_limits(limits=1):
            trackio.init(project=project, name="study", embed=False, auto_log_cpu=False,
                         config={"direction": direction})
            study = optuna.create_study(direction=direction, sampler=optuna.samplers.TPESampler(seed=seed))
            study.optimize(objective, n_trials=n_trials, callbacks=[function])
        tracking.finish_open_run()
        runs = tracking.read_runs(project)
    return {"study": study, "runs": runs}


# -- reading a probe's answer (in the check) --------------------------------------------------


def answer_fields(answer: Any, *keys: str) -> dict:
    """A probe's answer: a dict with at least ``keys``."""
    if not (isinstance(answer, dict) and all(key in answer for key in keys)):
        raise unreadable("what your function logged")
    return answer


def runs_of(answer: dict) -> list[dict]:
    """The runs in a probe's answer, checked for form (a list of runs with a name, a config and steps)."""
    runs = answer["runs"]
    ok = isinstance(runs, list) and all(
        isinstance(run, dict) and isinstance(run.get("name"), str) and isinstance(run.get("config"), dict)
        and isinstance(run.get("logs"), list)
        and all(isinstance(entry, dict) and "step" in entry for entry in run["logs"])
        for run in runs)
    if not ok:
        raise unreadable("the runs read back from trackio")
    return runs


def expect_finished(answer: dict) -> None:
    """Fail if the function left a run open."""
    left = answer["left_open"]
    expect(left is None,
           f"your function left the run {left!r} open: end every run with trackio.finish(). "
           "trackio writes in the background, and a run that is not finished may lose its last steps.")


def call_logging(fn: Callable, label: str, *args: Any) -> tuple[Any, list[dict]]:
    """Run ``fn(project, *args)`` where it lives (:func:`probe_logging`); its result and logged runs.

    Fails if it left a run open.
    """
    answer = answer_fields(probe(fn, probe_logging, label, *args), "result", "left_open", "runs")
    expect_finished(answer)
    return answer["result"], runs_of(answer)


def same(a: Any, b: Any, atol: float = 1e-9) -> bool:
    """Whether two logged values agree: numbers within ``atol``, NaN equals NaN, the rest exactly."""
    if isinstance(a, (bool, np.bool_)) or isinstance(b, (bool, np.bool_)):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float, np.integer, np.floating)) and \
            isinstance(b, (int, float, np.integer, np.floating)):
        if math.isnan(float(a)) or math.isnan(float(b)):
            return math.isnan(float(a)) and math.isnan(float(b))
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=atol)
    if isinstance(a, (list, tuple, np.ndarray)) and isinstance(b, (list, tuple, np.ndarray)):
        return len(a) == len(b) and all(same(x, y, atol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], atol) for k in a)
    return type(a) is type(b) and a == b


def _show(value: Any) -> Any:
    """A value as plain Python, for messages (``0.5``, not ``np.float64(0.5)``)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_show(v) for v in value]
    if isinstance(value, dict):
        return {k: _show(v) for k, v in value.items()}
    return value


def expect_same(got: Any, want: Any, what: str, atol: float = 1e-9) -> None:
    """Fail unless :func:`same` holds, naming ``what`` differs."""
    if not same(got, want, atol):
        raise CheckFailed(f"{what}: expected {_show(want)!r}, got {_show(got)!r}.")


def expect_runs(runs: list[dict], names: list[str], label: str, hint: str = "") -> None:
    """The project holds exactly these runs, in this order."""
    got = [r["name"] for r in runs]
    if not runs:
        raise CheckFailed(f"nothing was logged to trackio ({label}): no run has a logged step. "
                          "Did you call trackio.init(...), trackio.log(...) and trackio.finish()?")
    if got != names:
        raise CheckFailed(f"the runs in the project ({label}): expected {len(names)} run(s) named "
                          f"{names}, found {len(got)}: {got}.{(' ' + hint) if hint else ''}")


def given(expected: Any, label: str) -> Any:
    """The expected result of a case; a case without one is an error of the caller, not the student."""
    if expected is None:
        raise ValueError(f"the case {label!r} has no expected result")
    return expected


def expect_steps(run: dict, want: list[dict], label: str, atol: float = ATOL) -> None:
    """A run's logged steps are ``want``: same number, in increasing step order, same metrics."""
    logs = run["logs"]
    expect(len(logs) == len(want),
           f"run {run['name']!r} ({label}): expected {len(want)} logged step(s), found {len(logs)}. "
           "Call trackio.log once per step, with all of that step's metrics in one dict.")
    steps = [entry["step"] for entry in logs]
    expect(steps == sorted(set(steps)), f"run {run['name']!r}: steps must increase, got {steps}.")
    for i, (entry, expected) in enumerate(zip(logs, want)):
        metrics = {k: v for k, v in entry.items() if k != "step"}
        expect(set(metrics) == set(expected),
               f"run {run['name']!r}, step {i} ({label}): expected the metrics {sorted(expected)}, "
               f"got {sorted(metrics)}.")
        for key, value in expected.items():
            expect_same(metrics[key], value, f"run {run['name']!r}, step {i}, {key!r} ({label})", atol)


# -- 1. what should be tracked --------------------------------------------------------

#: Two items whose category the public check reveals.
PUBLIC_KEY = {"learning_rate": "config", "test accuracy": "metrics"}


@check
def check_what_to_track(what_to_track: Callable, key: dict[str, str] | None = None) -> None:
    """``what_to_track()`` sorts every item into one of the five categories."""
    answer = what_to_track()
    expect(isinstance(answer, dict), f"what_to_track must return a dict, got {type(answer).__name__}.")
    expect_equal(sorted(answer), sorted(CATEGORIES), "the categories (keys of your dict)")
    placed: dict[str, str] = {}
    for category, items in answer.items():
        expect(isinstance(items, (list, tuple)) and all(isinstance(i, str) for i in items),
               f"the value of {category!r} must be a list of strings from TRACKED_ITEMS.")
        for item in items:
            expect(item in TRACKED_ITEMS, f"{item!r} (under {category!r}) is not in TRACKED_ITEMS; "
                                          "copy the spelling exactly.")
            expect(item not in placed, f"{item!r} appears twice: under {placed.get(item)!r} and {category!r}.")
            placed[item] = category
    missing = [item for item in TRACKED_ITEMS if item not in placed]
    expect(not missing, f"every item must be placed; missing: {missing}.")
    wrong = [f"{item!r} is {want}, not {placed[item]}" for item, want in (key or PUBLIC_KEY).items()
             if placed[item] != want]
    expect(not wrong, f"{len(wrong)} item(s) in the wrong category: " + "; ".join(wrong[:3]) + ".")


# -- 2. the three calls -------------------------------------------------------------------


def public_log_run_cases() -> list[Case]:
    """The lecture's example run."""
    return [("the lecture's RandomForest run",
             ("RandomForest", {"model": "RandomForest", "experiment": "model-comparison"},
              {"train_accuracy": 0.95, "test_accuracy": 0.845, "cv_accuracy": 0.91}), None)]


@check
def check_log_run(log_run: Callable, cases: Sequence[Case] | None = None) -> None:
    """``log_run(project, name, config, metrics)`` logs one run with one step."""
    for label, (name, config, metrics), _ in cases or public_log_run_cases():
        _, runs = call_logging(log_run, "log-run", name, dict(config), dict(metrics))
        expect_runs(runs, [name], label, "Start exactly one run, named by the argument `name`.")
        expect_same(runs[0]["config"], config, f"the config of run {name!r} ({label})")
        expect_steps(runs[0], [metrics], label)


# -- 3. three models, three runs ------------------------------------------------------------


#: scikit-learn's train, test and 3-fold CV accuracy of the public case's models, rounded to
#: 4 decimals (within ATOL); tests/test_nb04_public_expected.py recomputes them.
PUBLIC_COMPARE = {
    "LogisticRegression": {"train_accuracy": 0.9857, "test_accuracy": 0.9833, "cv_accuracy": 0.9431},
    "RandomForest": {"train_accuracy": 0.9929, "test_accuracy": 0.9333, "cv_accuracy": 0.943},
    "GradientBoosting": {"train_accuracy": 0.9929, "test_accuracy": 0.9333, "cv_accuracy": 0.8717},
}


def public_compare_models_cases() -> list[Case]:
    """Three small classifiers on 200 tumours, 3 folds."""
    models = {
        "LogisticRegression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=42)),
        "RandomForest": RandomForestClassifier(n_estimators=10, max_depth=5, random_state=42),
        "GradientBoosting": GradientBoostingClassifier(n_estimators=10, random_state=42),
    }
    return [("three small models on breast cancer, 3 folds",
             (models, *split(), StratifiedKFold(3, shuffle=True, random_state=0)), PUBLIC_COMPARE)]


@check
def check_compare_models(compare_models: Callable, cases: Sequence[Case] | None = None) -> None:
    """``compare_models(project, models, ...)`` logs one run per model with three metrics.

    Each case's expected result is ``{model name: {metric: value}}``.
    """
    for label, args, expected in cases or public_compare_models_cases():
        models, X_train, y_train, X_test, y_test, cv = args
        want = given(expected, label)
        table, runs = call_logging(compare_models, "compare-models", {k: clone(m) for k, m in models.items()},
                                   X_train, y_train, X_test, y_test, cv)
        expect_runs(runs, list(models), label,
                    "Start one run per model, named like the model's key in `models`.")
        for run in runs:
            expect_same(run["config"], {"model": run["name"], "experiment": "model-comparison"},
                        f"the config of run {run['name']!r} ({label})")
            expect_steps(run, [want[run["name"]]], label)
        expect(isinstance(table, pd.DataFrame), "compare_models must return a pandas DataFrame.")
        expect_equal(list(table.index), list(models), "the index of the returned table (model names)")
        for name, metrics in want.items():
            for metric, value in metrics.items():
                expect(metric in table.columns, f"the returned table needs a column {metric!r}.")
                expect_same(table.loc[name, metric], value,
                            f"returned {metric} of {name} ({label})", ATOL)


# -- 4. a sweep as steps of one run -------------------------------------------------------

SWEEP_RUN = "rf-n-estimators-sweep"
SWEEP_CONFIG = {"model": "RandomForest", "experiment": "n_estimators_sweep", "max_depth": 10}


#: The steps of the public sweep: scikit-learn's accuracies of the three forests, rounded to
#: 4 decimals; tests/test_nb04_public_expected.py recomputes them.
PUBLIC_SWEEP = [
    {"n_estimators": 5, "train_accuracy": 0.9786, "test_accuracy": 0.95},
    {"n_estimators": 10, "train_accuracy": 0.9929, "test_accuracy": 0.9333},
    {"n_estimators": 20, "train_accuracy": 1.0, "test_accuracy": 0.9333},
]


def public_sweep_cases() -> list[Case]:
    """Three forest sizes on 200 tumours."""
    return [("n_estimators 5, 10, 20 on breast cancer", ([5, 10, 20], *split()), PUBLIC_SWEEP)]


@check
def check_sweep_n_estimators(sweep_n_estimators: Callable, cases: Sequence[Case] | None = None) -> None:
    """``sweep_n_estimators(project, n_values, ...)`` logs ONE run with one step per value.

    Each case's expected result is the list of steps.
    """
    for label, args, expected in cases or public_sweep_cases():
        want = given(expected, label)
        _, runs = call_logging(sweep_n_estimators, "sweep", list(args[0]), *args[1:])
        expect_runs(runs, [SWEEP_RUN], label,
                    "A sweep is ONE run: call trackio.init once before the loop, trackio.log once per "
                    "value inside it, trackio.finish once after it.")
        expect_same(runs[0]["config"], SWEEP_CONFIG, f"the config of the sweep ({label})")
        expect_steps(runs[0], want, label)


# -- 5. learning rates as runs ----------------------------------------------------------------


#: ``{run name: steps}`` of the public case: scikit-learn's accuracies of a separately trained
#: model per point, rounded to 4 decimals; tests/test_nb04_public_expected.py recomputes them.
PUBLIC_LR = {
    "gb-lr-0.05": [{"n_estimators": 2, "train_accuracy": 0.9786, "test_accuracy": 0.9333},
                   {"n_estimators": 5, "train_accuracy": 0.9786, "test_accuracy": 0.9333},
                   {"n_estimators": 10, "train_accuracy": 0.9786, "test_accuracy": 0.9333}],
    "gb-lr-0.5": [{"n_estimators": 2, "train_accuracy": 0.9857, "test_accuracy": 0.9167},
                  {"n_estimators": 5, "train_accuracy": 1.0, "test_accuracy": 0.9333},
                  {"n_estimators": 10, "train_accuracy": 1.0, "test_accuracy": 0.9333}],
}


def public_lr_cases() -> list[Case]:
    """Two learning rates, three sizes, on 200 tumours."""
    return [("learning rates 0.05 and 0.5, n_estimators 2, 5, 10, on breast cancer",
             ([0.05, 0.5], [2, 5, 10], *split()), PUBLIC_LR)]


@check
def check_compare_learning_rates(compare_learning_rates: Callable,
                                 cases: Sequence[Case] | None = None) -> None:
    """``compare_learning_rates(project, lrs, n_values, ...)`` logs one run per learning rate.

    Each case's expected result is ``{run name: steps}``, one entry per learning rate, in order.
    """
    for label, args, expected in cases or public_lr_cases():
        learning_rates, n_values = args[0], args[1]
        want = given(expected, label)
        _, runs = call_logging(compare_learning_rates, "learning-rates", list(learning_rates), list(n_values),
                               *args[2:])
        expect_runs(runs, list(want), label,
                    "One run per learning rate, named f\"gb-lr-{lr}\".")
        for run, lr in zip(runs, learning_rates):
            expect_same(run["config"], {"model": "GradientBoosting", "experiment": "lr_comparison",
                                        "learning_rate": lr}, f"the config of run {run['name']!r}")
            expect_steps(run, want[run["name"]], label)


# -- 6. run names ------------------------------------------------------------------------------


def public_run_name_cases() -> list[Case]:
    """The lecture's ``lr0.01_depth10`` and a config with a model name."""
    return [
        ("the lecture's example", ({"learning_rate": 0.01, "max_depth": 10}, SHORT_NAMES), "lr0.01_depth10"),
        ("a config with a model", ({"model": "GradientBoosting", "learning_rate": 0.1, "max_depth": 3},
                                   SHORT_NAMES), "GradientBoosting_lr0.1_depth3"),
    ]


@check
def check_run_name(run_name: Callable, cases: Sequence[Case] | None = None) -> None:
    """``run_name(config, short_names)`` builds the name from the config, in order."""
    cases = cases or public_run_name_cases()
    names = {}
    for label, (config, short_names), expected in cases:
        got = run_name(dict(config), dict(short_names))
        expect(isinstance(got, str), f"run_name must return a str, got {type(got).__name__}.")
        expect_equal(got, expected, f"run name for {config} ({label})")
        names[got] = config
    expect(len(names) == len(cases), "different configs must get different names.")


# -- 7. the environment --------------------------------------------------------------------------


def head_by_rev_list(folder: Path) -> str | None:
    """The newest commit reachable from HEAD, by git's plumbing ``rev-list``; None without one."""
    if shutil.which("git") is None:
        return None
    listed = subprocess.run(["git", "rev-list", "--max-count=1", "HEAD"], cwd=folder,
                            capture_output=True, text=True)
    return listed.stdout.strip() if listed.returncode == 0 else None


def expected_versions(packages: Sequence[str]) -> dict:
    """The versions of this machine's Python and of ``packages``: the record without the commit."""
    return {"python": platform.python_version(),
            **{package: importlib.metadata.version(package) for package in packages}}


def expected_environment(packages: Sequence[str], folder: Path) -> dict:
    """The record of this machine: the versions the exercise names, the commit from ``rev-list``."""
    return {**expected_versions(packages), "git_commit": head_by_rev_list(folder)}


def public_environment_cases() -> list[Case]:
    """The course's packages and the course folder."""
    return [("the course folder", (PACKAGES, REPO_ROOT), expected_environment(PACKAGES, REPO_ROOT))]


@check
def check_environment_record(environment_record: Callable, cases: Sequence[Case] | None = None) -> None:
    """``environment_record(packages, path)``: Python and package versions, git commit or None."""
    for label, (packages, path), expected in cases or public_environment_cases():
        with tracking.quiet():
            got = environment_record(list(packages), path)
        want = given(expected, label)
        expect(isinstance(got, dict), f"environment_record must return a dict, got {type(got).__name__}.")
        expect_equal(sorted(got), sorted(want), f"the keys of the record ({label})")
        for key in want:
            expect_equal(got[key], want[key], f"{key!r} in the record ({label})")
        commit = got["git_commit"]
        expect(commit is None or re.fullmatch(r"[0-9a-f]{40}", commit) is not None,
               f"git_commit must be a full 40-character hash or None, got {commit!r}.")


# -- 8. a run with every best practice ---------------------------------------------------------


def public_tracked_cases() -> list[Case]:
    """A small decision tree with two tags."""
    X_train, y_train, X_test, y_test = split()
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_train, y_train)
    config = {"model": "DecisionTree", "max_depth": 3}
    metrics = {"train_accuracy": tree.score(X_train, y_train), "test_accuracy": tree.score(X_test, y_test)}
    return [("a depth-3 tree tagged baseline, small", (tree, config, metrics, ["baseline", "small"], X_test),
             "DecisionTree_depth3")]


@check
def check_log_tracked_run(log_tracked_run: Callable, cases: Sequence[Case] | None = None,
                          versions: dict | None = None) -> None:
    """``log_tracked_run(project, model, config, metrics, tags)``: name, tags, environment, model file.

    Each case's arguments are ``(model, config, metrics, tags, X_probe)``: the stored model
    must predict like ``model`` on ``X_probe``. ``versions`` are the Python and package
    versions expected in the logged environment record (default: this machine's, for PACKAGES).

    The record's ``git_commit`` is the commit of the folder the function runs in, which
    is the student's process's working folder: while grading, a folder of the student's
    sandbox that the student's code can write to, and that need not be the check's
    working folder. The check must not run ``git`` there itself (git would read a
    ``.git`` the student's code may have made), so the probe reads that folder's commit
    in the student's process with the check's own ``git rev-list``
    (:func:`head_by_rev_list`, another command than the exercise's) and sends it back as
    data, like the runs it read back; the versions are computed here: the student's
    process runs this same Python environment.
    """
    if versions is None:
        versions = expected_versions(PACKAGES)
    for label, (model, config, metrics, tags, X_probe), name in cases or public_tracked_cases():
        answer = answer_fields(probe(log_tracked_run, probe_log_tracked_run, model, dict(config), dict(metrics),
                                     list(tags), X_probe),
                               "result", "left_open", "runs", "artifacts", "git_commit")
        expect_finished(answer)
        runs = runs_of(answer)
        commit = answer["git_commit"]
        if not (commit is None or (isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{40}", commit))):
            raise unreadable("the git commit of your working folder")
        environment = {**versions, "git_commit": commit}
        expect_runs(runs, [name], label, "The name must be run_name(config, SHORT_NAMES).")
        expect_equal(answer["result"], name, f"the name log_tracked_run returns ({label})")
        run = runs[0]
        want_config = {**config, "tags": list(tags), "environment": environment}
        for key in ("tags", "environment"):
            expect(key in run["config"], f"the run's config needs the entry {key!r} ({label}).")
        expect_same(run["config"]["tags"], want_config["tags"], f"the tags in the config ({label})")
        expect_same(run["config"], want_config, f"the config of run {name!r} ({label})")
        expect_steps(run, [metrics], label)
        artifacts = answer["artifacts"]
        if not (isinstance(artifacts, list) and all(isinstance(a, dict) and {"name", "type", "files"} <= set(a)
                                                    for a in artifacts)):
            raise unreadable("the artifacts of the run")
        models = [a for a in artifacts if a["name"] == "model"]
        expect(models, f"the run logged no artifact named 'model' ({label}): "
                       "trackio.log_artifact(path, name=\"model\", type=\"model\").")
        artifact = models[-1]
        expect_equal(artifact["type"], "model", "the artifact's type")
        expect(isinstance(artifact["files"], list) and len(artifact["files"]) == 1,
               f"the model artifact should hold one file, found {artifact['files']}.")
        stored = artifact.get("stored")
        if not isinstance(stored, dict) or not ("predictions" in stored or isinstance(stored.get("error"), str)):
            raise unreadable("the stored model")
        expect("error" not in stored, f"the model artifact ({label}): {stored.get('error')}.")
        expect_equal(stored["predictions"], model.predict(X_probe),
                     "predictions of the stored model (it must be the fitted model you were given)")


# -- 9. reading back ------------------------------------------------------------------------------

RunSpec = tuple[str, dict, list[dict]]  # (name, config, steps)


def log_runs(project: str, specs: Sequence[RunSpec]) -> None:
    """Log runs to ``project`` with trackio directly (the check's own data)."""
    trackio = tracking.import_trackio()
    with tracking.quiet():
        for run, config, steps in specs:
            trackio.init(name=run, project=project, config=config, embed=False, auto_log_cpu=False)
            for step in steps:
                trackio.log(step)
            trackio.finish()


def public_runs_table_cases() -> list[Case]:
    """Three runs: two single-step comparisons and a three-step sweep, and the rows they give."""
    specs = [
        ("LogisticRegression", {"model": "LogisticRegression", "experiment": "model-comparison"},
         [{"train_accuracy": 0.99, "test_accuracy": 0.97}]),
        ("RandomForest", {"model": "RandomForest", "experiment": "model-comparison"},
         [{"train_accuracy": 1.0, "test_accuracy": 0.95}]),
        ("rf-sweep", {"model": "RandomForest", "experiment": "sweep", "max_depth": 10},
         [{"n_estimators": n, "test_accuracy": acc} for n, acc in [(10, 0.93), (20, 0.94), (30, 0.96)]]),
    ]
    rows = [
        {"run": "LogisticRegression", "model": "LogisticRegression", "experiment": "model-comparison",
         "train_accuracy": 0.99, "test_accuracy": 0.97},
        {"run": "RandomForest", "model": "RandomForest", "experiment": "model-comparison",
         "train_accuracy": 1.0, "test_accuracy": 0.95},
        {"run": "rf-sweep", "model": "RandomForest", "experiment": "sweep", "max_depth": 10,
         "n_estimators": 30, "test_accuracy": 0.96},
    ]
    return [("three runs", (specs,), rows)]


@check
def check_runs_table(runs_table: Callable, cases: Sequence[Case] | None = None) -> None:
    """``runs_table(project)``: one row per run, config columns and last metric values.

    Each case's arguments are the runs the check logs, ``[(name, config, steps), ...]``;
    its expected result is the list of rows, as dicts (a missing key is a NaN cell).
    """
    for label, (specs,), expected in cases or public_runs_table_cases():
        want = given(expected, label)
        table = probe(runs_table, probe_runs_table, list(specs))
        expect(isinstance(table, pd.DataFrame), "runs_table must return a pandas DataFrame.")
        expect_equal(len(table), len(want), f"rows: one per run ({label})")
        columns = sorted({k for row in want for k in row})
        expect_equal(sorted(map(str, table.columns)), columns, f"the columns ({label})")
        for i, row in enumerate(want):
            got = table.iloc[i]
            for column in columns:
                expect_same(got[column], row.get(column, float("nan")),
                            f"row {i} (run {row['run']!r}), column {column!r} ({label})")


# -- 10. picking the best run -----------------------------------------------------------------------


def public_best_run_cases() -> list[Case]:
    """A three-run table, best by accuracy (highest) and by loss (lowest)."""
    table = pd.DataFrame({"run": ["gb-lr-0.01", "gb-lr-0.1", "gb-lr-0.5"],
                          "test_accuracy": [0.93, 0.96, 0.95], "log_loss": [0.30, 0.12, 0.15]})
    return [("highest test_accuracy", (table, "test_accuracy", True), "gb-lr-0.1"),
            ("lowest log_loss", (table, "log_loss", False), "gb-lr-0.1")]


@check
def check_best_run(best_run: Callable, cases: Sequence[Case] | None = None) -> None:
    """``best_run(table, metric, maximize)``: the name of the best row."""
    for label, (table, metric, maximize), expected in cases or public_best_run_cases():
        got = best_run(table.copy(), metric, maximize)
        expect_equal(got, expected, f"best run by {metric} ({label})")


# -- 11. an Optuna callback --------------------------------------------------------------------------


class Objective:
    """An Optuna objective made of data, so that a check can send it to the student's process.

    ``space`` maps each parameter, in the order it is suggested, to ``("float", low, high)``,
    ``("int", low, high)`` or ``("categorical", [choices])``. The value is the sum of the
    ``terms``: for a numeric parameter ``(weight, centre, power)`` adds
    ``weight * abs(value - centre) ** power``, for a categorical one ``{choice: amount}``
    adds the choice's amount. With ``prune=(name, limit)``, a trial whose parameter
    ``name`` is above ``limit`` reports its value at step 0 and is pruned (after all its
    suggestions): as in a real study, Optuna 5 then keeps that value in ``trial.value``.
    """

    def __init__(self, space: dict[str, tuple], terms: dict[str, Any],
                 prune: tuple[str, float] | None = None) -> None:
        self.space = dict(space)
        self.terms = dict(terms)
        self.prune = prune

    def __call__(self, trial: Any) -> float:
        import optuna

        params = suggest(trial, self.space)
        value = self.value_of(params)
        if self.prune is not None and params[self.prune[0]] > self.prune[1]:
            trial.report(value, step=0)
            raise optuna.TrialPruned()
        return value

    def value_of(self, params: dict[str, Any]) -> float:
        """The objective's value for ``params`` (also the value a pruned trial reported)."""
        value = 0.0
        for name, term in self.terms.items():
            if isinstance(term, dict):
                value += term[params[name]]
            else:
                weight, centre, power = term
                value += weight * abs(params[name] - centre) ** power
        return float(value)

    def __repr__(self) -> str:
        return f"Objective({self.space}, {self.terms}, prune={self.prune})"


#: -(x - 1)^2 - n, maximised by the public case.
PUBLIC_OBJECTIVE = Objective({"x": ("float", -4.0, 4.0), "n": ("int", 1, 5)},
                             {"x": (-1.0, 1.0, 2), "n": (-1.0, 0, 1)})


def steps_from_records(study) -> list[dict]:
    """One step per trial the study recorded as complete, from Optuna's own filter and records."""
    import optuna

    records = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    values = np.array([record.value for record in records], dtype=float)
    running = np.maximum if study.direction == optuna.study.StudyDirection.MAXIMIZE else np.minimum
    best = running.accumulate(values) if len(values) else values
    return [{"trial": record.number, "value": record.value, "best_value": float(b), **record.params}
            for record, b in zip(records, best)]


def public_log_trial_cases() -> list[Case]:
    """A maximised two-parameter function, 6 TPE trials."""
    return [("6 trials maximising -(x-1)^2 - n", ("maximize", PUBLIC_OBJECTIVE, 6, 0), steps_from_records)]


def expect_study_of(study: Any, direction: str, objective: Callable, n_trials: int, label: str) -> None:
    """The study that came back is the check's: its direction, ``n_trials`` trials, the objective's values.

    The objective is the check's own (data, see :class:`Objective`), so each trial's
    state and value are recomputed here from the trial's parameters.
    """
    import optuna

    if not isinstance(study, optuna.Study):
        raise unreadable("the study")
    expect(study.direction.name.lower() == direction,
           f"the study ({label}) should be {direction}d; the callback must not change it.")
    trials = study.trials
    expect(len(trials) == n_trials,
           f"the study ({label}) should have run {n_trials} trials, it ran {len(trials)}: "
           "the callback must not stop the study.")
    for trial in trials:
        try:
            value, state = objective(trial), optuna.trial.TrialState.COMPLETE
        except optuna.TrialPruned:  # Optuna 5: a pruned trial keeps the last value it reported
            value, state = objective.value_of(trial.params), optuna.trial.TrialState.PRUNED
        except (ValueError, KeyError, TypeError):
            raise unreadable("the study") from None
        expect(trial.state == state and (value is None or same(trial.value, value, 0.0)),
               f"trial {trial.number} of the study ({label}) is not one the check's objective gave.")


@check
def check_log_trial(log_trial: Callable, cases: Sequence[Case] | None = None) -> None:
    """``log_trial(study, trial)`` logs one step per completed trial of the current run.

    Each case's arguments are ``(direction, objective, n_trials, seed)``, the objective an
    :class:`Objective`; its expected result is a function of the finished study giving the
    steps. The study runs where the callback lives (:func:`probe_log_trial`).
    """
    for label, (direction, objective, n_trials, seed), expected in cases or public_log_trial_cases():
        steps_of = given(expected, label)
        with tracking.quiet():  # rebuilding the study makes Optuna log a line to stderr
            answer = probe(log_trial, probe_log_trial, direction, objective, n_trials, seed)
        answer = answer_fields(answer, "study", "runs")
        study, runs = answer["study"], runs_of(answer)
        expect_study_of(study, direction, objective, n_trials, label)
        expect_runs(runs, ["study"], label,
                    "Log to the run that is already open: do not call trackio.init or "
                    "trackio.finish in the callback.")
        expect_steps(runs[0], steps_of(study), label, atol=1e-12)
