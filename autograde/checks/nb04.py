"""Hidden checks for notebook 04, experiment tracking with trackio.

They call the public checks of :mod:`helpers.checks.nb04` with inputs the student
has not seen (another dataset, other models, configs and studies) and with the
expected results: computed here by the oracles below (scikit-learn, Optuna, git,
the specs of the runs), or the reference solution's answers where the answer is
not computed by a library. The oracles live here, not in the public module, because
they re-implement the exercises and the public module ships to students.
Everything a logging function did is read back from trackio's database by the
public probes, in the student's process; only plain data comes back, and the
comparisons happen here. Nothing defined in this module is sent to the student's
process: the unseen Optuna objective is a :class:`helpers.checks.nb04.Objective`
made of hidden data.
"""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from autograde.trusted.reference import solution
from helpers.checks import nb04 as public
from helpers.checks.core import check, expect

NOTEBOOK = "04_experiment_tracking"


# -- oracles (they re-implement the exercises: hidden, never shipped) -------------------------


def compare_models_oracle(models: dict, X_train, y_train, X_test, y_test, cv) -> dict[str, dict]:
    """scikit-learn's numbers: train, test and CV accuracy of each model."""
    out = {}
    with threadpool_limits(limits=1):
        for name, model in models.items():
            fitted = clone(model).fit(X_train, y_train)
            out[name] = {"train_accuracy": fitted.score(X_train, y_train),
                         "test_accuracy": fitted.score(X_test, y_test),
                         "cv_accuracy": cross_val_score(clone(model), X_train, y_train, cv=cv).mean()}
    return out


def sweep_oracle(n_values, X_train, y_train, X_test, y_test) -> list[dict]:
    """The steps the sweep must log."""
    steps = []
    with threadpool_limits(limits=1):
        for n in n_values:
            forest = RandomForestClassifier(n_estimators=n, max_depth=10, random_state=42).fit(X_train, y_train)
            steps.append({"n_estimators": n, "train_accuracy": forest.score(X_train, y_train),
                          "test_accuracy": forest.score(X_test, y_test)})
    return steps


def lr_oracle(learning_rates, n_values, X_train, y_train, X_test, y_test) -> dict[str, list[dict]]:
    """One separately trained model per point: ``{run name: steps}``."""
    out = {}
    with threadpool_limits(limits=1):
        for lr in learning_rates:
            steps = []
            for n in n_values:
                model = GradientBoostingClassifier(n_estimators=n, learning_rate=lr, random_state=42)
                model.fit(X_train, y_train)
                steps.append({"n_estimators": n, "train_accuracy": model.score(X_train, y_train),
                              "test_accuracy": model.score(X_test, y_test)})
            out[f"gb-lr-{lr}"] = steps
    return out


def git_commit(path: str | Path) -> str | None:
    """The commit checked out in the repository containing ``path``, or None."""
    try:
        result = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"],
                                capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.strip()


def versions_oracle(packages: Sequence[str]) -> dict:
    """The versions part of the record: Python's and each package's."""
    record: dict[str, Any] = {"python": platform.python_version()}
    record.update({name: importlib.metadata.version(name) for name in packages})
    return record


def environment_oracle(packages: Sequence[str], path: str | Path) -> dict:
    """What ``environment_record`` must return."""
    return {**versions_oracle(packages), "git_commit": git_commit(path)}


def rows_of(specs: Sequence[public.RunSpec]) -> list[dict]:
    """The rows ``runs_table`` must give for runs logged from ``specs``: name, config, last metrics."""
    rows = []
    for name, config, steps in specs:
        row = {"run": name, **config}
        for step in steps:
            row.update(step)
        rows.append(row)
    return rows


def study_steps(study) -> list[dict]:
    """The steps a correct callback logs: one per completed trial, in order."""
    steps, best = [], None
    maximize = study.direction == optuna.study.StudyDirection.MAXIMIZE
    for trial in study.trials:
        if trial.state != optuna.trial.TrialState.COMPLETE:
            continue
        if best is None or (trial.value > best if maximize else trial.value < best):
            best = trial.value
        steps.append({"trial": trial.number, "value": trial.value, "best_value": best, **trial.params})
    return steps


def with_expected(cases: list, oracle: Callable) -> list:
    """Cases ``(label, args, None)`` with the oracle's result on ``args`` as expected result."""
    return [(label, args, oracle(*args)) for label, args, _ in cases]


def ref():
    """The reference solution's functions."""
    return solution(NOTEBOOK)


def _wine(seed: int = 1):
    return public.split("wine", n=178, seed=seed)


@check
def check_what_to_track(what_to_track: Callable) -> None:
    answer = ref().what_to_track()
    key = {item: category for category, items in answer.items() for item in items}
    public.check_what_to_track(what_to_track, key=key)


@check
def check_log_run(log_run: Callable) -> None:
    cases = [
        ("an SVC run with four config entries", (
            "svc_C0.5_rbf", {"model": "SVC", "C": 0.5, "kernel": "rbf", "experiment": "svm-baseline"},
            {"test_accuracy": 0.8125, "f1": 0.79}), None),
        ("a run with a single metric", ("knn-k7", {"n_neighbors": 7}, {"cv_accuracy": 0.9133}), None),
    ]
    public.check_log_run(log_run, cases=cases)


@check
def check_compare_models(compare_models: Callable) -> None:
    models = {
        "KNN": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5)),
        "Tree": DecisionTreeClassifier(max_depth=3, random_state=1),
        "Logistic": make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=500)),
    }
    cases = [("three other models on wine, 4 shuffled folds",
              (models, *_wine(), KFold(4, shuffle=True, random_state=3)), None)]
    public.check_compare_models(compare_models, cases=with_expected(cases, compare_models_oracle))


@check
def check_sweep_n_estimators(sweep_n_estimators: Callable) -> None:
    cases = [
        ("wine, n_estimators in an unsorted order", ([8, 3, 15, 1], *_wine()), None),
        ("wine, a single value", ([6], *_wine(seed=2)), None),
    ]
    public.check_sweep_n_estimators(sweep_n_estimators, cases=with_expected(cases, sweep_oracle))


@check
def check_compare_learning_rates(compare_learning_rates: Callable) -> None:
    cases = [("wine, three learning rates, n_estimators 1, 4, 9",
              ([0.2, 0.02, 1.0], [1, 4, 9], *public.split("wine", n=120, seed=4)), None)]
    public.check_compare_learning_rates(compare_learning_rates, cases=with_expected(cases, lr_oracle))


@check
def check_run_name(run_name: Callable) -> None:
    short = ref().SHORT_NAMES
    configs = [
        ("keys in another order", {"max_depth": 10, "learning_rate": 0.01}, short),
        ("a key without a short name", {"model": "RandomForest", "n_estimators": 200,
                                        "criterion": "gini"}, short),
        ("other short names", {"C": 1.0, "kernel": "rbf", "gamma": 0.001},
         {"C": "C", "kernel": "", "gamma": "g"}),
        ("None and a boolean", {"max_depth": None, "bootstrap": False, "min_samples_leaf": 5}, short),
        ("one entry", {"learning_rate": 0.5}, short),
    ]
    cases = [(label, (config, names), ref().run_name(config, names)) for label, config, names in configs]
    public.check_run_name(run_name, cases=cases)


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=grader", "-c", "user.email=grader@example.com",
                    "-c", "commit.gpgsign=false", *args], capture_output=True, check=True)


@check
def check_environment_record(environment_record: Callable) -> None:
    packages = ["scipy", "matplotlib", "scikit-learn"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain, repo, empty = tmp / "plain", tmp / "repo", tmp / "empty-repo"
        for folder in (plain, repo / "sub", empty):
            folder.mkdir(parents=True)
        cases = [("a folder outside any git repository", (packages, plain), None)]
        try:
            _git(repo, "init", "-q")
            _git(repo, "commit", "-q", "--allow-empty", "-m", "first")
            _git(empty, "init", "-q")
        except (OSError, subprocess.CalledProcessError):
            pass  # no git here: the folder outside a repository is still checked
        else:
            commit = git_commit(repo)
            expect(commit is not None, "could not create a test git repository")
            cases += [
                ("a subfolder of a repository with one commit", (packages, repo / "sub"), None),
                ("a repository without any commit", (["numpy"], empty), None),
            ]
        public.check_environment_record(environment_record, cases=with_expected(cases, environment_oracle))


@check
def check_log_tracked_run(log_tracked_run: Callable) -> None:
    X_train, y_train, X_test, y_test = _wine()
    forest = RandomForestClassifier(n_estimators=5, max_depth=3, random_state=0).fit(X_train, y_train)
    knn = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=3)).fit(X_train, y_train)
    cases = []
    for model, config, tags in [
        (forest, {"model": "RandomForest", "n_estimators": 5, "max_depth": 3}, ["final", "wine"]),
        (knn, {"n_neighbors": 3, "model": "KNN"}, ["baseline"]),
    ]:
        metrics = {"test_accuracy": model.score(X_test, y_test), "train_accuracy": model.score(X_train, y_train)}
        cases.append((f"{config} tagged {tags}", (model, config, metrics, tags, X_test),
                      ref().run_name(config, ref().SHORT_NAMES)))
    # The versions are computed here; the commit is the one of the folder the student's
    # process runs in, read there by the public probe (see public.check_log_tracked_run).
    public.check_log_tracked_run(log_tracked_run, cases=cases, versions=versions_oracle(ref().PACKAGES))


@check
def check_runs_table(runs_table: Callable) -> None:
    specs = [
        ("baseline", {"model": "GB", "learning_rate": 0.1, "tags": ["baseline"]},
         [{"test_accuracy": 0.91, "loss": 0.40}, {"test_accuracy": 0.93, "loss": 0.31}]),
        ("baseline", {"model": "GB", "learning_rate": 0.1, "tags": ["baseline", "rerun"]},
         [{"test_accuracy": 0.94, "loss": 0.29}]),
        ("early-stop", {"model": "RF", "max_depth": 4},
         [{"loss": 0.5, "test_accuracy": 0.88}, {"loss": 0.45}, {"loss": 0.44}]),
        ("lr_run", {"learning_rate": 0.5},
         [{"learning_rate": 0.25, "f1": 0.7}, {"learning_rate": 0.125, "f1": 0.75}]),
    ]
    public.check_runs_table(runs_table, cases=[("duplicate names, early stops, missing columns",
                                                (specs,), rows_of(specs))])


@check
def check_best_run(best_run: Callable) -> None:
    table = pd.DataFrame({
        "run": ["LogisticRegression", "RandomForest", "GradientBoosting", "gb-lr-0.01", "gb-lr-0.1", "gb-lr-0.5"],
        "experiment": ["models"] * 3 + ["lr"] * 3,
        "test_accuracy": [np.nan, 0.95, 0.97, 0.93, 0.97, 0.96],
        "log_loss": [0.2, np.nan, 0.15, 0.3, 0.11, 0.11],
    })
    lr_part = table[table["experiment"] == "lr"]
    cases = [
        ("a missing value first, a tie for the best", (table, "test_accuracy", True), "GradientBoosting"),
        ("lowest log_loss, with a tie and a missing value", (table, "log_loss", False), "gb-lr-0.1"),
        ("highest log_loss", (table, "log_loss", True), "gb-lr-0.01"),
        ("a filtered table (index 3, 4, 5)", (lr_part, "test_accuracy", True), "gb-lr-0.1"),
        ("a filtered table, minimised", (lr_part, "test_accuracy", False), "gb-lr-0.01"),
    ]
    for label, args, expected in cases:
        want = ref().best_run(args[0].copy(), args[1], args[2])
        expect(want == expected, f"reference disagrees on {label}")
    public.check_best_run(best_run, cases=cases)


#: (x - 0.5)^2 + 0.3 for "abs" + n/4, minimised, pruned above x = 1.5: data the student's process
#: receives as an argument of the probe (functions of this module are never sent).
MINIMISE_WITH_PRUNING = public.Objective(
    {"x": ("float", -3.0, 3.0), "kind": ("categorical", ["square", "abs"]), "n": ("int", 0, 3)},
    {"x": (1.0, 0.5, 2), "kind": {"square": 0.0, "abs": 0.3}, "n": (0.25, 0, 1)},
    prune=("x", 1.5))


@check
def check_log_trial(log_trial: Callable) -> None:
    cases = [
        ("12 trials minimising, with pruned trials and a categorical parameter",
         ("minimize", MINIMISE_WITH_PRUNING, 12, 3), None),
        ("5 trials maximising, another seed", ("maximize", public.PUBLIC_OBJECTIVE, 5, 11), None),
    ]
    cases = [(label, args, study_steps) for label, args, _ in cases]
    public.check_log_trial(log_trial, cases=cases)
