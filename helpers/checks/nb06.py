"""Public checks for notebook 06, DIY AutoML.

Each ``check_*`` takes the student's function first. ``cases`` (and for some
checks ``oracle``) default to the public inputs; the hidden checks in
``autograde.checks.nb06`` call these same functions with unseen inputs and an
oracle or the reference solution. The expected values of the public cases are
scikit-learn's numbers, computed once; tests/test_nb06_public_expected.py proves
that they equal what the reference solution computes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, ParameterGrid, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from helpers.checks.core import CheckFailed, check, expect, expect_close, expect_equal, fitted
from helpers.data import load_dataset

Case = tuple[str, tuple, Any]  # (label, arguments, expected or None)

#: The lecture's six families, in the lecture's order.
FAMILIES = ["LogReg", "KNN", "SVM", "RF", "GB", "ET"]
#: Final estimator class of each family.
FAMILY_CLASSES = {
    "LogReg": LogisticRegression,
    "KNN": KNeighborsClassifier,
    "SVM": SVC,
    "RF": RandomForestClassifier,
    "GB": GradientBoostingClassifier,
    "ET": ExtraTreesClassifier,
}
#: Families that depend on the scale of the features: scaled inside a Pipeline.
SCALED = {"LogReg", "KNN", "SVM"}
#: Families with a random_state.
SEEDED = {"RF", "GB", "ET"}


def lecture_grids(n_trees: int) -> dict[str, dict[str, list]]:
    """The lecture's grids, by family and plain hyperparameter name (no ``model__`` prefix)."""
    return {
        "LogReg": {"C": [0.01, 0.1, 1, 10]},
        "KNN": {"n_neighbors": [3, 5, 11]},
        "SVM": {"C": [0.1, 1, 10], "kernel": ["rbf", "poly"]},
        "RF": {"n_estimators": [n_trees, 2 * n_trees]},
        "GB": {"learning_rate": [0.01, 0.1]},
        "ET": {"n_estimators": [n_trees, 2 * n_trees]},
    }


def scaled(model: Any) -> Pipeline:
    """The pipeline the notebook uses for scale-sensitive models."""
    return Pipeline(steps=[("scale", StandardScaler()), ("model", model)])


def _breast_cancer(n: int = 200):
    X, y = load_dataset("breast_cancer")
    return X[:n], y[:n]


# -- 1. model_configs --------------------------------------------------------------------


def public_configs_cases() -> list[Case]:
    return [("make_model_configs() with the defaults", {}, None)]


def _plain_grid(grid: dict) -> dict[str, list]:
    """A grid with each name stripped of its pipeline-step prefix (``model__C`` -> ``C``)."""
    return {name.split("__")[-1]: list(values) for name, values in grid.items()}


def _final(estimator: Any) -> Any:
    return estimator[-1] if isinstance(estimator, Pipeline) else estimator


@check
def check_make_model_configs(make_model_configs: Callable, cases: Sequence[Case] | None = None,
                             oracle: Callable | None = None) -> None:
    """``make_model_configs(n_trees, random_state)`` is the lecture's six families and grids.

    A case is ``(label, keyword arguments, None)``; missing keywords mean the
    defaults ``n_trees=100, random_state=0``.
    """
    for label, kwargs, _ in cases or public_configs_cases():
        n_trees, seed = kwargs.get("n_trees", 100), kwargs.get("random_state", 0)
        configs = make_model_configs(**kwargs)
        expect(isinstance(configs, dict), f"make_model_configs must return a dict, got {type(configs).__name__}.")
        expect_equal(list(configs), FAMILIES, f"the family names, in the lecture's order ({label})")
        grids = lecture_grids(n_trees)
        for family in FAMILIES:
            entry = configs[family]
            expect(isinstance(entry, (tuple, list)) and len(entry) == 2,
                   f"configs[{family!r}] must be a tuple (estimator, param_grid).")
            estimator, grid = entry
            expect(hasattr(estimator, "get_params") and hasattr(estimator, "fit"),
                   f"the first item of configs[{family!r}] must be a scikit-learn estimator.")
            expect(isinstance(grid, dict), f"the grid of {family} must be a dict {{name: list of values}}.")
            final = _final(estimator)
            want = FAMILY_CLASSES[family]
            expect(type(final) is want,
                   f"{family} must use {want.__name__}, got {type(final).__name__} ({label}).")
            if family in SCALED:
                expect(isinstance(estimator, Pipeline)
                       and any(isinstance(step, StandardScaler) for _, step in estimator.steps[:-1]),
                       f"{family} depends on the scale of the features: it must be a Pipeline with a "
                       f"StandardScaler before the {want.__name__} (fitted inside each CV fold).")
            params = estimator.get_params()
            for name in grid:
                expect(name in params,
                       f"{name!r} in the grid of {family} is not a parameter of its estimator; inside a "
                       f"Pipeline, write '<step>__<name>', e.g. 'model__C'.")
            expect_equal(_plain_grid(grid), grids[family], f"the grid of {family} ({label})")
            if family in SEEDED:
                expect_equal(final.get_params()["random_state"], seed,
                             f"random_state of {family} ({label})")
        expect_equal(_final(configs["GB"][0]).get_params()["n_estimators"], n_trees,
                     f"n_estimators of GB (the n_trees argument) ({label})")
        total = sum(len(ParameterGrid(grid)) for _, grid in configs.values())
        expect_equal(total, 19, f"total number of combinations ({label})")
        if oracle is not None:
            ref = oracle(n_trees=n_trees, random_state=seed)
            for family in FAMILIES:  # names without the pipeline-step prefix: make_pipeline is fine too
                expect_equal(_plain_grid(configs[family][1]), _plain_grid(ref[family][1]),
                             f"the grid of {family} against the reference ({label})")


# -- 2. the DIY AutoML loop ----------------------------------------------------------------


LEADERBOARD_COLUMNS = ["family", "combinations", "best_cv", "seconds", "best_params"]


def public_diy_cases() -> list[Case]:
    X, y = _breast_cancer(200)
    configs = {
        "LogReg": (scaled(LogisticRegression(max_iter=1000)), {"model__C": [0.001, 1]}),
        "KNN": (scaled(KNeighborsClassifier()), {"model__n_neighbors": [1, 15]}),
        "Tree": (DecisionTreeClassifier(random_state=0),
                 {"max_depth": [1, 3, 5], "criterion": ["gini", "entropy"]}),
    }
    return [("breast cancer (200 rows), 3 families, 3 folds",
             (configs, X, y, StratifiedKFold(3, shuffle=True, random_state=0)), None)]


@check
def check_diy_automl(diy_automl: Callable, cases: Sequence[Case] | None = None) -> None:
    """``diy_automl(model_configs, X, y, cv, n_jobs)`` returns a sorted leaderboard and the winner.

    Every family's best CV score is compared with ``GridSearchCV`` on the same
    folds, and the order with a stable sort of those scores (ties keep the order
    of ``model_configs``); timings are only required to be positive.
    """
    for label, args, _ in cases or public_diy_cases():
        configs, X, y, cv = args
        fresh = {family: (clone(est), grid) for family, (est, grid) in configs.items()}
        result = diy_automl(fresh, X, y, cv, n_jobs=1)
        expect(isinstance(result, tuple) and len(result) == 2,
               "diy_automl must return a tuple (leaderboard, winner).")
        board, winner = result
        expect(isinstance(board, pd.DataFrame), "the leaderboard must be a pandas DataFrame.")
        for column in LEADERBOARD_COLUMNS:
            expect(column in board.columns, f"the leaderboard needs a column {column!r} ({label}).")
        expect_equal(len(board), len(configs), f"rows of the leaderboard: one per family ({label})")
        families = [str(f) for f in board["family"]]
        expect_equal(sorted(families), sorted(configs), f"the families in the leaderboard ({label})")
        scores = board["best_cv"].to_numpy(dtype=float)
        expect(bool(np.all(np.diff(scores) <= 0)),
               f"the leaderboard must be sorted by best_cv, highest first; got {np.round(scores, 4).tolist()} "
               f"({label}).")
        searches = {family: fitted(GridSearchCV(clone(est), grid, cv=cv), X, y)
                    for family, (est, grid) in configs.items()}
        for row, (family, score) in enumerate(zip(families, scores)):
            search = searches[family]
            expect_equal(int(board["combinations"].iloc[row]), len(ParameterGrid(configs[family][1])),
                         f"combinations of {family} ({label})")
            expect_close(score, search.best_score_, f"best_cv of {family}: GridSearchCV's best_score_ ({label})")
            seconds = board["seconds"].iloc[row]
            expect(isinstance(seconds, (int, float, np.number)) and math.isfinite(float(seconds))
                   and float(seconds) > 0,
                   f"seconds of {family} must be the positive wall time of its search, got {seconds!r}.")
            expect_equal(_plain_params(board["best_params"].iloc[row]), _plain_params(search.best_params_),
                         f"best_params of {family} ({label})")
        order = list(configs)
        for first, second in zip(families, families[1:]):
            tied = abs(searches[first].best_score_ - searches[second].best_score_) <= 1e-9
            expect(not tied or order.index(first) < order.index(second),
                   f"{first} and {second} tie on best_cv: a tie must keep the order of model_configs "
                   f"(sort with kind='stable') ({label}).")
        expect(isinstance(winner, str), f"winner must be a family name (str), got {type(winner).__name__}.")
        expect_equal(winner, families[0], f"the winner: the family in the first row ({label})")


def _plain_params(params: Any) -> Any:
    if not isinstance(params, dict):
        return repr(params)
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in sorted(params.items())}


# -- 3. the complete workflow ---------------------------------------------------------------


WORKFLOW_STEPS = ["floor", "simple", "tuned", "ceiling"]


def example_leaderboard(scores: dict[str, float]) -> pd.DataFrame:
    """A leaderboard like Exercise 2's, best first (ties in the given order), for the workflow checks."""
    ranked = sorted(scores.items(), key=lambda item: -item[1])  # sorted() is stable
    return pd.DataFrame({"family": [family for family, _ in ranked], "combinations": 2,
                         "best_cv": [score for _, score in ranked], "seconds": 0.5,
                         "best_params": [{} for _ in ranked]})


#: scikit-learn's four numbers for the public case below (DummyClassifier, scaled LogisticRegression,
#: RandomizedSearchCV over the forest space, best of the leaderboard); tests/test_nb06_public_expected.py
#: recomputes them with the reference solution.
PUBLIC_WORKFLOW_SCORES = {"floor": 0.5199758781848334, "simple": 0.9350972410673903,
                          "tuned": 0.9400723654454998, "ceiling": 0.97}


def public_workflow_cases() -> list[Case]:
    X, y = _breast_cancer(200)
    space = {"n_estimators": [5, 10], "max_depth": [2, 4, None]}
    board = example_leaderboard({"SVM": 0.955, "RF": 0.97, "LogReg": 0.95})
    return [("breast cancer (200 rows), 3 draws from a 2 x 3 forest space",
             (X, y, StratifiedKFold(3, shuffle=True, random_state=0), space, 3, board, 0),
             dict(PUBLIC_WORKFLOW_SCORES))]


@check
def check_tuning_workflow(tuning_workflow: Callable, cases: Sequence[Case] | None = None,
                          oracle: Callable | None = None) -> None:
    """``tuning_workflow(...)`` returns floor, simple, tuned and ceiling, in order.

    A case is ``(label, arguments, expected)`` with ``expected`` a dict ``{step: score}``;
    when it is ``None``, ``oracle(*arguments)`` computes it.
    """
    for label, args, expected in cases or public_workflow_cases():
        X, y, cv, space, n_iter, board, seed = args
        table = tuning_workflow(X, y, cv, space, n_iter, board.copy(), random_state=seed, n_jobs=1)
        expect(isinstance(table, pd.DataFrame), "tuning_workflow must return a pandas DataFrame.")
        for column in ["step", "model", "cv_score"]:
            expect(column in table.columns, f"the summary table needs a column {column!r}.")
        expect_equal([str(s) for s in table["step"]], WORKFLOW_STEPS, f"the steps, in order ({label})")
        if expected is None and oracle is None:
            raise ValueError(f"case {label!r} has no expected scores and no oracle")
        want = expected if expected is not None else oracle(*args)
        got = dict(zip(table["step"], table["cv_score"]))
        hints = {
            "floor": "the mean CV accuracy of DummyClassifier()",
            "simple": "the mean CV accuracy of StandardScaler + LogisticRegression(max_iter=1000) in a Pipeline",
            "tuned": "the best_score_ of RandomizedSearchCV(RandomForestClassifier(random_state=random_state), "
                     "rf_space, n_iter=n_iter, cv=cv, random_state=random_state)",
            "ceiling": "the highest best_cv of the leaderboard",
        }
        for step in WORKFLOW_STEPS:
            expect_close(got[step], want[step], f"cv_score of {step!r} should be {hints[step]} ({label})")
        winner = str(board.loc[board["best_cv"].idxmax(), "family"])
        ceiling_model = str(table.loc[table["step"] == "ceiling", "model"].iloc[0])
        expect(winner in ceiling_model,
               f"the model of the ceiling row should name the winning family {winner!r}, got {ceiling_model!r}.")


# -- 4. the decision rule ----------------------------------------------------------------------


LECTURE_TABLE = {"LogReg": 0.8575, "KNN": 0.9050, "SVM": 0.9325, "RF": 0.9338, "GB": 0.9400, "ET": 0.9313}


def public_choose_cases() -> list[Case]:
    return [
        ("the lecture's table, tolerance 0.01", (LECTURE_TABLE, "LogReg", 0.01), "GB"),
        ("the lecture's table, tolerance 0.1", (LECTURE_TABLE, "LogReg", 0.1), "LogReg"),
        ("the simple model is the best, tolerance 0", ({"LogReg": 0.98, "RF": 0.97}, "LogReg", 0.0), "LogReg"),
        ("a gap exactly equal to the tolerance (0.875 - 0.75 = 0.125)",
         ({"big": 0.875, "simple": 0.75}, "simple", 0.125), "simple"),
        ("a gap of 0.125, tolerance 0.0625", ({"big": 0.875, "simple": 0.75}, "simple", 0.0625), "big"),
        ("0.91 - 0.90 = 0.010000000000000009 in floating point, tolerance 0.01: either answer",
         ({"GB": 0.91, "LogReg": 0.90}, "LogReg", 0.01), "GB"),
        ("0.94 - 0.93 = 0.009999999999999898 in floating point, tolerance 0.01: either answer",
         ({"GB": 0.94, "LogReg": 0.93}, "LogReg", 0.01), "LogReg"),
    ]


#: A gap that differs from the tolerance by less than this, without being equal, is a floating-point
#: hair's breadth (0.91 - 0.90 = 0.010000000000000009): either answer is accepted there.
HAIR = 1e-9


def choose_answers(scores: dict, simple: str, tolerance: float, expected: str) -> set[str]:
    """The answers accepted for a case: ``expected``, or both candidates when the gap is a hair from the tolerance."""
    top = max(scores.values())
    gap = top - scores[simple]
    if gap != tolerance and abs(gap - tolerance) <= HAIR:
        return {simple, next(name for name, score in scores.items() if score == top)}
    return {expected}


@check
def check_choose_model(choose_model: Callable, cases: Sequence[Case] | None = None) -> None:
    """``choose_model(scores, simple, tolerance)``: the simple model when within tolerance, else the best.

    Where the gap differs from the tolerance only by floating-point rounding (less than
    ``HAIR``, not equal), the simple model and the best are both accepted.
    """
    for label, args, expected in cases or public_choose_cases():
        scores, simple, tolerance = args
        got = choose_model(dict(scores), simple, tolerance)
        top = max(scores.values())
        accepted = choose_answers(scores, simple, tolerance, expected)
        what = (f"the model to deploy for {label} (best score {top}, simple {simple} "
                f"{scores[simple]}, gap {top - scores[simple]:.4g}, tolerance {tolerance})")
        if len(accepted) == 1:
            expect_equal(got, expected, what)
        else:
            expect(got in accepted, f"{what}: expected one of {sorted(accepted)}, got {got!r}.")


# -- 5. FLAML's results as a leaderboard -------------------------------------------------------


FLAML_NAMES = {"lrl2": "LogReg", "kneighbor": "KNN", "svc": "SVM", "rf": "RF", "histgb": "GB",
               "extra_tree": "ET"}


def fake_automl(losses: dict[str, float]) -> SimpleNamespace:
    """A stand-in for a fitted ``flaml.AutoML``: only ``best_loss_per_estimator`` and ``best_estimator``."""
    finite = {k: v for k, v in losses.items() if math.isfinite(v)}
    return SimpleNamespace(best_loss_per_estimator=dict(losses),
                           best_estimator=min(finite, key=finite.get) if finite else None)


def public_flaml_cases() -> list[Case]:
    losses = {"lrl2": 0.0625, "kneighbor": float("inf"), "rf": 0.03125, "extra_tree": 0.046875}
    return [("losses of lrl2, rf and extra_tree; kneighbor never tried", (fake_automl(losses), FLAML_NAMES),
             [("RF", 0.96875), ("ET", 0.953125), ("LogReg", 0.9375)])]


@check
def check_flaml_leaderboard(flaml_leaderboard: Callable, cases: Sequence[Case] | None = None) -> None:
    """``flaml_leaderboard(automl, names)``: finite losses as accuracies, renamed, best first."""
    for label, args, expected in cases or public_flaml_cases():
        automl, names = args
        board = flaml_leaderboard(automl, dict(names))
        expect(isinstance(board, pd.DataFrame), "flaml_leaderboard must return a pandas DataFrame.")
        for column in ["family", "best_cv"]:
            expect(column in board.columns, f"the table needs a column {column!r}.")
        expect_equal(len(board), len(expected),
                     f"rows ({label}): one per learner with a finite loss (skip those never tried)")
        expect_equal([str(f) for f in board["family"]], [f for f, _ in expected],
                     f"the families, best first ({label})")
        expect_close(board["best_cv"].to_numpy(dtype=float), [s for _, s in expected],
                     f"best_cv = 1 - loss, best first ({label})")


# -- 6. when AutoML is the wrong tool ----------------------------------------------------------


FLAGS = ["interpretability", "latency", "edge", "non_tabular"]


def project(data: str = "tabular", must_explain: bool = False, realtime: bool = False,
            edge: bool = False) -> dict[str, Any]:
    """A project description as the notebook writes it."""
    return {"data": data, "must_explain": must_explain, "realtime": realtime, "edge": edge}


def public_flags_cases() -> list[Case]:
    return [
        ("a Kaggle-style CSV", (project(),), []),
        ("keyword spotting on a smartwatch", (project("audio", realtime=True, edge=True),),
         ["latency", "edge", "non_tabular"]),
    ]


@check
def check_automl_red_flags(automl_red_flags: Callable, cases: Sequence[Case] | None = None) -> None:
    """``automl_red_flags(project)``: the lecture's reasons to be careful, in the lecture's order."""
    for label, (proj,), expected in cases or public_flags_cases():
        got = automl_red_flags(dict(proj))
        expect(isinstance(got, list), f"automl_red_flags must return a list, got {type(got).__name__}.")
        unknown = [f for f in got if f not in FLAGS]
        if unknown:
            raise CheckFailed(f"unknown flag(s) {unknown} for {label}; use only {FLAGS}.")
        expect_equal(got, expected, f"red flags of {label} (order: {', '.join(FLAGS)})")
