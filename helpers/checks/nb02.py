"""Public checks for notebook 02, grid search vs random search.

Each ``check_*`` takes the student's function first. ``cases`` (and for some
checks ``oracle``) default to the public inputs; the hidden checks in
``autograde.checks.nb02`` call these same functions with unseen inputs and the
reference solution as the oracle.

Where the answer *is* the exercise (a seeded sampling protocol), the public
cases carry numbers computed once with the reference solution instead of an
oracle that would give the code away; ``tests/test_nb02_public_constants.py``
proves that every such number still equals what the reference computes. The
public checks hold no re-implementation of an exercise: they use properties,
scikit-learn, and expectations written differently from the reference; the
hidden checks compare with the reference itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from joblib import parallel_config
from scipy.stats import loguniform, randint, uniform
from sklearn.base import clone
from sklearn.model_selection import (
    GridSearchCV,
    ParameterGrid,
    RandomizedSearchCV,
    StratifiedKFold,
)
from sklearn.tree import DecisionTreeClassifier

from helpers.checks.core import CheckFailed, check, expect, expect_close, expect_equal, fitted
from helpers.data import load_dataset

Case = tuple[str, tuple, Any]  # (label, arguments, expected or None)


def _breast_cancer(n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    X, y = load_dataset("breast_cancer")
    return X[:n], y[:n]


def _is_distribution(values: Any) -> bool:
    return hasattr(values, "rvs")


def _plain(value: Any) -> Any:
    """A NumPy scalar as a plain Python value."""
    return value.item() if isinstance(value, np.generic) else value


def expect_same_samples(got: Any, want: Sequence[dict], what: str) -> None:
    """Fail unless two lists of parameter dicts agree (numbers to 1e-12, the rest exactly)."""
    expect(isinstance(got, (list, tuple)), f"{what}: expected a list of dicts, got {type(got).__name__}.")
    expect_equal(len(got), len(want), f"{what}: number of samples")
    for i, (g, w) in enumerate(zip(got, want)):
        expect(isinstance(g, dict), f"{what}: sample {i} must be a dict, got {type(g).__name__}.")
        expect_equal(sorted(g), sorted(w), f"{what}: parameter names of sample {i}")
        for name, expected in w.items():
            value, expected = _plain(g[name]), _plain(expected)
            label = f"{what}: sample {i}, {name!r}"
            numeric = isinstance(expected, (int, float)) and not isinstance(expected, bool)
            if numeric and isinstance(value, (int, float)) and not isinstance(value, bool):
                expect_close(value, expected, label, rtol=1e-12, atol=0.0)
            else:
                expect_equal(value, expected, label)


def _expect_in_space(samples: Sequence[dict], space: dict, what: str) -> None:
    """Every sampled value lies in its list or in its distribution's range."""
    for i, params in enumerate(samples):
        for name, allowed in space.items():
            value = _plain(params[name])
            if _is_distribution(allowed):
                low, high = allowed.support()
                expect(isinstance(value, (int, float)) and low <= value <= high,
                       f"{what}: sample {i} has {name}={value!r}, outside the distribution's range "
                       f"[{low}, {high}].")
            else:
                expect(any(_same_value(value, v) for v in allowed),
                       f"{what}: sample {i} has {name}={value!r}, which is not in the list {list(allowed)}.")


def _same_value(a: Any, b: Any) -> bool:
    """Equal as values: numbers by value (not bools), everything else also by type."""
    a, b = _plain(a), _plain(b)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b)):
        return a == b
    return type(a) is type(b) and a == b


# -- 1. a narrow peak in 1-D -------------------------------------------------------------


def public_narrow_peak(x: Any) -> np.ndarray:
    """The notebook's narrow peak: a broad bump at 0.25 and a narrow, higher peak at 0.61."""
    x = np.asarray(x, dtype=float)
    return 0.6 * np.exp(-((x - 0.25) / 0.2) ** 2) + np.exp(-((x - 0.61) / 0.02) ** 2)


def _identity(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


class Peak:
    """A 1-D objective made of data, so it can be sent to another process: a broad bump plus a peak.

    ``Peak(centre, width, height)(x) = 0.5 exp(-((x - 0.8) / 0.25)^2) + height exp(-((x - centre) / width)^2)``;
    ``Peak(slope=-1, offset=1)`` is the line ``1 - x`` instead.
    """

    def __init__(self, centre: float = 0.5, width: float = 0.1, height: float = 1.0,
                 slope: float | None = None, offset: float = 0.0) -> None:
        self.centre, self.width, self.height, self.slope, self.offset = centre, width, height, slope, offset

    def __call__(self, x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self.slope is not None:
            return self.offset + self.slope * x
        return 0.5 * np.exp(-((x - 0.8) / 0.25) ** 2) + self.height * np.exp(-((x - self.centre) / self.width) ** 2)


def public_peak_cases() -> list[Case]:
    """f(x) = x and the notebook's narrow peak; numbers from the reference solution."""
    return [
        ("f(x) = x, budget 5, seeds 0-2", (_identity, 5, list(range(3))),
         {"grid": 1.0, "random": 0.8593198920401628}),
        ("the narrow peak, budget 15, seeds 0-49", (public_narrow_peak, 15, list(range(50))),
         {"grid": 0.5811691788617827, "random": 0.6949680967442791}),
    ]


@check
def check_peak_search_1d(peak_search_1d: Callable, cases: Sequence[Case] | None = None) -> None:
    """``peak_search_1d(f, budget, seeds)``: best value of a grid and mean best of seeded random runs."""
    for label, args, expected in cases or public_peak_cases():
        got = peak_search_1d(*args)
        expect(isinstance(got, dict) and set(got) == {"grid", "random"},
               f"peak_search_1d must return a dict with the keys 'grid' and 'random' ({label}).")
        for key in ("grid", "random"):
            expect(isinstance(got[key], (float, np.floating)),
                   f"peak_search_1d(...)[{key!r}] must be a float, got {type(got[key]).__name__} ({label}).")
        expect_close(got["grid"], expected["grid"],
                     f"best value found by the grid np.linspace(0, 1, budget) ({label})", rtol=1e-9)
        expect_close(got["random"], expected["random"],
                     f"best value found by random search, averaged over the seeds ({label})", rtol=1e-9)
        again = peak_search_1d(*args)
        expect_close(again["random"], got["random"],
                     f"a second call with the same seeds must give the same result ({label})")


# -- 2. grid and random layouts in 2-D --------------------------------------------------


def _expected_layouts(budget: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The two layouts as arrays, built another way than the exercise describes.

    The grid: the cell centres ``(2i + 1) / 2k``, ``important`` repeated ``k`` times
    each (outer loop) next to ``unimportant`` tiled ``k`` times (inner loop); the
    random layout: the generator's ``random`` stream, which ``uniform(size=...)``
    on [0, 1) also draws.
    """
    k = math.isqrt(budget)
    centres = (2 * np.arange(k) + 1) / (2 * k)
    grid = np.column_stack([np.repeat(centres, k), np.tile(centres, k)])
    return grid, np.random.default_rng(seed).random((budget, 2))


def public_layout_cases() -> list[Case]:
    return [("the lecture's budget of 25, seed 0", (25, 0), None)]


@check
def check_sample_layouts(sample_layouts: Callable, cases: Sequence[Case] | None = None,
                         oracle: Callable | None = None) -> None:
    """``sample_layouts(budget, seed)`` returns the grid and random layouts as DataFrames.

    ``oracle``, when given, is the reference function to agree with; otherwise
    the layouts are built another way (``_expected_layouts``).
    """
    for label, args, _ in cases or public_layout_cases():
        budget, seed = args
        result = sample_layouts(*args)
        expect(isinstance(result, tuple) and len(result) == 2,
               "sample_layouts must return a tuple (grid, random).")
        if oracle is None:
            want = _expected_layouts(*args)
        else:
            want = tuple(layout.to_numpy(dtype=float) for layout in oracle(*args))
        for name, got in zip(["grid", "random"], result):
            expect(isinstance(got, pd.DataFrame), f"the {name} layout must be a pandas DataFrame.")
            expect_equal(list(got.columns), ["important", "unimportant"], f"columns of the {name} layout")
            expect_equal(len(got), budget, f"rows of the {name} layout ({label})")
        k = math.isqrt(budget)
        grid = result[0]
        expect_close(np.sort(grid["important"].unique()), (np.arange(k) + 0.5) / k,
                     f"the grid's values of 'important' ({label}): the centres (np.arange(k) + 0.5) / k")
        expect_close(grid.to_numpy(dtype=float), want[0],
                     f"the grid rows in itertools.product order, 'important' as the outer loop ({label})")
        expect_close(result[1].to_numpy(dtype=float), want[1],
                     f"the random layout: np.random.default_rng(seed).uniform(size=(budget, 2)) ({label})")


# -- 3. counting distinct values ----------------------------------------------------------


def public_count_distinct_cases() -> list[Case]:
    grid, rand = (pd.DataFrame(layout, columns=["important", "unimportant"]) for layout in _expected_layouts(25, 0))
    dicts = [{"C": 1.0, "kernel": "rbf"}, {"C": 1.0, "kernel": "poly"}, {"C": 10.0, "kernel": "rbf"},
             {"C": 100.0, "kernel": "rbf"}]
    depths = [{"max_depth": d, "min_samples_leaf": m} for d in [3, None, 10] for m in [1, 5]]
    return [
        ("the 5 x 5 grid, 'important'", (grid, "important"), 5),
        ("25 random points, 'important'", (rand, "important"), 25),
        ("a list of parameter dicts, 'C'", (dicts, "C"), 3),
        ("a list of parameter dicts, 'kernel'", (dicts, "kernel"), 2),
        ("parameter dicts with max_depth 3, None and 10 (None is a value too)", (depths, "max_depth"), 3),
        ("the same as a DataFrame (None is NaN there)", (pd.DataFrame(depths), "max_depth"), 3),
    ]


@check
def check_count_distinct(count_distinct: Callable, cases: Sequence[Case] | None = None) -> None:
    """``count_distinct(samples, name)`` counts the distinct values of one hyperparameter."""
    for label, args, expected in cases or public_count_distinct_cases():
        samples, name = args
        copy = samples.copy() if isinstance(samples, pd.DataFrame) else [dict(d) for d in samples]
        got = count_distinct(copy, name)
        expect(isinstance(got, (int, np.integer)) and not isinstance(got, bool),
               f"count_distinct must return an int, got {type(got).__name__} ({label}).")
        values = samples[name] if isinstance(samples, pd.DataFrame) else pd.Series([d[name] for d in samples])
        hint = ""
        if values.isna().any():
            hint = ("; None (NaN in a DataFrame) counts once: nunique() skips it unless dropna=False, "
                    "and a set counts every NaN apart")
        expect_equal(got, expected, f"distinct values of {name!r} in {label}{hint}")


# -- 4. best-so-far curves ----------------------------------------------------------------


def public_best_so_far_cases() -> list[Case]:
    return [
        ("the list [0.2, 0.5, 0.3, 0.7, 0.6]", ([0.2, 0.5, 0.3, 0.7, 0.6],), [0.2, 0.5, 0.5, 0.7, 0.7]),
        ("two runs as rows", (np.array([[0.1, 0.4, 0.2], [0.9, 0.3, 0.95]]),),
         [[0.1, 0.4, 0.4], [0.9, 0.9, 0.95]]),
    ]


@check
def check_best_so_far(best_so_far: Callable, cases: Sequence[Case] | None = None) -> None:
    """``best_so_far(scores)`` is the running maximum along the last axis."""
    for label, (scores,), expected in cases or public_best_so_far_cases():
        got = best_so_far(scores.copy() if isinstance(scores, np.ndarray) else list(scores))
        expect(isinstance(got, np.ndarray), f"best_so_far must return a NumPy array ({label}).")
        expect_equal(got.shape, np.shape(expected), f"shape of best_so_far ({label})")
        expect_close(got, expected, f"best score so far after each trial ({label})")


# -- 5. seeded sampling from a search space -----------------------------------------------


def public_space() -> dict:
    """The lecture's kind of space: integers, a fraction, a learning rate and a list."""
    return {"n_estimators": randint(50, 500), "max_depth": randint(3, 30), "max_features": uniform(0.1, 0.8),
            "learning_rate": loguniform(1e-3, 1.0), "criterion": ["gini", "entropy", "log_loss"]}


#: ``sample_params(public_space(), 5, 0)`` of the reference solution.
PUBLIC_SAMPLES = [
    {"n_estimators": 432, "max_depth": 20, "max_features": 0.31582937101109626,
     "learning_rate": 0.0013271517125308802, "criterion": "gini"},
    {"n_estimators": 57, "max_depth": 7, "max_features": 0.8302044618221774,
     "learning_rate": 0.06605524798050313, "criterion": "log_loss"},
    {"n_estimators": 486, "max_depth": 22, "max_features": 0.5348999931723383,
     "learning_rate": 0.6385828802382952, "criterion": "gini"},
    {"n_estimators": 417, "max_depth": 21, "max_features": 0.7859234212700555,
     "learning_rate": 0.0012611209081195612, "criterion": "gini"},
    {"n_estimators": 394, "max_depth": 22, "max_features": 0.2405244964820472,
     "learning_rate": 0.3886303977238022, "criterion": "gini"},
]


def public_sample_cases() -> list[Case]:
    return [("a five-parameter space, 5 samples, seed 0", (public_space(), 5, 0), PUBLIC_SAMPLES)]


@check
def check_sample_params(sample_params: Callable, cases: Sequence[Case] | None = None) -> None:
    """``sample_params(space, n_iter, seed)`` follows the seeded protocol exactly.

    Same seed twice gives the same samples, another seed different ones, every
    value lies in its list or range, and the samples equal the expected ones.
    """
    for label, (space, n_iter, seed), expected in cases or public_sample_cases():
        got = sample_params(space, n_iter, seed)
        expect(isinstance(got, list), f"sample_params must return a list of dicts, got {type(got).__name__}.")
        expect_equal(len(got), n_iter, f"number of samples ({label})")
        expect(all(isinstance(p, dict) for p in got), "every sample must be a dict {name: value}.")
        for params in got:
            expect_equal(sorted(params), sorted(space), f"parameter names of each sample ({label})")
        _expect_in_space(got, space, label)
        again = sample_params(space, n_iter, seed)
        expect_same_samples(again, got, f"same seed, same result: a second call with seed {seed} ({label}) "
                                        "differs; create one generator from the seed")
        if any(_is_distribution(v) for v in space.values()):
            other = sample_params(space, n_iter, seed + 1)
            try:
                expect_same_samples(other, got, "")
            except CheckFailed:
                pass
            else:
                raise CheckFailed(f"seeds {seed} and {seed + 1} gave the same samples ({label}): "
                                  "the seed must be used.")
        expect_same_samples(got, expected, f"samples drawn with the protocol ({label})")


# -- 6. random search from scratch --------------------------------------------------------


def public_random_search_space() -> dict:
    return {"max_depth": randint(1, 8), "min_samples_leaf": randint(1, 30), "criterion": ["gini", "entropy"]}


#: ``sample_params(public_random_search_space(), 6, 7)`` of the reference solution.
PUBLIC_TREE_SAMPLES = [
    {"max_depth": 7, "min_samples_leaf": 19, "criterion": "entropy"},
    {"max_depth": 7, "min_samples_leaf": 17, "criterion": "entropy"},
    {"max_depth": 6, "min_samples_leaf": 7, "criterion": "gini"},
    {"max_depth": 3, "min_samples_leaf": 9, "criterion": "entropy"},
    {"max_depth": 7, "min_samples_leaf": 1, "criterion": "gini"},
    {"max_depth": 6, "min_samples_leaf": 4, "criterion": "entropy"},
]


def public_random_search_cases() -> list[Case]:
    X, y = _breast_cancer(250)
    return [("a decision tree on breast cancer, 6 candidates, seed 7",
             (DecisionTreeClassifier(random_state=0), public_random_search_space(), X, y,
              StratifiedKFold(3, shuffle=True, random_state=0), 6, 7), PUBLIC_TREE_SAMPLES)]


def _table_params(table: pd.DataFrame, names: Sequence[str]) -> list[dict]:
    return [{name: _plain(value) for name, value in zip(names, row)}
            for row in table[list(names)].itertuples(index=False)]


@check
def check_random_search(random_search: Callable, cases: Sequence[Case] | None = None,
                        oracle: Callable | None = None, compare_sklearn: bool = True) -> None:
    """``random_search(...)`` evaluates its samples in order and keeps the best.

    Every row's score is re-computed by scikit-learn on the same folds, the
    number of evaluations matches ``RandomizedSearchCV`` with the same budget,
    the same seed gives the same table, and the candidates equal the expected
    samples. ``oracle``, when given, is the reference search to agree with;
    ``compare_sklearn=False`` skips the RandomizedSearchCV run (the hidden check
    has already seen it in the public one).
    """
    for label, args, expected in cases or public_random_search_cases():
        estimator, space, X, y, cv, n_iter, seed = args
        result = random_search(clone(estimator), space, X, y, cv, n_iter, seed)
        expect(isinstance(result, tuple) and len(result) == 3,
               "random_search must return a tuple (best_params, best_score, results).")
        best_params, best_score, table = result
        expect(isinstance(best_params, dict), "best_params must be a dict.")
        expect(isinstance(table, pd.DataFrame), "results must be a pandas DataFrame.")
        for column in [*space, "mean_score", "std_score"]:
            expect(column in table.columns, f"the results table needs a column {column!r} ({label}).")
        if compare_sklearn:
            sk_random = fitted(RandomizedSearchCV(clone(estimator), space, n_iter=n_iter, cv=cv,
                                                  random_state=seed), X, y)
            expect_equal(len(table), len(sk_random.cv_results_["params"]),
                         f"evaluations ({label}): RandomizedSearchCV with n_iter={n_iter} evaluates this many")
        expect_equal(len(table), n_iter, f"evaluations ({label}): one row per candidate")
        tried = _table_params(table, list(space))
        _expect_in_space(tried, space, f"the candidates in your results table ({label})")
        # Re-score every row, in order, with scikit-learn on the same folds.
        rescored = fitted(GridSearchCV(clone(estimator), [{k: [v] for k, v in p.items()} for p in tried], cv=cv),
                          X, y)
        expect_close(table["mean_score"].to_numpy(dtype=float), rescored.cv_results_["mean_test_score"],
                     f"mean CV score of each row, re-computed with scikit-learn on the same folds ({label})")
        scores = table["mean_score"].to_numpy(dtype=float)
        first_best = int(np.argmax(scores))
        expect_close(best_score, scores[first_best], f"best_score: the highest mean score in the table ({label})")
        expect_same_samples([best_params], [tried[first_best]],
                            f"best_params: the candidate with the highest mean score, first one on a tie ({label})")
        again = random_search(clone(estimator), space, X, y, cv, n_iter, seed)[2]
        expect_same_samples(_table_params(again, list(space)), tried,
                            f"same seed, same result: a second run with seed {seed} tried other candidates ({label})")
        if expected is not None:
            expect_same_samples(tried, expected, f"the candidates, in evaluation order ({label})")
        if oracle is not None:
            ref_params, ref_score, _ = oracle(clone(estimator), space, X, y, cv, n_iter, seed)
            expect_same_samples([best_params], [ref_params], f"best parameters against the reference ({label})")
            expect_close(best_score, ref_score, f"best score against the reference ({label})")


# -- 7. log scale -------------------------------------------------------------------------


def public_scale_cases() -> list[Case]:
    """C in [0.001, 100]; the first values are those of the reference solution."""
    return [("C in [0.001, 100], 2000 samples, seed 0", (1e-3, 1e2, 2000, 0),
             {"uniform": [63.6965317704581, 26.979401589673266, 4.098311420095533],
              "log-uniform": [76.98486119945618, 0.001996210280193639, 38.86248141355895]})]


@check
def check_scale_samples(scale_samples: Callable, cases: Sequence[Case] | None = None) -> None:
    """``scale_samples(low, high, n, seed)``: uniform and log-uniform samples from one seeded generator.

    ``expected`` maps each key to the expected samples (all of them, or the
    first few); the ranges, medians and reproducibility are checked too.
    """
    for label, (low, high, n, seed), expected in cases or public_scale_cases():
        got = scale_samples(low, high, n, seed)
        expect(isinstance(got, dict) and set(got) == {"uniform", "log-uniform"},
               f"scale_samples must return a dict with the keys 'uniform' and 'log-uniform' ({label}).")
        again = scale_samples(low, high, n, seed)
        for key, median in [("uniform", (low + high) / 2), ("log-uniform", math.sqrt(low * high))]:
            try:
                values = np.asarray(got[key], dtype=float)
            except (TypeError, ValueError):
                raise CheckFailed(f"{key!r} must be an array of numbers ({label}).") from None
            expect_equal(values.shape, (n,), f"shape of the {key} samples ({label})")
            expect(bool(np.all((values >= low) & (values <= high))),
                   f"every {key} sample must lie in [{low}, {high}]; found {values.min():.4g} to "
                   f"{values.max():.4g} ({label}).")
            # The sample median is within a few standard errors of the distribution's median.
            spread = (np.log10(high) - np.log10(low)) if key == "log-uniform" else (high - low)
            centre = np.log10(np.median(values)) if key == "log-uniform" else np.median(values)
            target = np.log10(median) if key == "log-uniform" else median
            expect(abs(centre - target) <= 4 * spread / (2 * math.sqrt(n)),
                   f"the median of the {key} samples ({np.median(values):.4g}) should be close to "
                   f"{median:.4g} ({label}).")
            expect_close(np.asarray(again[key], dtype=float), values,
                         f"same seed, same result: a second call with seed {seed} gave other {key} samples "
                         f"({label})")
            want = np.asarray(expected[key], dtype=float)
            expect_close(values[: len(want)], want,
                         f"the {key} samples drawn as described, uniform first ({label})", rtol=1e-12)


def public_fraction_cases() -> list[Case]:
    return [
        ("uniform on [0, 1], threshold 0.25, 1000 samples, seed 0", (uniform(0, 1), 0.25, 1000, 0), 0.231),
        ("log-uniform C on [0.001, 100], threshold 0.1, 4000 samples, seed 1",
         (loguniform(1e-3, 1e2), 0.1, 4000, 1), 0.4055),
        ("uniform C on [0.001, 100], threshold 0.1, 4000 samples, seed 1",
         (uniform(1e-3, 1e2 - 1e-3), 0.1, 4000, 1), 0.00075),
        ("integers randint(1, 11), strictly below 4, 1000 samples, seed 2", (randint(1, 11), 4, 1000, 2), 0.301),
    ]


@check
def check_fraction_below(fraction_below: Callable, cases: Sequence[Case] | None = None) -> None:
    """``fraction_below(dist, threshold, n, seed)``: seeded fraction of samples below a threshold."""
    for label, args, expected in cases or public_fraction_cases():
        dist, threshold, n, _ = args
        got = fraction_below(*args)
        expect(isinstance(got, (float, np.floating)), f"fraction_below must return a float ({label}).")
        expect(0.0 <= got <= 1.0, f"a fraction lies between 0 and 1, got {got} ({label}).")
        exact = float(dist.cdf(np.nextafter(threshold, -np.inf)))  # P(X < threshold), also for integers
        tolerance = 4 * math.sqrt(max(exact * (1 - exact), 1e-4) / n)
        expect(abs(got - exact) <= tolerance,
               f"fraction below {threshold} ({label}): expected about {exact:.4f} (the exact probability), "
               f"got {got:.4f}.")
        expect_close(got, expected, f"fraction below {threshold} with the seeded generator ({label})", rtol=1e-12)


# -- 8. the same budget for GridSearchCV and RandomizedSearchCV --------------------------


def public_same_budget_cases() -> list[Case]:
    X, y = _breast_cancer(200)
    grid = {"max_depth": [1, 2, 4], "min_samples_leaf": [1, 10]}
    # Lists only: a search holding scipy distributions does not travel back from the
    # sandbox the independent re-grader runs student code in.
    space = {"max_depth": list(range(1, 10)), "min_samples_leaf": list(range(1, 30))}
    return [("a 3 x 2 tree grid and a wider random space, 3 folds",
             (DecisionTreeClassifier(random_state=0), grid, space,
              StratifiedKFold(3, shuffle=True, random_state=0), 0), (X, y))]


@check
def check_same_budget_searches(same_budget_searches: Callable, cases: Sequence[Case] | None = None) -> None:
    """``same_budget_searches(...)`` returns a GridSearchCV and a RandomizedSearchCV with the same budget."""
    for label, args, (X, y) in cases or public_same_budget_cases():
        estimator, grid, space, cv, random_state = args
        got = same_budget_searches(clone(estimator), grid, space, cv, random_state)
        expect(isinstance(got, dict) and set(got) == {"grid", "random"},
               "same_budget_searches must return a dict with the keys 'grid' and 'random'.")
        expect(isinstance(got["grid"], GridSearchCV), "'grid' must be a GridSearchCV.")
        expect(isinstance(got["random"], RandomizedSearchCV), "'random' must be a RandomizedSearchCV.")
        budget = len(ParameterGrid(grid))
        expect_equal(got["random"].n_iter, budget,
                     f"n_iter of the random search ({label}): the number of grid combinations")
        for key in ("grid", "random"):
            expect_equal(got[key].n_jobs, -1, f"n_jobs of the {key} search (use all cores)")
            expect(type(got[key].estimator) is type(estimator),
                   f"the {key} search must tune a {type(estimator).__name__}.")
        expect_equal(got["random"].random_state, random_state, f"random_state of the random search ({label})")
        want = {"grid": GridSearchCV(clone(estimator), grid, cv=cv),
                "random": RandomizedSearchCV(clone(estimator), space, random_state=random_state,
                                             n_iter=budget, cv=cv)}
        for key in ("grid", "random"):
            with parallel_config(backend="threading"):  # n_jobs=-1 without starting processes: fast checks
                search = got[key].fit(X, y)
            reference = fitted(want[key], X, y)
            expect_equal(len(search.cv_results_["params"]), budget, f"evaluations of the {key} search ({label})")
            expect_close(search.cv_results_["mean_test_score"], reference.cv_results_["mean_test_score"],
                         f"mean test scores of the {key} search on the same folds ({label})")


# -- 9. the comparison table ---------------------------------------------------------------


def _fitted_searches(seed: int = 0) -> dict:
    X, y = _breast_cancer(200)
    cv = StratifiedKFold(3, shuffle=True, random_state=seed)
    return {
        "grid": GridSearchCV(DecisionTreeClassifier(random_state=0),
                             {"max_depth": [1, 3], "min_samples_leaf": [1, 5, 20]}, cv=cv).fit(X, y),
        "random": RandomizedSearchCV(DecisionTreeClassifier(random_state=0),
                                     {"max_depth": randint(1, 10), "min_samples_leaf": randint(1, 40)},
                                     n_iter=6, cv=cv, random_state=seed).fit(X, y),
    }


def public_table_cases() -> list[Case]:
    return [("a fitted 2 x 3 tree grid and 6 random candidates",
             (_fitted_searches(), {"grid": 0.25, "random": 0.5}), None)]


@check
def check_budget_table(budget_table: Callable, cases: Sequence[Case] | None = None) -> None:
    """``budget_table(searches, seconds)``: best score, evaluations, distinct values and time per search.

    Every cell is compared with what the search's ``cv_results_`` says: the highest
    ``mean_test_score``, the number of scores, and the distinct entries of each
    ``param_<name>`` column.
    """
    for label, (searches, seconds), _ in cases or public_table_cases():
        table = budget_table(searches, dict(seconds))
        expect(isinstance(table, pd.DataFrame), "budget_table must return a pandas DataFrame.")
        expect_equal(list(table.index), list(searches), f"the rows: one per search, in order ({label})")
        names = list(searches[next(iter(searches))].cv_results_["params"][0])
        columns = ["best_score", "evaluations", *[f"distinct {n}" for n in names], "seconds"]
        for column in columns:
            expect(column in table.columns, f"the table needs a column {column!r} ({label}).")
        for key in searches:
            results = searches[key].cv_results_
            expect_close(table.loc[key, "best_score"], np.nanmax(results["mean_test_score"]),
                         f"best_score of {key!r} ({label}): the search's best_score_")
            expect_equal(int(table.loc[key, "evaluations"]), len(results["mean_test_score"]),
                         f"evaluations of {key!r} ({label}): candidates, not fits")
            for name in names:
                distinct = len(set(np.ma.getdata(results[f"param_{name}"]).tolist()))
                expect_equal(int(table.loc[key, f"distinct {name}"]), distinct,
                             f"distinct values of {name} explored by {key!r} ({label})")
            expect_close(table.loc[key, "seconds"], seconds[key], f"seconds of {key!r} ({label})")


# -- 10. the practical rule -------------------------------------------------------------------


def public_rule_cases() -> list[Case]:
    lecture_grid = {"n_estimators": [50, 100, 200], "max_depth": [5, 10, 15, None], "min_samples_leaf": [1, 2, 5]}
    lecture_random = {"n_estimators": randint(50, 500), "max_depth": randint(3, 30),
                      "min_samples_leaf": randint(1, 20), "max_features": uniform(0.1, 0.8)}
    return [
        ("the lecture's 3-parameter grid", (lecture_grid,), "grid"),
        ("the lecture's 4-parameter random-search space", (lecture_random,), "random"),
        ("C log-uniform and a kernel list", ({"C": loguniform(1e-3, 1e2), "kernel": ["rbf", "linear"]},), "random"),
        ("two lists", ({"C": [0.1, 1, 10], "kernel": ["rbf", "linear"]},), "grid"),
        ("a NumPy array, a tuple and a range (values too, like lists)",
         ({"C": np.logspace(-2, 2, 5), "kernel": ("rbf", "linear"), "degree": range(2, 5)},), "grid"),
    ]


@check
def check_recommend_strategy(recommend_strategy: Callable, cases: Sequence[Case] | None = None) -> None:
    """``recommend_strategy(space)``: grid for at most 3 listed hyperparameters, random otherwise."""
    for label, (space,), expected in cases or public_rule_cases():
        got = recommend_strategy(dict(space))
        expect(got in ("grid", "random"), f"recommend_strategy must return 'grid' or 'random', got {got!r}.")
        expect_equal(got, expected, f"strategy for {label}")
