"""Hidden checks for notebook 02, grid search vs random search.

Each hidden check calls the public check of the same name with inputs the
student has not seen, and with the reference solution as the source of the
expected values (the sampling protocol must agree with it exactly).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.stats import expon, loguniform, randint, uniform
from sklearn.model_selection import GridSearchCV, KFold, RandomizedSearchCV, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from autograde.trusted.reference import memoized
from helpers.checks import nb02 as public
from helpers.checks.core import check, expect_close, expect_equal
from helpers.data import load_dataset

NOTEBOOK = "02_grid_vs_random"


def ref():
    """The reference solution's functions."""
    return memoized(NOTEBOOK)


def _wine():
    return load_dataset("wine")


def _peak(centre: float, width: float, height: float = 1.0) -> Callable:
    return public.Peak(centre, width, height)


@check
def check_peak_search_1d(peak_search_1d: Callable) -> None:
    inputs = [
        ("a narrow peak at 0.33, budget 8, seeds 10-39", (_peak(0.33, 0.015), 8, list(range(10, 40)))),
        ("a narrow peak at 0.47, budget 21, seeds 3, 5, 8", (_peak(0.47, 0.03, 0.8), 21, [3, 5, 8])),
        ("f(x) = 1 - x, budget 4, one seed", (public.Peak(slope=-1.0, offset=1.0), 4, [123])),
    ]
    cases = [(label, args, ref().peak_search_1d(*args)) for label, args in inputs]
    public.check_peak_search_1d(peak_search_1d, cases=cases)


@check
def check_sample_layouts(sample_layouts: Callable) -> None:
    cases = [("budget 16, seed 3", (16, 3), None), ("budget 36, seed 11", (36, 11), None),
             ("budget 9, seed 0", (9, 0), None)]
    public.check_sample_layouts(sample_layouts, cases=cases, oracle=ref().sample_layouts)


@check
def check_count_distinct(count_distinct: Callable) -> None:
    import itertools

    rows = list(itertools.product([0.2, 0.5, 0.8], np.linspace(0, 1, 8)))
    wide = pd.DataFrame(rows, columns=["learning_rate", "batch_size"])
    rng = np.random.default_rng(5)
    repeated = pd.DataFrame({"depth": rng.integers(1, 4, 12), "ratio": rng.uniform(size=12)})
    params = [{"max_depth": d, "criterion": c} for d, c in itertools.product([2, 4, 8, 16], ["gini", "entropy"])]
    nones = [{"max_depth": d, "class_weight": w} for d, w in itertools.product([None, 5], [None, "balanced", None])]
    inputs = [
        ("params with None twice in each of two names, 'max_depth'", (nones, "max_depth")),
        ("params with None twice in each of two names, 'class_weight'", (nones, "class_weight")),
        ("the same as a DataFrame (NaN, and None among strings), 'max_depth'", (pd.DataFrame(nones), "max_depth")),
        ("the same as a DataFrame, 'class_weight'", (pd.DataFrame(nones), "class_weight")),
        ("a 3 x 8 grid, the first column", (wide, "learning_rate")),
        ("a 3 x 8 grid, the second column", (wide, "batch_size")),
        ("12 samples of an integer with repeats", (repeated, "depth")),
        ("12 samples, the continuous column", (repeated, "ratio")),
        ("cv_results_-style params, 'criterion'", (params, "criterion")),
        ("cv_results_-style params, 'max_depth'", (params, "max_depth")),
    ]
    cases = [(label, args, ref().count_distinct(*args)) for label, args in inputs]
    public.check_count_distinct(count_distinct, cases=cases)


@check
def check_best_so_far(best_so_far: Callable) -> None:
    rng = np.random.default_rng(8)
    inputs = [
        ("a decreasing run", ([0.9, 0.8, 0.7, 0.95, 0.1],)),
        ("three runs of 6 trials", (rng.uniform(size=(3, 6)),)),
        ("a single trial", ([0.42],)),
        ("negative scores (e.g. neg_mean_squared_error)", (np.array([-3.0, -5.0, -1.5, -2.0]),)),
    ]
    cases = [(label, args, ref().best_so_far(*args)) for label, args in inputs]
    public.check_best_so_far(best_so_far, cases=cases)


def _hidden_spaces() -> list[tuple[str, dict, int, int]]:
    return [
        ("an SVM space with log-uniform C and gamma, 6 samples, seed 3",
         {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-5, 1e-1), "kernel": ["rbf", "sigmoid"],
          "shrinking": [True, False]}, 6, 3),
        ("a boosting space with the list first, 4 samples, seed 2024",
         {"loss": ["log_loss", "exponential"], "learning_rate": loguniform(1e-3, 0.5),
          "n_estimators": randint(20, 300), "subsample": uniform(0.5, 0.5), "alpha": expon(scale=2.0)}, 4, 2024),
        ("one integer parameter, 7 samples, seed 99", {"n_neighbors": randint(1, 200)}, 7, 99),
    ]


@check
def check_sample_params(sample_params: Callable) -> None:
    cases = [(label, (space, n, seed), ref().sample_params(space, n, seed))
             for label, space, n, seed in _hidden_spaces()]
    public.check_sample_params(sample_params, cases=cases)


@check
def check_random_search(random_search: Callable) -> None:
    X, y = _wine()
    tree_space = {"criterion": ["gini", "entropy"], "max_depth": randint(1, 6),
                  "min_samples_leaf": randint(1, 40), "max_features": uniform(0.2, 0.8)}
    knn = make_pipeline(StandardScaler(), KNeighborsClassifier())
    knn_space = {"kneighborsclassifier__n_neighbors": randint(1, 60),
                 "kneighborsclassifier__weights": ["uniform", "distance"]}
    inputs = [
        ("wine, a 4-parameter tree space, 8 candidates, seed 5",
         (DecisionTreeClassifier(random_state=1), tree_space, X, y, KFold(3, shuffle=True, random_state=4), 8, 5)),
        ("wine, a scaled KNN, 7 candidates, seed 12",
         (knn, knn_space, X, y, StratifiedKFold(4, shuffle=True, random_state=0), 7, 12)),
    ]
    cases = [(label, args, ref().sample_params(args[1], args[5], args[6])) for label, args in inputs]
    public.check_random_search(random_search, cases=cases, oracle=ref().random_search, compare_sklearn=False)


@check
def check_scale_samples(scale_samples: Callable) -> None:
    inputs = [("a learning rate in [0.0001, 1], 500 samples, seed 9", (1e-4, 1.0, 500, 9)),
              ("gamma in [0.00001, 0.1], 300 samples, seed 2", (1e-5, 1e-1, 300, 2)),
              ("a range that is not a power of ten, [0.5, 8], 400 samples, seed 77", (0.5, 8.0, 400, 77))]
    cases = [(label, args, ref().scale_samples(*args)) for label, args in inputs]
    public.check_scale_samples(scale_samples, cases=cases)


@check
def check_fraction_below(fraction_below: Callable) -> None:
    inputs = [
        ("log-uniform learning rate in [1e-4, 1], threshold 0.01, 3000 samples, seed 7",
         (loguniform(1e-4, 1.0), 0.01, 3000, 7)),
        ("uniform on [2, 6], threshold 3, 500 samples, seed 21", (uniform(2, 4), 3.0, 500, 21)),
        ("an integer randint(1, 11), threshold 4, 2000 samples, seed 4", (randint(1, 11), 4, 2000, 4)),
    ]
    cases = [(label, args, ref().fraction_below(*args)) for label, args in inputs]
    public.check_fraction_below(fraction_below, cases=cases)


@check
def check_same_budget_searches(same_budget_searches: Callable) -> None:
    X, y = _wine()
    knn = make_pipeline(StandardScaler(), KNeighborsClassifier())
    grid = {"kneighborsclassifier__n_neighbors": [1, 5, 15, 30],
            "kneighborsclassifier__weights": ["uniform", "distance"]}
    space = {"kneighborsclassifier__n_neighbors": list(range(1, 40)),
             "kneighborsclassifier__weights": ["uniform", "distance"]}
    cases = [
        ("wine, a scaled KNN, 4 x 2 grid, random_state 7",
         (knn, grid, space, KFold(3, shuffle=True, random_state=2), 7), (X, y)),
        ("wine, a tree, 1 x 3 grid, random_state 123",
         (DecisionTreeClassifier(random_state=3), {"max_depth": [1, 2, 3]}, {"max_depth": list(range(1, 12))},
          StratifiedKFold(3, shuffle=True, random_state=1), 123), (X, y)),
    ]
    public.check_same_budget_searches(same_budget_searches, cases=cases)
    estimator, grid, space, cv, random_state = cases[0][1]
    got = same_budget_searches(estimator, grid, space, cv, random_state)
    want = ref().same_budget_searches(estimator, grid, space, cv, random_state)
    expect_equal(got["random"].n_iter, want["random"].n_iter, "n_iter against the reference")


@check
def check_budget_table(budget_table: Callable) -> None:
    X, y = _wine()
    cv = KFold(3, shuffle=True, random_state=6)
    knn = make_pipeline(StandardScaler(), KNeighborsClassifier())
    grid = GridSearchCV(knn, {"kneighborsclassifier__n_neighbors": [3, 9],
                              "kneighborsclassifier__weights": ["uniform", "distance"],
                              "kneighborsclassifier__p": [1, 2]}, cv=cv).fit(X, y)
    rand = RandomizedSearchCV(knn, {"kneighborsclassifier__n_neighbors": randint(1, 50),
                                    "kneighborsclassifier__weights": ["uniform", "distance"],
                                    "kneighborsclassifier__p": [1, 2]},
                              n_iter=8, cv=cv, random_state=3).fit(X, y)
    searches = {"random": rand, "grid": grid}
    seconds = {"random": 1.5, "grid": 3.25}
    public.check_budget_table(budget_table, cases=[("wine, KNN, random first then grid",
                                                    (searches, seconds), None)])
    got, want = budget_table(searches, dict(seconds)), ref().budget_table(searches, dict(seconds))
    for column in want.columns:
        expect_close(got.loc[list(want.index), column].to_numpy(dtype=float), want[column].to_numpy(dtype=float),
                     f"column {column!r} against the reference")


@check
def check_recommend_strategy(recommend_strategy: Callable) -> None:
    spaces = [
        ("one list (a 1-D grid)", {"max_depth": [1, 2, 3, 5, 8]}),
        ("three lists", {"C": [0.1, 1.0], "gamma": [0.01, 0.1], "kernel": ["rbf", "poly"]}),
        ("four lists", {"a": [1, 2], "b": [1, 2], "c": [1, 2], "d": [1, 2]}),
        ("six lists", {f"p{i}": [0, 1] for i in range(6)}),
        ("one distribution", {"learning_rate": loguniform(1e-4, 1e-1)}),
        ("three parameters, the last a distribution",
         {"max_depth": [2, 4], "criterion": ["gini", "entropy"], "max_features": uniform(0.1, 0.9)}),
        ("a tuple of values", {"kernel": ("rbf", "linear"), "C": (1, 10)}),
        ("NumPy arrays", {"C": np.logspace(-3, 3, 7), "gamma": np.array([0.01, 0.1])}),
        ("a range and a list", {"n_neighbors": range(1, 30, 2), "weights": ["uniform", "distance"]}),
        ("four NumPy arrays", {f"p{i}": np.arange(3) for i in range(4)}),
    ]
    cases = [(label, (space,), ref().recommend_strategy(space)) for label, space in spaces]
    public.check_recommend_strategy(recommend_strategy, cases=cases)
