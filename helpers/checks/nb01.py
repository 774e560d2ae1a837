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
from sklearn.base import BaseEstimator, ClassifierMixin, clone
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


class Knobs(ClassifierMixin, BaseEstimator):
    """A stand-in classifier for ties, on :func:`knobs_data` and folds of 4 consecutive samples.

    With ``d = |a + b + c - target|`` it gets ``d`` of every 4 samples wrong, so its accuracy
    on every fold is exactly ``1 - d / 4`` (whether scored by ``score`` or by ``"accuracy"``),
    and several combinations of a grid over ``a``, ``b`` and ``c`` tie for the best.
    """

    def __init__(self, a: int = 0, b: int = 0, c: int = 0, target: int = 0) -> None:
        self.a, self.b, self.c, self.target = a, b, c, target

    def fit(self, X: Any, y: Any = None) -> Knobs:
        self.classes_ = np.array([0, 1])
        return self

    def predict(self, X: Any) -> np.ndarray:
        x = np.asarray(X, dtype=float)[:, 0].astype(int)
        wrong = x % 4 < min(abs(self.a + self.b + self.c - self.target), 4)
        return np.where(wrong, 1 - x % 2, x % 2)


def knobs_data(n: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Data for :class:`Knobs`: x = 0, 1, ..., n - 1 and the label x % 2; use ``KFold(n // 4)``."""
    x = np.arange(n)
    return x.reshape(-1, 1).astype(float), x % 2


def public_grid_search_cases() -> list[Case]:
    X, y = _breast_cancer(300)
    grid = {"max_depth": [2, 4, None], "min_samples_leaf": [1, 10]}
    Xk, yk = knobs_data()
    # b + a = 4 ties three times; itertools.product (b outer) meets (b=1, a=3) first, while
    # GridSearchCV, which sorts the names (a outer), would keep (a=1, b=3).
    ties = {"b": [1, 2, 3], "a": [1, 2, 3]}
    return [("a decision tree, 3 x 2 grid", (DecisionTreeClassifier(random_state=0), grid, X, y,
                                             StratifiedKFold(4, shuffle=True, random_state=1)), None),
            ("a stand-in model with accuracy 1 - |a + b - 4| / 4: three combinations tie for the best",
             (Knobs(target=4), ties, Xk, yk, KFold(3)), None)]


@check
def check_grid_search(grid_search: Callable, cases: Sequence[Case] | None = None,
                      oracle: Callable | None = None) -> None:
    """``grid_search(estimator, param_grid, X, y, cv)`` agrees with ``GridSearchCV``.

    Every combination must appear once in the results table, with the same mean
    CV score as GridSearchCV on the same folds; the best parameters must reach the
    best score and, on a tie, be the first of the tied combinations in
    ``itertools.product`` order (judged on the scores of your own table). Row order
    and index of the table do not matter; ``NaN`` reads as ``None`` and ``4.0`` as ``4``.
    ``oracle``, when given, is another implementation whose best score to agree with.
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
        # Ties, on your own numbers: the first combination in itertools.product order with your top score.
        top = max(mine.values())
        first = next(dict(zip(grid, values)) for values in itertools.product(*grid.values())
                     if mine[_key(dict(zip(grid, values)))] == top)
        expect(_key(best_params) == _key(first),
               f"best_params ({label}): several combinations tie for the best score {top:.6g}; keep the first "
               f"one in itertools.product order, {first}, not {best_params} (update the best only on a "
               "strictly higher score).")
        if oracle is not None:
            _, ref_score, _ = oracle(clone(estimator), grid, X, y, cv)
            expect_close(best_score, ref_score, f"best score against the reference ({label})")


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
    """``results_table(search)`` is ``cv_results_`` as a DataFrame sorted by rank.

    Every row must hold one candidate's hyperparameters with its own scores and rank
    (``NaN`` reads as ``None``, ``4.0`` as ``4``); rows of equal rank may come in any
    order, and the index does not matter.
    """
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
        cv = search.cv_results_
        want = {_key(p): (m, s, r) for p, m, s, r in zip(cv["params"], cv["mean_test_score"],
                                                         cv["std_test_score"], cv["rank_test_score"])}
        mine = {_key({name: row[name] for name in params}):
                (row["mean_test_score"], row["std_test_score"], row["rank_test_score"])
                for _, row in table.iterrows()}
        expect_equal(sorted(mine, key=repr), sorted(want, key=repr),
                     f"the hyperparameter values of your rows, one row per candidate ({label})")
        for key, (mean, std, rank) in want.items():
            expect_close(mine[key], [mean, std, rank],
                         f"mean_test_score, std_test_score and rank_test_score of {dict(key)} ({label})")


def _table_of(search: GridSearchCV) -> pd.DataFrame:
    table = pd.DataFrame(search.cv_results_["params"])
    table["mean_test_score"] = search.cv_results_["mean_test_score"]
    return table


def public_score_matrix_cases() -> list[Case]:
    table = _table_of(_fitted_search({"max_depth": [1, 3, 8], "min_samples_leaf": [1, 20],
                                      "criterion": ["gini", "entropy"]}))
    unlimited = _table_of(_fitted_search({"max_depth": [2, None], "min_samples_leaf": [1, 5],
                                          "criterion": ["gini", "entropy"]}))
    return [("a 3 x 2 x 2 tree search", (table, "max_depth", "min_samples_leaf"), None),
            ("max_depth None (NaN in the table) as a row", (unlimited, "max_depth", "criterion"), None),
            ("max_depth None (NaN in the table) as a column", (unlimited, "min_samples_leaf", "max_depth"), None)]


def _missing(value: Any) -> bool:
    """``None`` or NaN: how pandas shows a hyperparameter that was ``None``."""
    return value is None or (isinstance(value, (float, np.floating)) and bool(np.isnan(value)))


def _same_label(a: Any, b: Any) -> bool:
    """Equal labels: ``None`` and NaN alike, numbers by value (``4.0`` is ``4``), the rest exactly."""
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    a, b = (v.item() if isinstance(v, np.generic) else v for v in (a, b))
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b)):
        return a == b
    return type(a) is type(b) and a == b


def _matching(values: pd.Series, value: Any) -> pd.Series:
    return values.isna() if _missing(value) else values == value


def _position(labels: pd.Index, value: Any, axis: str, name: str, label: str) -> int:
    hits = [i for i, x in enumerate(labels) if _same_label(x, value)]
    if len(hits) == 1:
        return hits[0]
    hint = ""
    if not hits and _missing(value):
        hint = (": a None value (NaN in the table) needs its own row or column too; pivot_table and groupby "
                "drop NaN keys unless you pass dropna=False")
    raise CheckFailed(f"{'no' if not hits else 'more than one'} {axis} for {name}={value!r} ({label}){hint}.")


def matrix_cell(matrix: pd.DataFrame, r: Any, c: Any, row: str, col: str, label: str) -> Any:
    """The cell of ``matrix`` labelled ``(r, c)``, in any order; ``None`` and NaN are the same label."""
    return matrix.iloc[_position(matrix.index, r, "row", row, label),
                       _position(matrix.columns, c, "column", col, label)]


@check
def check_score_matrix(score_matrix: Callable, cases: Sequence[Case] | None = None) -> None:
    """``score_matrix(table, row, col)``: best mean_test_score for each (row, col) pair.

    Compared by label, in any order; a ``None`` value (NaN in the table) has its own
    row or column, labelled NaN or ``None``.
    """
    for label, args, _ in cases or public_score_matrix_cases():
        table, row, col = args
        matrix = score_matrix(table.copy(), row, col)
        expect(isinstance(matrix, pd.DataFrame), "score_matrix must return a pandas DataFrame.")
        rows = table[row].drop_duplicates().tolist()
        cols = table[col].drop_duplicates().tolist()
        for r, c in itertools.product(rows, cols):
            mask = _matching(table[row], r) & _matching(table[col], c)
            want = table.loc[mask, "mean_test_score"].max()
            got = matrix_cell(matrix, r, c, row, col, label)
            expect_close(got, want, f"cell {row}={r!r}, {col}={c!r}: the best score over the "
                                    f"other parameters ({label})")
        expect_equal(matrix.shape, (len(rows), len(cols)),
                     f"shape: one row per {row}, one column per {col} ({label})")
