"""Public checks for notebook 07, pipelines and data leakage.

Each ``check_*`` takes the student's function first. ``cases`` default to the public
inputs. On those, a check compares with properties of a correct answer, a direct
computation written another way (pandas, ``cross_validate``) or the values the
reference solution returns (the ``PUBLIC_*`` constants, which the course's tests
recompute from the reference). The hidden checks in ``autograde.checks.nb07`` call
these same functions with unseen inputs and the reference solution as ``oracle``.

While grading, the student's function runs in the student's own process and only
plain data comes back (:mod:`helpers.checks.wire`): a returned estimator is rebuilt
from its class, its parameters and its public fitted attributes, which is enough to
read its hyperparameters or to fit a fresh copy here, but not to predict with the
student's fitted model. What a check needs of the student's fitted model (its
predictions), of the objects it was given, or of two calls, is observed where the
function runs, by a *probe* (the ``probe_*`` functions below, run by
:func:`helpers.checks.core.probe`), and compared here with values the check computes itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import loguniform, randint, reciprocal, uniform
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_validate,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from helpers.checks.core import (
    CheckFailed,
    check,
    expect,
    expect_close,
    expect_equal,
    probe,
    probe_fields,
    remember,
)
from helpers.data import load_dataset

Case = tuple[str, tuple, Any]  # (label, arguments, expected or extra data)

#: The penguin columns the notebook uses.
PENGUIN_NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
PENGUIN_CATEGORICAL = ["island", "sex"]


def one_blas_thread(func: Callable[..., None]) -> Callable[..., None]:
    """Run a check with a single BLAS thread.

    The models in these checks are tiny; with two OpenBLAS threads on a busy two-core
    machine each fit spins for ~20x longer (measured: 28 ms instead of 1.4 ms of CPU
    per logistic regression). The limit is lifted when the check returns.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        with threadpool_limits(limits=1):
            func(*args, **kwargs)

    return wrapper


# -- shared data ---------------------------------------------------------------------------------


def noise_data(n: int = 60, p: int = 500, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A pure-noise classification problem: Gaussian features, balanced coin-flip labels.

    Parameters
    ----------
    n, p:
        Number of samples (even) and of features.
    seed:
        Seed of the NumPy generator.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = rng.permutation(np.repeat([0, 1], n // 2))
    return X, y


class FixedFolds:
    """A CV splitter over given ``(train, test)`` index pairs; rows in neither are never used."""

    def __init__(self, folds: list[tuple[np.ndarray, np.ndarray]]) -> None:
        self.folds = folds

    def split(self, X: Any = None, y: Any = None, groups: Any = None):
        """Yield the given ``(train, test)`` pairs."""
        yield from self.folds

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of folds."""
        return len(self.folds)


def trap_data(seed: int = 3, n: int = 60, m: int = 8,
              p: int = 200) -> tuple[np.ndarray, np.ndarray, FixedFolds]:
    """Weakly informative data plus ``m`` extreme "trap" rows that no fold ever uses.

    Returns ``X, y, folds`` where ``folds`` splits only the first ``n`` rows (a
    :class:`FixedFolds`, usable like any scikit-learn splitter). A pipeline refitted inside
    the folds never sees the trap rows; a scaler or selector fitted on all rows is
    dominated by them, so its fold scores differ.
    """
    rng = np.random.default_rng(seed)
    y = np.concatenate([rng.permutation(np.repeat([0, 1], n // 2)), np.repeat([0, 1], m // 2)])
    X = rng.normal(size=(n + m, p))
    X[:n, :5] += 1.0 * y[:n, None]
    X[n:] = rng.normal(size=(m, p)) * 1000 + 300
    X[n:, 5:15] += 3000 * y[n:, None]
    folds = list(StratifiedKFold(4, shuffle=True, random_state=seed).split(X[:n], y[:n]))
    return X, y, FixedFolds(folds)


def _n_splits(cv: Any) -> int:
    return cv.get_n_splits() if hasattr(cv, "get_n_splits") else len(cv)


def _fold_scores(got: Any, cv: Any, name: str) -> np.ndarray:
    """Check that ``got`` is one number per fold and return it as a float array."""
    try:
        scores = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{name} must return an array of fold accuracies, got {got!r}.") from None
    expect(scores.ndim == 1 and len(scores) == _n_splits(cv),
           f"{name} must return one accuracy per fold ({_n_splits(cv)}), got shape {scores.shape}.")
    return scores


def _expected(table: dict[str, Any], label: str, oracle: Callable | None, args: tuple) -> Any:
    """The reference's answer for a case: from ``oracle`` when given, else the public table (or None)."""
    return oracle(*args) if oracle is not None else table.get(label)


def _key(params: dict) -> tuple:
    """A hashable, comparable key for a parameter combination."""
    out = []
    for name in sorted(params):
        value = params[name]
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out.append((name, value))
    return tuple(out)


# -- probes: run where the student's function runs, return plain data ---------------------------


def probe_fresh_each_call(function: Callable, *args: Any) -> bool:
    """Whether two calls ``function(*args)`` return two different objects (runs in the student's process)."""
    return function(*args) is not function(*args)


def _is_fitted(estimator: Any) -> bool:
    try:
        check_is_fitted(estimator)
    except (NotFittedError, TypeError):
        return False
    return True


def _predictions(model: Any, X: Any) -> dict:
    """``{"proba": model.predict_proba(X), "predict": model.predict(X)}``, or ``{"error": why not}``."""
    try:
        return {"proba": np.asarray(model.predict_proba(X)), "predict": np.asarray(model.predict(X))}
    except Exception as error:  # noqa: BLE001 - reported to the check as data
        return {"error": f"{type(error).__name__}: {error}"}


def probe_retrain_and_test(retrain_and_test: Callable, estimator: Any, best_params: dict, X_train: Any,
                           y_train: Any, X_test: Any, y_test: Any) -> dict:
    """``retrain_and_test(given, best_params, ...)`` on a fresh clone ``given`` of ``estimator``; what it did.

    Runs in the student's process. Returns ``{"result", "given_is_model", "given_fitted",
    "given_params"}``: what the function returned, whether the model it returned is
    ``given`` itself, whether ``given`` is fitted afterwards and its ``best_params``
    entries afterwards; when the result is a pair, also ``"fitted"`` (whether the model
    is fitted) and ``"predictions"`` (:func:`_predictions` of the model on ``X_test``).
    """
    given = clone(estimator)
    result = retrain_and_test(given, dict(best_params), X_train, y_train, X_test, y_test)
    params = given.get_params()
    answer = {"result": result, "given_is_model": False, "given_fitted": _is_fitted(given),
              "given_params": {name: params.get(name) for name in best_params}}
    if isinstance(result, tuple) and len(result) == 2:
        model = result[0]
        answer.update(given_is_model=model is given, fitted=_is_fitted(model),
                      predictions=_predictions(model, X_test))
    return answer


# -- 1. the selection pipeline -------------------------------------------------------------------


def public_selection_pipeline_cases() -> list[Case]:
    return [("k=20", (20,), None), ('k="all" (scaling only)', ("all",), None)]


@check
@one_blas_thread
def check_selection_pipeline(selection_pipeline: Callable, cases: Sequence[Case] | None = None,
                             oracle: Callable | None = None) -> None:
    """``selection_pipeline(k)``: an unfitted scale -> SelectKBest(f_classif, k) -> logistic pipeline.

    ``oracle``, when given, is another implementation whose fitted predictions must agree.
    """
    for label, args, _ in cases or public_selection_pipeline_cases():
        (k,) = args
        pipe = selection_pipeline(k)
        expect(isinstance(pipe, Pipeline), f"selection_pipeline must return a Pipeline, got {type(pipe).__name__}.")
        expect_equal([name for name, _ in pipe.steps], ["scale", "select", "model"],
                     f"step names, in order ({label})")
        scale, select, model = (step for _, step in pipe.steps)
        expect(isinstance(scale, StandardScaler), "the 'scale' step must be a StandardScaler.")
        expect(isinstance(select, SelectKBest), "the 'select' step must be a SelectKBest.")
        expect(select.score_func is f_classif, "SelectKBest must score features with f_classif.")
        expect_equal(select.k, k, f"k of the SelectKBest step ({label})")
        expect(type(model) is LogisticRegression, "the 'model' step must be a LogisticRegression.")
        expect_equal(model.max_iter, 1000, "max_iter of the LogisticRegression")
        expect_equal(model.C, 1.0, "C of the LogisticRegression (keep the default)")
        expect(not hasattr(model, "coef_"), "selection_pipeline must return an unfitted pipeline.")
        expect(probe(selection_pipeline, probe_fresh_each_call, k) is True,
               "each call must build a new pipeline.")
        if oracle is not None:
            X, y = noise_data(40, 300, seed=5)
            got = pipe.fit(X, y).predict_proba(X)
            want = oracle(k).fit(X, y).predict_proba(X)
            expect_close(got, want, f"predicted probabilities of your fitted pipeline ({label})", rtol=1e-6)


# -- 2. and 3. leaky and honest cross-validation -------------------------------------------------


NOISE_LABEL = "noise, 60 x 500, k=20, 5 folds"
TRAP_LABEL = "data with extreme rows outside every fold (only a step fitted outside the pipeline sees them), k=8"

#: Fold accuracies of the reference solution on the public cases (12 or 15 test rows per fold).
PUBLIC_LEAKY_SCORES = {NOISE_LABEL: [11 / 12, 11 / 12, 11 / 12, 12 / 12, 10 / 12]}
PUBLIC_HONEST_SCORES = {NOISE_LABEL: [8 / 12, 7 / 12, 7 / 12, 5 / 12, 7 / 12],
                        TRAP_LABEL: [11 / 15, 14 / 15, 12 / 15, 14 / 15]}


def public_leakage_cases() -> list[Case]:
    X, y = noise_data(60, 500, seed=0)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    return [(NOISE_LABEL, (X, y, 20, cv), True)]


def public_honest_cases() -> list[Case]:
    Xt, yt, folds = trap_data(seed=1)
    return [*public_leakage_cases(), (TRAP_LABEL, (Xt, yt, 8, folds), False)]


def _rows_in_folds(cv: Any) -> int | None:
    """For :class:`FixedFolds`, how many leading rows the folds use (all later rows are in no fold)."""
    if not isinstance(cv, FixedFolds):
        return None
    return 1 + max(int(max(np.max(train), np.max(test))) for train, test in cv.folds)


@check
@one_blas_thread
def check_leaky_cv_scores(leaky_cv_scores: Callable, cases: Sequence[Case] | None = None,
                          oracle: Callable | None = None) -> None:
    """``leaky_cv_scores(X, y, k, cv)``: fold accuracies after preprocessing on all rows.

    The third item of a case is True when the data are pure noise and the leak must show.
    """
    for label, args, noise in cases or public_leakage_cases():
        X, y, k, cv = args
        got = _fold_scores(leaky_cv_scores(X.copy(), y.copy(), k, cv), cv, "leaky_cv_scores")
        want = _expected(PUBLIC_LEAKY_SCORES, label, oracle, (X, y, k, cv))
        if want is not None:
            expect_close(got, want, f"fold accuracies of the leaky evaluation ({label})")
        if noise:
            expect(got.mean() >= 0.7, f"on pure noise the leaky evaluation should look far better than "
                                      f"chance; your mean accuracy is {got.mean():.2f}.")


@check
@one_blas_thread
def check_honest_cv_scores(honest_cv_scores: Callable, cases: Sequence[Case] | None = None,
                           oracle: Callable | None = None) -> None:
    """``honest_cv_scores(X, y, k, cv)``: fold accuracies of the pipeline refitted in every fold.

    The third item of a case is True when the data are pure noise and the score must be near chance.
    When the folds leave rows out (a :class:`FixedFolds`), removing those rows must change nothing:
    a pipeline refitted inside the folds never sees them.
    """
    for label, args, noise in cases or public_honest_cases():
        X, y, k, cv = args
        got = _fold_scores(honest_cv_scores(X.copy(), y.copy(), k, cv), cv, "honest_cv_scores")
        if noise:
            expect(abs(got.mean() - 0.5) <= 0.2,
                   f"on pure noise an honest evaluation scores about 0.5; your mean accuracy is "
                   f"{got.mean():.2f}. Is something fitted outside the pipeline?")
        used = _rows_in_folds(cv)
        if used is not None and used < len(y):
            without = _fold_scores(honest_cv_scores(X[:used].copy(), y[:used].copy(), k, cv), cv,
                                   "honest_cv_scores")
            expect_close(got, without, f"fold accuracies with and without the {len(y) - used} rows that are in "
                                       f"no fold ({label}): they must not matter, yet they do. Is the scaler or "
                                       "the selector fitted on all rows, outside the pipeline?")
        want = _expected(PUBLIC_HONEST_SCORES, label, oracle, (X, y, k, cv))
        if want is not None:
            expect_close(got, want, f"fold accuracies of the pipeline ({label})")


# -- 4. why: correlation on the held-out rows ----------------------------------------------------


CORRELATION_LABEL = "noise, 60 x 500, first of 5 folds, k=20"
#: What the reference solution returns on the public noise case.
PUBLIC_CORRELATIONS = {CORRELATION_LABEL: {"leaky": 0.3685010650458228, "honest": 0.29911837290475385}}


def public_correlation_cases() -> list[Case]:
    X, y = noise_data(60, 500, seed=0)
    train, test = next(iter(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y)))
    Xs, ys = noise_data(40, 30, seed=2)
    train_s, test_s = next(iter(StratifiedKFold(4, shuffle=True, random_state=1).split(Xs, ys)))
    return [(CORRELATION_LABEL, (X, y, train, test, 20), True),
            ("noise, 40 x 30, k=30 (every feature is kept, so leaky = honest)", (Xs, ys, train_s, test_s, 30), False)]


def _mean_abs_corr_all_columns(X: np.ndarray, y: np.ndarray, rows: np.ndarray) -> float:
    """Mean |Pearson correlation| with the label over every column, on ``rows`` (computed with pandas)."""
    return float(pd.DataFrame(X[rows]).corrwith(pd.Series(y[rows], dtype=float)).abs().mean())


@check
@one_blas_thread
def check_heldout_correlation(heldout_correlation: Callable, cases: Sequence[Case] | None = None,
                              oracle: Callable | None = None) -> None:
    """``heldout_correlation(X, y, train, test, k)`` -> ``{"leaky": float, "honest": float}``.

    The third item of a case is True when the data are pure noise (leaky must exceed honest).
    When ``k`` is the number of columns both sets are every column, whose mean |correlation| on
    the test rows is computed here with pandas.
    """
    for label, args, noise in cases or public_correlation_cases():
        X, y, _train, test, k = args
        got = heldout_correlation(*args)
        expect(isinstance(got, dict), f"heldout_correlation must return a dict, got {type(got).__name__}.")
        expect_equal(sorted(got), ["honest", "leaky"], "the keys of the dict")
        for key in ("leaky", "honest"):
            value = got[key]
            expect(np.ndim(value) == 0 and 0 <= float(value) <= 1,
                   f"{key!r} must be a mean absolute correlation (a number between 0 and 1), got {value!r} "
                   f"({label}).")
        if isinstance(k, (int, np.integer)) and k == X.shape[1]:
            every = _mean_abs_corr_all_columns(X, y, test)
            for key in ("leaky", "honest"):
                expect_close(got[key], every, f"mean |correlation| on the test rows when every feature is kept "
                                              f"({key}, {label})", rtol=1e-6)
        want = _expected(PUBLIC_CORRELATIONS, label, oracle, args)
        if want is not None:
            for key in ("leaky", "honest"):
                expect_close(got[key], want[key], f"mean |correlation| on the test rows of the {key} features "
                                                  f"({label})", rtol=1e-6)
        if noise:
            expect(got["leaky"] > got["honest"], "on noise the leaky features should look more related to "
                                                 "the test labels than the honest ones.")


# -- 5. GridSearchCV over a pipeline -------------------------------------------------------------


def _breast_cancer(n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    X, y = load_dataset("breast_cancer")
    return X[:n], y[:n]


TUNE_LABEL = "wine, C in logspace(-3, 3, 7), 3 folds"
#: The reference's mean CV accuracy of every C, and its best parameters, on the public case.
PUBLIC_TUNE_MEAN_SCORES = {TUNE_LABEL: [0.7139359698681732, 0.9775894538606403, 0.9832391713747647,
                                        0.9774952919020716, 0.9719397363465161, 0.9831450094161959,
                                        0.9831450094161959]}
PUBLIC_TUNE_BEST_PARAMS = {TUNE_LABEL: {"model__C": 0.1}}


def public_tune_cases() -> list[Case]:
    X, y = load_dataset("wine")
    return [(TUNE_LABEL, (X, y, np.logspace(-3, 3, 7), StratifiedKFold(3, shuffle=True, random_state=0)), None)]


@check
@one_blas_thread
def check_tune_pipeline(tune_pipeline: Callable, cases: Sequence[Case] | None = None,
                        oracle: Callable | None = None) -> None:
    """``tune_pipeline(X, y, C_values, cv)``: a fitted GridSearchCV over a scale -> logistic pipeline."""
    for label, args, _ in cases or public_tune_cases():
        X, y, C_values, cv = args
        search = tune_pipeline(X, y, C_values, cv)
        expect(isinstance(search, GridSearchCV), "tune_pipeline must return a GridSearchCV.")
        expect(hasattr(search, "best_score_"), "the GridSearchCV must be fitted (call .fit(X, y)).")
        pipe = search.estimator
        expect(isinstance(pipe, Pipeline), "the estimator of the search must be a Pipeline (preprocessing "
                                           "inside the pipeline).")
        expect_equal([name for name, _ in pipe.steps], ["scale", "model"], "step names, in order")
        expect(isinstance(pipe.steps[0][1], StandardScaler), "the 'scale' step must be a StandardScaler.")
        expect(type(pipe.steps[1][1]) is LogisticRegression, "the 'model' step must be a LogisticRegression.")
        expect_equal(pipe.steps[1][1].max_iter, 1000, "max_iter of the LogisticRegression")
        expect(isinstance(search.param_grid, dict), "param_grid must be a dict.")
        expect_equal(sorted(search.param_grid), ["model__C"], "the names in the grid (step__param)")
        expect_close(np.asarray(search.param_grid["model__C"], dtype=float), np.asarray(C_values, dtype=float),
                     "the values of model__C (use the given C_values, in order)")
        expect_equal(search.scoring, "accuracy", "scoring (pick the metric)")
        if oracle is not None:
            want = oracle(X, y, C_values, cv)
            want_scores, want_best = want.cv_results_["mean_test_score"], want.best_params_
        else:
            want_scores = PUBLIC_TUNE_MEAN_SCORES.get(label)
            want_best = PUBLIC_TUNE_BEST_PARAMS.get(label)
        if want_scores is not None:
            expect_close(search.cv_results_["mean_test_score"], want_scores, f"mean CV accuracy of every C ({label})")
        if want_best is not None:
            expect_equal(_key(search.best_params_), _key(want_best), f"best parameters ({label})")


# -- 6. ColumnTransformer for the penguins -------------------------------------------------------


def preprocess_oracle(train: pd.DataFrame, test: pd.DataFrame, numeric: Sequence[str],
                      categorical: Sequence[str]) -> np.ndarray:
    """The expected output, computed with pandas: median-impute + standardise, mode-impute + one-hot."""
    blocks = []
    for column in numeric:
        median = train[column].median()
        filled = train[column].fillna(median)
        mean, std = filled.mean(), filled.std(ddof=0)
        blocks.append(((test[column].fillna(median) - mean) / std).to_numpy(dtype=float)[:, None])
    for column in categorical:
        counts = train[column].value_counts()
        mode = sorted(counts[counts == counts.max()].index)[0]
        categories = sorted(set(train[column].fillna(mode)))
        filled = test[column].fillna(mode)
        blocks.append(np.column_stack([(filled == c).to_numpy(dtype=float) for c in categories]))
    return np.hstack(blocks)


def _dense(matrix: Any) -> np.ndarray:
    return np.asarray(matrix.toarray() if hasattr(matrix, "toarray") else matrix, dtype=float)


def public_preprocessor_cases() -> list[Case]:
    frame = load_dataset("penguins", as_frame=True)
    train, test = frame.iloc[::2], frame.iloc[1::2]
    return [("penguins, fit on the even rows, transform the odd rows",
             (PENGUIN_NUMERIC, PENGUIN_CATEGORICAL), (train, test))]


@check
@one_blas_thread
def check_penguin_preprocessor(penguin_preprocessor: Callable, cases: Sequence[Case] | None = None,
                               oracle: Callable | None = None) -> None:
    """``penguin_preprocessor(numeric, categorical)``: an unfitted ColumnTransformer "num" + "cat".

    The third item of a case is ``(train, test)``: the transformer is fitted on ``train`` and
    applied to ``test``; the result must match :func:`preprocess_oracle`.
    """
    for label, (numeric, categorical), (train, test) in cases or public_preprocessor_cases():
        ct = penguin_preprocessor(list(numeric), list(categorical))
        expect(isinstance(ct, ColumnTransformer),
               f"penguin_preprocessor must return a ColumnTransformer, got {type(ct).__name__}.")
        expect(not hasattr(ct, "transformers_"), "penguin_preprocessor must return an unfitted transformer.")
        expect_equal([name for name, *_ in ct.transformers], ["num", "cat"], "names of the transformers")
        expect_equal([list(cols) for *_, cols in ct.transformers], [list(numeric), list(categorical)],
                     "the columns given to 'num' and 'cat'")
        ct.fit(train.copy())
        got = _dense(ct.transform(test.copy()))
        want = preprocess_oracle(train, test, numeric, categorical)
        expect(not np.isnan(got).any(), f"the output still has missing values ({label}): impute them.")
        expect_equal(got.shape, want.shape, f"shape of the transformed test table ({label}): one column per "
                                            "numeric feature plus one per category seen in training")
        expect_close(got, want, f"transformed test table ({label})", rtol=1e-6, atol=1e-9)
        if oracle is not None:
            ref = oracle(list(numeric), list(categorical)).fit(train.copy())
            expect_equal(list(ct.get_feature_names_out()), list(ref.get_feature_names_out()),
                         f"output feature names ({label})")


# -- 7. nested cross-validation ------------------------------------------------------------------


def _scaled_logreg() -> Pipeline:
    return Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=1000))])


def public_nested_cases() -> list[Case]:
    X, y = load_dataset("wine")
    return [("wine, scaled logistic regression, C in [0.001, 0.01, 1], 3 inner x 4 outer folds",
             (_scaled_logreg(), {"model__C": [0.001, 0.01, 1.0]}, X, y,
              StratifiedKFold(3, shuffle=True, random_state=0),
              StratifiedKFold(4, shuffle=True, random_state=1)), None)]


@check
@one_blas_thread
def check_nested_cv(nested_cv: Callable, cases: Sequence[Case] | None = None) -> None:
    """``nested_cv(estimator, param_grid, X, y, inner_cv, outer_cv)`` agrees with scikit-learn."""
    for label, args, _ in cases or public_nested_cases():
        estimator, grid, X, y, inner_cv, outer_cv = args
        got = nested_cv(clone(estimator), grid, X, y, inner_cv, outer_cv)
        expect(isinstance(got, dict), f"nested_cv must return a dict, got {type(got).__name__}.")
        expect_equal(sorted(got), ["best_params", "inner_best_scores", "outer_scores"], "the keys of the dict")
        want = remember(cross_validate, GridSearchCV(clone(estimator), grid, cv=inner_cv, scoring="accuracy"),
                        X, y, cv=outer_cv, return_estimator=True)
        n = _n_splits(outer_cv)
        for key in ("outer_scores", "inner_best_scores", "best_params"):
            expect(len(got[key]) == n, f"{key} needs one entry per outer fold ({n}), got {len(got[key])}.")
        expect_close(got["outer_scores"], want["test_score"],
                     f"outer test scores ({label}); tune on the outer training rows only, then score the "
                     "outer test rows")
        expect_close(got["inner_best_scores"], [s.best_score_ for s in want["estimator"]],
                     f"inner best scores ({label})")
        expect_equal([_key(p) for p in got["best_params"]], [_key(s.best_params_) for s in want["estimator"]],
                     f"best parameters per outer fold ({label})")


# -- 8. retrain the winner, test once ------------------------------------------------------------


def public_retrain_cases() -> list[Case]:
    from sklearn.impute import SimpleImputer

    frame = load_dataset("penguins", as_frame=True)
    X = frame[PENGUIN_NUMERIC]
    y = frame["species"].to_numpy()
    pipe = Pipeline([("fill", SimpleImputer()), ("scale", StandardScaler()),
                     ("model", LogisticRegression(max_iter=1000))])
    train = np.arange(len(y)) % 4 != 0
    return [("penguins (numeric columns), a scaled logistic regression with C=0.01, every 4th row held out",
             (pipe, {"model__C": 0.01}, X[train], y[train], X[~train], y[~train]), None)]


def _plain_params(params: dict[str, Any]) -> dict[str, Any]:
    """The entries of a parameter dict whose values are plain (not estimators); NaN as "nan"."""
    out = {}
    for name, value in params.items():
        if isinstance(value, np.generic):
            value = value.item()
        if value is None or isinstance(value, (bool, int, float, str)):
            out[name] = "nan" if isinstance(value, float) and np.isnan(value) else value
    return out


@check
@one_blas_thread
def check_retrain_and_test(retrain_and_test: Callable, cases: Sequence[Case] | None = None,
                           oracle: Callable | None = None) -> None:
    """``retrain_and_test(estimator, best_params, X_train, y_train, X_test, y_test)`` -> (model, score).

    The returned model must have the estimator's hyperparameters with ``best_params`` set, be
    fitted, and predict what a fresh copy of itself refitted on ``X_train, y_train`` predicts.
    The call, and the predictions of the returned model on ``X_test``, happen where the
    function runs (:func:`probe_retrain_and_test`).
    """
    for label, args, _ in cases or public_retrain_cases():
        estimator, best_params, X_train, y_train, X_test, y_test = args
        given = clone(estimator)
        before = {name: given.get_params()[name] for name in best_params}
        answer = probe_fields(probe(retrain_and_test, probe_retrain_and_test, estimator, dict(best_params),
                               X_train, y_train, X_test, y_test),
                         "result", "given_is_model", "given_fitted", "given_params")
        result = answer["result"]
        expect(isinstance(result, tuple) and len(result) == 2,
               "retrain_and_test must return a tuple (model, test_score).")
        model, score = result
        probe_fields(answer, "fitted", "predictions")
        expect(answer["given_is_model"] is False,
               "clone the estimator: return a new model, not the one you were given.")
        expect(answer["given_fitted"] is False, "the estimator you were given was fitted: fit a clone instead.")
        expect_equal(answer["given_params"], before,
                     "the hyperparameters of the estimator you were given (leave it untouched)")
        expect(type(model) is type(given), f"the model must be a copy of the estimator ({type(given).__name__}), "
                                           f"got {type(model).__name__}.")
        expect_equal({name: model.get_params()[name] for name in best_params}, dict(best_params),
                     "the hyperparameters of your model (set best_params)")
        expect_equal(_plain_params(model.get_params()),
                     {**_plain_params(given.get_params()), **_plain_params(best_params)},
                     "the other hyperparameters of your model (keep the estimator's)")
        expect(answer["fitted"] is True, "the model you return must be fitted on X_train, y_train.")
        predictions = answer["predictions"]
        if isinstance(predictions, dict) and "error" in predictions:
            raise CheckFailed(f"the model you return cannot predict on X_test ({label}): {predictions['error']}.")
        predictions = probe_fields(predictions, "proba", "predict")
        try:
            refitted = clone(model).fit(X_train, y_train)
        except Exception as error:  # noqa: BLE001 - a model the check cannot copy is a wrong answer
            raise CheckFailed(f"the check cannot refit a copy of the model you return ({label}): "
                              f"{type(error).__name__}: {error}.") from None
        expect_close(predictions["proba"], refitted.predict_proba(X_test),
                     f"predicted probabilities on the test set ({label}): fit on all of X_train, y_train "
                     "and nothing else", rtol=1e-5, atol=1e-8)
        predicted = np.asarray(predictions["predict"])
        expect(predicted.shape == (len(y_test),), f"your model must predict one label per test row ({label}).")
        expect(isinstance(score, (float, np.floating)), f"test_score must be a float, got {type(score).__name__}.")
        expect_close(score, float(np.mean(predicted == np.asarray(y_test))),
                     f"test accuracy of your model ({label})")
        if oracle is not None:
            want_model, want_score = oracle(clone(estimator), dict(best_params), X_train, y_train, X_test, y_test)
            expect_close(predictions["proba"], want_model.predict_proba(X_test),
                         f"predicted probabilities on the test set ({label})", rtol=1e-5, atol=1e-8)
            expect_close(score, want_score, f"test accuracy ({label})")


# -- 9. log scale --------------------------------------------------------------------------------


def public_log_scale_cases() -> list[Case]:
    return [
        ("the lecture's [0.001, 0.01, 0.1]", ([0.001, 0.01, 0.1],), True),
        ("the lecture's [0.1, 0.2, 0.3]", ([0.1, 0.2, 0.3],), False),
        ("np.logspace(-3, 3, 13)", (np.logspace(-3, 3, 13),), True),
        ("[0.01, 0.03, 0.1, 0.3, 1]", ([0.01, 0.03, 0.1, 0.3, 1],), True),
        ("np.linspace(0.05, 1, 20)", (np.linspace(0.05, 1, 20),), False),
        ("loguniform(1e-3, 1e3)", (loguniform(1e-3, 1e3),), True),
        ("uniform(0.01, 100)", (uniform(0.01, 100),), False),
        ("reciprocal(1e-4, 1), scipy's older name of loguniform", (reciprocal(1e-4, 1),), True),
    ]


@check
@one_blas_thread
def check_is_log_scale(is_log_scale: Callable, cases: Sequence[Case] | None = None) -> None:
    """``is_log_scale(values)`` -> bool, as defined in the notebook."""
    for label, args, expected in cases or public_log_scale_cases():
        got = is_log_scale(*args)
        expect(isinstance(got, (bool, np.bool_)), f"is_log_scale must return a bool, got {type(got).__name__} "
                                                  f"for {label}.")
        expect_equal(bool(got), expected, f"is_log_scale({label})")


# -- 10. the checklist reviewer ------------------------------------------------------------------


def public_review_cases() -> list[Case]:
    pipe = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression())])
    lecture = GridSearchCV(pipe, {"model__C": [0.01, 0.1, 1, 10]}, cv=5)
    good = RandomizedSearchCV(pipe, {"model__C": loguniform(1e-3, 1e3), "model__class_weight": [None, "balanced"]},
                              n_iter=30, scoring="f1", cv=5)
    hopeless = GridSearchCV(LogisticRegression(), {"C": [0.1, 0.2, 0.3], "tol": [1e-4, 1e-3, 1e-2],
                                                   "fit_intercept": [True, False], "max_iter": [100, 1000],
                                                   "class_weight": [None, "balanced"]}, refit=False)
    wide = RandomizedSearchCV(pipe, {"model__C": uniform(0.01, 100), "model__max_iter": randint(100, 1000)},
                              n_iter=200, scoring="accuracy")
    return [
        ("the lecture's checklist snippet (no scoring)", (lecture,), ["metric"]),
        ("a random search with loguniform C, 30 trials, scoring='f1'", (good,), []),
        ("a bare LogisticRegression, 5 parameters, linear C, 216 candidates, refit=False", (hopeless,),
         ["metric", "pipeline", "few_params", "log_scale", "budget", "refit"]),
        ("a random search with uniform C and 200 trials", (wide,), ["log_scale", "budget"]),
    ]


@check
@one_blas_thread
def check_review_search(review_search: Callable, cases: Sequence[Case] | None = None) -> None:
    """``review_search(search)`` -> the missing checklist items, in checklist order."""
    for label, (search,), expected in cases or public_review_cases():
        got = review_search(clone(search) if not hasattr(search, "best_score_") else search)
        expect(isinstance(got, (list, tuple)), f"review_search must return a list, got {type(got).__name__}.")
        expect_equal(list(got), expected, f"missing checklist items for {label}")
