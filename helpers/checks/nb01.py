"""Public checks for notebook 01, manual grid search.

Each ``check_*`` takes the student's function first. ``cases`` (and for some
checks ``oracle``) default to the public inputs; the hidden checks in
``autograde.checks.nb01`` call these same functions with unseen inputs and the
reference solution as the oracle.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from helpers.checks.core import (
    CheckFailed,
    check,
    expect,
    expect_close,
    expect_equal,
    fitted,
    remember,
)
from helpers.data import load_dataset

Case = tuple[str, tuple, Any]  # (label, arguments, expected or None)


def _breast_cancer(n: int = 200):
    X, y = load_dataset("breast_cancer")
    return X[:n], y[:n]


# -- 1. parameters vs hyperparameters -------------------------------------------------


def public_count_parameters_cases() -> list[Case]:
    """Fitted models whose number of learned parameters follows from their shapes."""
    X, y = _breast_cancer()
    logreg = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(X, y)[-1]
    Xp, yp = load_dataset("polynomial")
    cubic = LinearRegression().fit(PolynomialFeatures(3, include_bias=False).fit_transform(Xp), yp)
    return [
        ("LogisticRegression on 30 features, 2 classes", (logreg,), 30 + 1),
        ("LinearRegression on x, x^2, x^3", (cubic,), 3 + 1),
    ]


@check
def check_count_parameters(count_parameters: Callable, cases: Sequence[Case] | None = None) -> None:
    """``count_parameters(model)`` returns the number of learned weights and intercepts."""
    for label, args, expected in cases or public_count_parameters_cases():
        got = count_parameters(*args)
        expect(isinstance(got, (int, np.integer)) and not isinstance(got, bool),
               f"count_parameters must return an int, got {type(got).__name__} for {label}.")
        expect_equal(got, expected, f"number of learned parameters of {label}")


# -- 2. polynomial degree by cross-validation ----------------------------------------


def poly_mse_oracle(x, y, degrees, cv) -> np.ndarray:
    """scikit-learn's answer: mean CV MSE of a polynomial fit of each degree."""
    from sklearn.model_selection import cross_val_score

    scores = []
    for degree in degrees:
        pipe = make_pipeline(PolynomialFeatures(degree, include_bias=False), LinearRegression())
        scores.append(-cross_val_score(pipe, np.reshape(x, (-1, 1)), y, cv=cv,
                                       scoring="neg_mean_squared_error").mean())
    return np.array(scores)


def public_poly_cases() -> list[Case]:
    X, y = load_dataset("polynomial")
    return [("the lecture's data, degrees 1-15, shuffled 5-fold CV",
             (X[:, 0], y, list(range(1, 16)), KFold(5, shuffle=True, random_state=0)), None)]


@check
def check_poly_cv_mse(poly_cv_mse: Callable, cases: Sequence[Case] | None = None,
                      oracle: Callable = poly_mse_oracle) -> None:
    """``poly_cv_mse(x, y, degrees, cv)`` returns one mean CV MSE per degree."""
    for label, args, expected in cases or public_poly_cases():
        got = poly_cv_mse(*args)
        degrees = list(args[2])
        expect(np.ndim(got) == 1 and len(got) == len(degrees),
               f"poly_cv_mse must return one number per degree ({len(degrees)}), got {np.shape(got)}.")
        expect(np.all(np.asarray(got) > 0),
               "poly_cv_mse must return mean squared errors (positive); sklearn's scorer "
               "'neg_mean_squared_error' gives negative numbers: flip the sign.")
        want = remember(oracle, *args) if expected is None else expected
        expect_close(got, want, f"CV MSE per degree on {label}", rtol=1e-6)
        if expected is None and degrees == list(range(1, 16)):
            best = degrees[int(np.argmin(got))]
            expect(best in (3, 4), f"the best degree should be 3 or 4, got {best}.")


# -- 3. 1-D grid search over max_depth -----------------------------------------------


def public_grid_1d_cases() -> list[Case]:
    X, y = _breast_cancer(300)
    return [("breast cancer, depths [1, 2, 3, 5, 8]",
             (X, y, [1, 2, 3, 5, 8], StratifiedKFold(5, shuffle=True, random_state=0)), None)]


@check
def check_grid_search_1d(grid_search_1d: Callable, cases: Sequence[Case] | None = None) -> None:
    """``grid_search_1d(X, y, depths, cv)`` agrees with ``GridSearchCV`` on the same folds."""
    for label, args, _ in cases or public_grid_1d_cases():
        X, y, depths, cv = args
        result = grid_search_1d(X, y, depths, cv)
        expect(isinstance(result, tuple) and len(result) == 3,
               "grid_search_1d must return a tuple (best_depth, best_score, scores).")
        best_depth, best_score, scores = result
        search = fitted(GridSearchCV(DecisionTreeClassifier(random_state=0), {"max_depth": list(depths)}, cv=cv),
                        X, y)
        expect(isinstance(scores, dict), "scores must be a dict {depth: mean CV accuracy}.")
        expect_equal(sorted(scores), sorted(depths), f"the depths in scores ({label})")
        expect_close([scores[d] for d in depths], search.cv_results_["mean_test_score"],
                     f"mean CV accuracy per depth ({label})")
        expect_equal(best_depth, search.best_params_["max_depth"], f"best depth ({label})")
        expect_close(best_score, search.best_score_, f"best CV accuracy ({label})")


# -- 4. a from-scratch grid search ---------------------------------------------------


def public_grid_search_cases() -> list[Case]:
    X, y = _breast_cancer(300)
    grid = {"max_depth": [2, 4, None], "min_samples_leaf": [1, 10]}
    return [("a decision tree, 3 x 2 grid", (DecisionTreeClassifier(random_state=0), grid, X, y,
                                             StratifiedKFold(4, shuffle=True, random_state=1)), None)]


@check
def check_grid_search(grid_search: Callable, cases: Sequence[Case] | None = None,
                      oracle: Callable | None = None) -> None:
    """``grid_search(estimator, param_grid, X, y, cv)`` agrees with ``GridSearchCV``.

    Every combination must appear once in the results table, with the same mean
    CV score as GridSearchCV on the same folds; the best parameters must reach the
    best score. ``oracle``, when given, is another implementation to agree with.
    """
    for label, args, _ in cases or public_grid_search_cases():
        estimator, grid, X, y, cv = args
        result = grid_search(clone(estimator), grid, X, y, cv)
        expect(isinstance(result, tuple) and len(result) == 3,
               "grid_search must return a tuple (best_params, best_score, results).")
        best_params, best_score, table = result
        expect(isinstance(best_params, dict), "best_params must be a dict.")
        expect(isinstance(table, pd.DataFrame), "results must be a pandas DataFrame.")
        n_combos = int(np.prod([len(v) for v in grid.values()]))
        expect_equal(len(table), n_combos, f"rows in the results table ({label}): one per combination")
        for column in [*grid, "mean_score"]:
            expect(column in table.columns, f"the results table needs a column {column!r}.")
        search = fitted(GridSearchCV(clone(estimator), grid, cv=cv), X, y)
        sk = {_key(p): s for p, s in zip(search.cv_results_["params"],
                                         search.cv_results_["mean_test_score"])}
        mine = {_key({k: row[k] for k in grid}): row["mean_score"] for _, row in table.iterrows()}
        expect_equal(sorted(mine, key=repr), sorted(sk, key=repr),
                     f"the combinations in your results table ({label})")
        for key, score in sk.items():
            expect_close(mine[key], score, f"mean CV score of {dict(key)} ({label})")
        expect_close(best_score, search.best_score_, f"best score ({label})")
        expect_close(sk.get(_key(best_params), np.nan), search.best_score_,
                     f"score of your best_params {best_params} ({label})")
        if oracle is not None:
            ref_params, ref_score, _ = oracle(clone(estimator), grid, X, y, cv)
            expect_equal(_key(best_params), _key(ref_params), f"best parameters ({label})")


def _key(params: dict) -> tuple:
    """A hashable, comparable key for a parameter combination (NaN/None safe)."""
    out = []
    for name in sorted(params):
        value = params[name]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            value = None
        elif isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out.append((name, value))
    return tuple(out)


# -- 5. counting fits ------------------------------------------------------------------


def public_count_fits_cases() -> list[Case]:
    three = {"n_estimators": [50, 100, 200], "max_depth": [5, 10, 15], "min_samples_leaf": [1, 2, 5]}
    five = {**three, "max_features": [0.2, 0.4, 0.6, 0.8, 1.0], "min_samples_split": [2, 4, 8, 16, 32]}
    return [("the lecture's 3 x 3 x 3 grid, 5 folds", (three, 5), 135),
            ("plus two parameters of 5 values, 5 folds", (five, 5), 3375)]


@check
def check_count_fits(count_fits: Callable, cases: Sequence[Case] | None = None) -> None:
    """``count_fits(param_grid, n_folds)`` returns combinations x folds."""
    for label, args, expected in cases or public_count_fits_cases():
        expect_equal(count_fits(*args), expected, f"model fits for {label}")


# -- 6. GridSearchCV the sklearn way ---------------------------------------------------


def public_tune_cases() -> list[Case]:
    X, y = _breast_cancer(200)
    grid = {"n_estimators": [5, 10], "max_depth": [2, None]}
    return [("a 2 x 2 random-forest grid, 3 folds", (X, y, grid, StratifiedKFold(3, shuffle=True,
                                                                               random_state=0)), None)]


@check
def check_tune_random_forest(tune_random_forest: Callable, cases: Sequence[Case] | None = None) -> None:
    """``tune_random_forest(X, y, param_grid, cv)`` returns a fitted ``GridSearchCV``."""
    from sklearn.ensemble import RandomForestClassifier

    for label, args, _ in cases or public_tune_cases():
        X, y, grid, cv = args
        search = tune_random_forest(X, y, grid, cv)
        expect(isinstance(search, GridSearchCV), "tune_random_forest must return a GridSearchCV.")
        expect(hasattr(search, "best_score_"), "the GridSearchCV must be fitted (call .fit(X, y)).")
        expect_equal(search.n_jobs, -1, "n_jobs (use all cores)")
        expect(isinstance(search.estimator, RandomForestClassifier),
               "the estimator must be a RandomForestClassifier.")
        expect_equal(search.estimator.random_state, 0, "random_state of the forest")
        want = fitted(GridSearchCV(RandomForestClassifier(random_state=0), grid, cv=cv), X, y)
        expect_close(search.cv_results_["mean_test_score"], want.cv_results_["mean_test_score"],
                     f"mean test scores ({label})")


def _fitted_search(grid: dict, n: int = 200, seed: int = 0) -> GridSearchCV:
    X, y = _breast_cancer(n)
    return GridSearchCV(DecisionTreeClassifier(random_state=0), grid,
                        cv=StratifiedKFold(3, shuffle=True, random_state=seed)).fit(X, y)


def public_results_table_cases() -> list[Case]:
    return [("a fitted 3 x 2 tree search",
             (_fitted_search({"max_depth": [1, 3, None], "min_samples_leaf": [1, 20]}),), None)]


@check
def check_results_table(results_table: Callable, cases: Sequence[Case] | None = None) -> None:
    """``results_table(search)`` is ``cv_results_`` as a DataFrame sorted by rank."""
    for label, (search,), _ in cases or public_results_table_cases():
        table = results_table(search)
        expect(isinstance(table, pd.DataFrame), "results_table must return a pandas DataFrame.")
        params = sorted(search.param_grid)
        for column in [*params, "mean_test_score", "std_test_score", "rank_test_score"]:
            expect(column in table.columns, f"the table needs a column {column!r} ({label}).")
        expect_equal(len(table), len(search.cv_results_["params"]), f"rows ({label})")
        expect(table["rank_test_score"].is_monotonic_increasing,
               f"rows must be sorted by rank_test_score, best first ({label}).")
        expect_close(table["mean_test_score"].to_numpy(),
                     np.sort(search.cv_results_["mean_test_score"])[::-1],
                     f"mean_test_score column, best first ({label})")


def public_score_matrix_cases() -> list[Case]:
    search = _fitted_search({"max_depth": [1, 3, 8], "min_samples_leaf": [1, 20],
                             "criterion": ["gini", "entropy"]})
    table = pd.DataFrame(search.cv_results_["params"])
    table["mean_test_score"] = search.cv_results_["mean_test_score"]
    return [("a 3 x 2 x 2 tree search", (table, "max_depth", "min_samples_leaf"), None)]


@check
def check_score_matrix(score_matrix: Callable, cases: Sequence[Case] | None = None) -> None:
    """``score_matrix(table, row, col)``: best mean_test_score for each (row, col) pair."""
    for label, args, _ in cases or public_score_matrix_cases():
        table, row, col = args
        matrix = score_matrix(table.copy(), row, col)
        expect(isinstance(matrix, pd.DataFrame), "score_matrix must return a pandas DataFrame.")
        rows = table[row].drop_duplicates().tolist()
        cols = table[col].drop_duplicates().tolist()
        expect_equal(matrix.shape, (len(rows), len(cols)),
                     f"shape: one row per {row}, one column per {col} ({label})")
        for r, c in itertools.product(rows, cols):
            mask = (table[row] == r) & (table[col] == c)
            want = table.loc[mask, "mean_test_score"].max()
            try:
                got = matrix.loc[r, c]
            except KeyError:
                raise CheckFailed(f"no cell for {row}={r!r}, {col}={c!r} ({label}).") from None
            expect_close(got, want, f"cell {row}={r!r}, {col}={c!r}: the best score over the "
                                    f"other parameters ({label})")
