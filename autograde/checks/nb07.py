"""Hidden checks for notebook 07, pipelines and data leakage."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.stats import loguniform, randint, reciprocal, uniform
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.model_selection import GridSearchCV, KFold, RandomizedSearchCV, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from autograde.trusted.reference import memoized
from helpers.checks import nb07 as public
from helpers.checks.core import check, expect, expect_close, expect_equal
from helpers.data import load_dataset

NOTEBOOK = "07_pipelines_leakage"


def ref():
    """The reference solution's functions."""
    return memoized(NOTEBOOK)


def _scaled_noise(seed: int = 11, n: int = 48, p: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Pure noise whose features live on very different scales (1e-2 to 1e2)."""
    X, y = public.noise_data(n, p, seed=seed)
    rng = np.random.default_rng(seed + 1)
    return X * 10.0 ** rng.uniform(-2, 2, p) + rng.normal(0, 5, p), y


@check
@public.one_blas_thread
def check_selection_pipeline(selection_pipeline: Callable) -> None:
    cases = [("k=5", (5,), None), ("k=1", (1,), None), ("k=150", (150,), None)]
    public.check_selection_pipeline(selection_pipeline, cases=cases, oracle=ref().selection_pipeline)


@check
@public.one_blas_thread
def check_leaky_cv_scores(leaky_cv_scores: Callable) -> None:
    X, y = _scaled_noise()
    Xt, yt, folds = public.trap_data()
    cases = [
        ("noise on very different scales, k=10, 4 folds",
         (X, y, 10, StratifiedKFold(4, shuffle=True, random_state=7)), True),
        ("data with rows outside every fold, k=8", (Xt, yt, 8, folds), False),
        ('data with rows outside every fold, k="all"', (Xt, yt, "all", folds), False),
    ]
    public.check_leaky_cv_scores(leaky_cv_scores, cases=cases, oracle=ref().leaky_cv_scores)


@check
@public.one_blas_thread
def check_honest_cv_scores(honest_cv_scores: Callable) -> None:
    X, y = _scaled_noise(seed=21)
    Xt, yt, folds = public.trap_data(seed=5)
    cases = [
        ("noise on very different scales, k=10, 4 folds",
         (X, y, 10, StratifiedKFold(4, shuffle=True, random_state=7)), True),
        ("data with rows outside every fold, k=8", (Xt, yt, 8, folds), False),
        ('data with rows outside every fold, k="all"', (Xt, yt, "all", folds), False),
    ]
    public.check_honest_cv_scores(honest_cv_scores, cases=cases, oracle=ref().honest_cv_scores)


@check
@public.one_blas_thread
def check_heldout_correlation(heldout_correlation: Callable) -> None:
    X, y = public.noise_data(80, 300, seed=9)
    folds = list(KFold(4, shuffle=True, random_state=2).split(X))
    Xb, yb = load_dataset("breast_cancer")
    Xb, yb = Xb[:150], yb[:150]
    fold_b = next(iter(StratifiedKFold(3, shuffle=True, random_state=0).split(Xb, yb)))
    cases = [
        ("noise 80 x 300, third of 4 folds, k=15", (X, y, *folds[2], 15), True),
        ("noise 80 x 300, first of 4 folds, k=1", (X, y, *folds[0], 1), False),
        ("breast cancer (150 rows), k=5", (Xb, yb, *fold_b, 5), False),
    ]
    public.check_heldout_correlation(heldout_correlation, cases=cases, oracle=ref().heldout_correlation)


@check
@public.one_blas_thread
def check_tune_pipeline(tune_pipeline: Callable) -> None:
    X, y = public._breast_cancer(200)
    cases = [("breast cancer (200 rows), C in [1e-4, 1e-2, 1] as an array, 3 folds",
              (X, y, np.array([1e-4, 1e-2, 1.0]), KFold(3, shuffle=True, random_state=3)), None),
             ("breast cancer (200 rows), C in [10, 0.001] (unsorted), 3 folds",
              (X, y, [10.0, 0.001], StratifiedKFold(3, shuffle=True, random_state=8)), None)]
    public.check_tune_pipeline(tune_pipeline, cases=cases, oracle=ref().tune_pipeline)
    label, args, _ = cases[0]
    expect_close(tune_pipeline(*args).best_score_, ref().tune_pipeline(*args).best_score_,
                 f"best CV accuracy against the reference ({label})")


def _penguin_split() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train on Biscoe and Dream only; the test rows include Torgersen, an island never seen in training."""
    frame = load_dataset("penguins", as_frame=True)
    rng = np.random.default_rng(4)
    seen = frame[frame["island"] != "Torgersen"]
    train = seen.sample(frac=0.7, random_state=1)
    test = pd.concat([seen.drop(train.index), frame[frame["island"] == "Torgersen"]])
    test = test.iloc[rng.permutation(len(test))]
    return train, test


@check
@public.one_blas_thread
def check_penguin_preprocessor(penguin_preprocessor: Callable) -> None:
    train, test = _penguin_split()
    rng = np.random.default_rng(6)
    small = pd.DataFrame({
        "size": [1.0, np.nan, 3.0, 10.0, 4.0, np.nan, 7.0, 2.0],
        "colour": ["red", "blue", None, "blue", "green", "blue", "red", "red"],  # a tie: "blue" wins
        "noise": rng.normal(size=8),
        "shape": ["round", "square", "round", "round", None, "square", "square", "round"],
    })
    small_test = pd.DataFrame({"size": [np.nan, 5.0, 100.0], "colour": ["purple", None, "red"],
                               "noise": [0.0, 1.0, 2.0], "shape": [None, "round", "triangle"]})
    cases = [
        ("penguins, trained without Torgersen (unseen island in the test rows)",
         (["flipper_length_mm", "bill_length_mm"], ["sex", "island"]), (train, test)),
        ("a small table: ties, missing values and unseen categories, columns in another order",
         (["noise", "size"], ["shape", "colour"]), (small, small_test)),
    ]
    public.check_penguin_preprocessor(penguin_preprocessor, cases=cases, oracle=ref().penguin_preprocessor)


@check
@public.one_blas_thread
def check_nested_cv(nested_cv: Callable) -> None:
    X, y = public._breast_cancer(180)
    Xn, yn = public.noise_data(60, 300, seed=13)
    select = ref().selection_pipeline(5)
    cases = [
        ("breast cancer (180 rows), C in [1e-3, 1e-1, 10], 3 inner x 3 outer folds",
         (public._scaled_logreg(), {"model__C": [1e-3, 1e-1, 10.0]}, X, y,
          KFold(3, shuffle=True, random_state=4), StratifiedKFold(3, shuffle=True, random_state=5)), None),
        ("noise 60 x 300, a grid over k, 2 inner x 3 outer folds",
         (select, {"select__k": [2, 20]}, Xn, yn,
          StratifiedKFold(2, shuffle=True, random_state=0), KFold(3, shuffle=True, random_state=6)), None),
    ]
    public.check_nested_cv(nested_cv, cases=cases)


@check
@public.one_blas_thread
def check_retrain_and_test(retrain_and_test: Callable) -> None:
    X, y = load_dataset("breast_cancer")
    rng = np.random.default_rng(2)
    order = rng.permutation(len(y))
    train, test = order[:150], order[150:260]
    knn = Pipeline([("scale", StandardScaler()), ("knn", KNeighborsClassifier())])
    cases = [
        ("breast cancer, scaled logistic regression with C=0.05",
         (public._scaled_logreg(), {"model__C": 0.05}, X[train], y[train], X[test], y[test]), None),
        ("breast cancer, scaled 7-nearest neighbours, distance weights",
         (knn, {"knn__n_neighbors": 7, "knn__weights": "distance"}, X[train], y[train], X[test], y[test]), None),
    ]
    public.check_retrain_and_test(retrain_and_test, cases=cases, oracle=ref().retrain_and_test)
    label, args, _ = cases[0]
    _, got = retrain_and_test(*args)
    _, want = ref().retrain_and_test(*args)
    expect_close(got, want, f"test accuracy against the reference ({label})")


@check
@public.one_blas_thread
def check_is_log_scale(is_log_scale: Callable) -> None:
    values = [
        ("unsorted [1, 0.01, 100, 0.1, 10]", [1, 0.01, 100, 0.1, 10]),
        ("dense np.logspace(-4, 2, 40)", np.logspace(-4, 2, 40)),
        ("powers of two 1..64", [1, 2, 4, 8, 16, 32, 64]),
        ("[0.01, 1] (two values, a factor 100)", [0.01, 1.0]),
        ("[0.2, 0.3, 0.4, 0.5] (nearly constant ratio, spans 2.5)", [0.2, 0.3, 0.4, 0.5]),
        ("[-1, 0.1, 1, 10] (a negative value)", [-1, 0.1, 1, 10]),
        ("[0, 0.01, 0.1, 1] (a zero)", [0, 0.01, 0.1, 1]),
        ("[1, 10, 50, 100] (ratios 10, 5, 2)", [1, 10, 50, 100]),
        ("[5.0] (a single value)", [5.0]),
        ("[0.001, 0.003, 0.01, 0.03, 0.1] (ratios 3 and 3.33)", [0.001, 0.003, 0.01, 0.03, 0.1]),
        ("the 1-2-5 series 1..100", [1, 2, 5, 10, 20, 50, 100]),
        ("range(1, 101) as integers", list(range(1, 101))),
        ("loguniform(1e-5, 1e-1)", loguniform(1e-5, 1e-1)),
        ("randint(1, 100)", randint(1, 100)),
        ("uniform(1e-3, 1e3)", uniform(1e-3, 1e3)),
        ("reciprocal(0.5, 500), loguniform's older name", reciprocal(0.5, 500)),
    ]
    cases = [(label, (v,), bool(ref().is_log_scale(v))) for label, v in values]
    expect_equal([c[2] for c in cases],
                 [True, True, True, True, False, False, False, False, False, True, True, False, True,
                  False, False, True],
                 "the reference's answers (internal consistency of the hidden check)")
    public.check_is_log_scale(is_log_scale, cases=cases)


def _review_cases() -> list[tuple[str, tuple, list[str]]]:
    scale_svc = Pipeline([("scale", StandardScaler()), ("svc", SVC())])
    one_step = Pipeline([("model", LogisticRegression())])
    ridge = Pipeline([("scale", StandardScaler()), ("reg", Ridge())])
    sgd = Pipeline([("scale", StandardScaler()), ("sgd", SGDClassifier())])
    logreg = public._scaled_logreg()
    return [
        ("a list of two grids over an SVC pipeline (linear gamma in the second)",
         (GridSearchCV(scale_svc, [{"svc__kernel": ["linear"], "svc__C": [0.01, 0.1, 1, 10]},
                                   {"svc__kernel": ["rbf"], "svc__C": [0.1, 1, 10],
                                    "svc__gamma": [0.1, 0.2, 0.3, 0.4]}], scoring="accuracy"),),
         ["log_scale"]),
        ("a list of grids with 5 distinct names and 3 + 48 = 51 candidates",
         (GridSearchCV(scale_svc, [{"svc__C": [0.01, 0.1, 1]},
                                   {"svc__C": [0.01, 0.1, 1, 10], "svc__gamma": [0.01, 0.1, 1, 10],
                                    "svc__kernel": ["rbf", "poly", "sigmoid"], "svc__shrinking": [True],
                                    "svc__tol": [1e-3]}], scoring="roc_auc"),),
         ["few_params", "budget"]),
        ("a one-step pipeline, refit='f1' with two metrics",
         (GridSearchCV(one_step, {"model__C": [0.1, 1, 10]}, scoring=["f1", "accuracy"], refit="f1"),),
         ["pipeline"]),
        ("exactly 50 candidates and 4 parameters, alpha single-valued",
         (GridSearchCV(ridge, {"reg__alpha": [1.0], "reg__fit_intercept": [True, False],
                               "reg__tol": [1e-4, 1e-3, 1e-2, 1e-1, 1.0], "reg__solver": ["auto", "svd",
                                                                                          "cholesky", "lsqr",
                                                                                          "sag"]},
                       scoring="neg_mean_squared_error"),),
         []),
        ("a random search, 51 trials, alpha on uniform, refit=False",
         (RandomizedSearchCV(sgd, {"sgd__alpha": uniform(1e-5, 1e-1)}, n_iter=51, scoring="accuracy",
                             refit=False),), ["log_scale", "budget", "refit"]),
        ("a random search over a list of distributions, loguniform C, lists for the rest",
         (RandomizedSearchCV(logreg, [{"model__C": loguniform(1e-3, 1e2)},
                                      {"model__C": [0.001, 0.01, 0.1, 1.0], "model__tol": [1e-4, 1e-3]}],
                             n_iter=50, scoring="balanced_accuracy"),), []),
        ("a gradient-boosting search without a pipeline, learning_rate linear, no scoring",
         (GridSearchCV(GradientBoostingClassifier(), {"learning_rate": [0.05, 0.1, 0.15, 0.2, 0.5],
                                                      "max_depth": [2, 3]}),),
         ["metric", "pipeline", "log_scale"]),
        ("a random search with learning_rate on loguniform and 8 parameters",
         (RandomizedSearchCV(Pipeline([("scale", StandardScaler()), ("gb", GradientBoostingClassifier())]),
                             {"gb__learning_rate": loguniform(1e-3, 1), "gb__max_depth": randint(1, 8),
                              "gb__subsample": uniform(0.5, 0.5), "gb__n_estimators": randint(50, 500),
                              "gb__min_samples_leaf": randint(1, 20), "gb__max_features": [None, "sqrt"],
                              "gb__loss": ["log_loss"], "gb__criterion": ["friedman_mse"]},
                             n_iter=40, scoring="accuracy"),), ["few_params"]),
    ]


@check
@public.one_blas_thread
def check_review_search(review_search: Callable) -> None:
    cases = _review_cases()
    for label, args, expected in cases:
        expect_equal(ref().review_search(*args), expected,
                     f"the reference's answer for {label} (internal consistency of the hidden check)")
    public.check_review_search(review_search, cases=cases)
    # a fitted search is reviewed the same way
    X, y = load_dataset("wine")
    fitted = GridSearchCV(public._scaled_logreg(), {"model__C": [0.1, 0.2]}, cv=3).fit(X, y)
    expect(hasattr(fitted, "best_score_"), "internal: the search must be fitted")
    public.check_review_search(review_search, cases=[("a fitted search with C in [0.1, 0.2] and no scoring",
                                                      (fitted,), ["metric", "log_scale"])])
