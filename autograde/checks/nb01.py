"""Hidden checks for notebook 01, manual grid search."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from autograde.trusted.reference import memoized
from helpers.checks import nb01 as public
from helpers.checks.core import check, expect, expect_close, expect_equal
from helpers.data import load_dataset

NOTEBOOK = "01_manual_grid_search"


def ref():
    """The reference solution's functions."""
    return memoized(NOTEBOOK)


def _wine():
    return load_dataset("wine")


def _noisy_cubic(seed: int = 7, n: int = 45):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-2, 2, n))
    return x, x**3 - 2 * x + rng.normal(0, 0.5, n)


@check
def check_count_parameters(count_parameters: Callable) -> None:
    X, y = _wine()
    rng = np.random.default_rng(3)
    Xr = rng.normal(size=(40, 4))
    models = [
        ("LogisticRegression on wine, 13 features, 3 classes",
         make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(X, y)[-1]),
        ("LinearRegression without intercept, 5 features",
         LinearRegression(fit_intercept=False).fit(rng.normal(size=(30, 5)), rng.normal(size=30))),
        ("Ridge with two targets, 4 features", Ridge().fit(Xr, rng.normal(size=(40, 2)))),
        ("LogisticRegression without intercept, 3 classes (intercept_ is an array of zeros)",
         LogisticRegression(fit_intercept=False, max_iter=2000).fit(StandardScaler().fit_transform(X), y)),
    ]
    cases = [(label, (m,), ref().count_parameters(m)) for label, m in models]
    public.check_count_parameters(count_parameters, cases=cases)


@check
def check_poly_cv_mse(poly_cv_mse: Callable) -> None:
    x, y = _noisy_cubic()
    cases = [
        ("an unseen cubic, degrees 1, 2, 3, 6, 9", (x, y, [1, 2, 3, 6, 9],
                                                    KFold(3, shuffle=True, random_state=5)), None),
        ("an unseen cubic, degrees in a different order", (x, y, [5, 1, 3],
                                                           KFold(4, shuffle=True, random_state=2)), None),
    ]
    public.check_poly_cv_mse(poly_cv_mse, cases=cases, oracle=ref().poly_cv_mse)


@check
def check_grid_search_1d(grid_search_1d: Callable) -> None:
    X, y = _wine()
    cases = [
        ("wine, depths [1, 2, 4, 6]", (X, y, [1, 2, 4, 6], StratifiedKFold(3, shuffle=True,
                                                                          random_state=3)), None),
        ("wine, unsorted depths [5, 1, 3]", (X, y, [5, 1, 3], KFold(4, shuffle=True,
                                                                    random_state=0)), None),
    ]
    public.check_grid_search_1d(grid_search_1d, cases=cases)
    for label, args, _ in cases:
        want = ref().grid_search_1d(*args)
        got = grid_search_1d(*args)
        expect_equal(got[0], want[0], f"best depth ({label})")


@check
def check_grid_search(grid_search: Callable) -> None:
    X, y = _wine()
    knn = make_pipeline(StandardScaler(), KNeighborsClassifier())
    cases = [
        ("wine, a 3-parameter tree grid", (DecisionTreeClassifier(random_state=1),
                                           {"max_depth": [1, 3], "min_samples_split": [2, 20],
                                            "criterion": ["gini", "entropy"]},
                                           X, y, KFold(3, shuffle=True, random_state=4)), None),
        ("wine, a scaled KNN grid", (knn, {"kneighborsclassifier__n_neighbors": [1, 5, 15]},
                                     X, y, StratifiedKFold(5, shuffle=True, random_state=0)), None),
        ("a stand-in model with accuracy 1 - |a + b + c - 3| / 4: four combinations tie for the best",
         (public.Knobs(target=3), {"c": [0, 1], "a": [0, 2, 1], "b": [1, 2]}, *public.knobs_data(16), KFold(4)),
         None),
    ]
    public.check_grid_search(grid_search, cases=cases, oracle=ref().grid_search)


@check
def check_count_fits(count_fits: Callable) -> None:
    grids = [({"a": [1, 2]}, 10), ({"a": [1, 2, 3, 4], "b": list(range(7))}, 3),
             ({"a": [1], "b": [2], "c": [3]}, 1), ({"a": list(range(10))}, 2)]
    cases = [(f"grid {grid} with {k} folds", (grid, k), ref().count_fits(grid, k))
             for grid, k in grids]
    public.check_count_fits(count_fits, cases=cases)


@check
def check_tune_random_forest(tune_random_forest: Callable) -> None:
    X, y = _wine()
    cases = [("wine, a 1 x 3 forest grid", (X, y, {"max_depth": [1, 2, 3], "n_estimators": [8]},
                                           KFold(3, shuffle=True, random_state=1)), None)]
    public.check_tune_random_forest(tune_random_forest, cases=cases)


@check
def check_results_table(results_table: Callable) -> None:
    X, y = _wine()
    search = GridSearchCV(DecisionTreeClassifier(random_state=0),
                          {"max_depth": [1, 2, 3, 4], "criterion": ["gini", "entropy"]},
                          cv=KFold(3, shuffle=True, random_state=2)).fit(X, y)
    public.check_results_table(results_table, cases=[("a 4 x 2 tree search on wine", (search,), None)])
    want = ref().results_table(search)
    got = results_table(search)
    expect_close(got["mean_test_score"].to_numpy(), want["mean_test_score"].to_numpy(),
                        "mean_test_score column against the reference")


@check
def check_score_matrix(score_matrix: Callable) -> None:
    rng = np.random.default_rng(11)
    rows = [(a, b, c) for a in [0.01, 0.1, 1.0] for b in ["rbf", "poly"] for c in [1, 2]]
    table = pd.DataFrame(rows, columns=["C", "kernel", "degree"])
    table["mean_test_score"] = rng.uniform(0.5, 1.0, len(table))
    # A hyperparameter that was None: NaN in a numeric column, None in a column of strings.
    rows = [(d, w, m) for d in [3, None, 10] for w in [None, "balanced"] for m in ["sqrt", "log2"]]
    nones = pd.DataFrame(rows, columns=["max_depth", "class_weight", "max_features"])
    nones["mean_test_score"] = rng.uniform(0.5, 1.0, len(nones))
    cases = [("an unseen table, C by kernel", (table, "C", "kernel"), None),
             ("an unseen table, degree by C", (table, "degree", "C"), None),
             ("max_depth None (NaN) by class_weight None", (nones, "max_depth", "class_weight"), None),
             ("class_weight None by max_depth None (NaN)", (nones, "class_weight", "max_depth"), None)]
    public.check_score_matrix(score_matrix, cases=cases)
    for label, (frame, row, col), _ in cases[::2]:
        want = ref().score_matrix(frame.copy(), row, col)
        got = score_matrix(frame.copy(), row, col)
        expect(isinstance(got, pd.DataFrame), "score_matrix must return a pandas DataFrame.")
        # By label, as the statement and the public check: any order of rows and columns is right.
        cells = [[public.matrix_cell(got, r, c, row, col, label) for c in want.columns] for r in want.index]
        expect_close(np.asarray(cells, dtype=float), np.asarray(want, dtype=float),
                     f"score matrix against the reference ({label})")
