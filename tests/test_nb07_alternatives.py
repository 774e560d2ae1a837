"""Notebook 07: correct implementations written differently from the reference pass the hidden checks.

``tests/test_checks.py`` proves that the hidden checks pass on the reference and fail on
plausible wrong implementations; this file guards the other side: a student who solves an
exercise another reasonable way (a manual CV loop, ``scipy.stats.pearsonr``,
``cross_validate`` for nested CV, ...) must not lose points.
"""

import itertools

import numpy as np
import pytest
from scipy.stats import loguniform, pearsonr
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from autograde.checks import nb07 as hidden

SCALE_LIKE = ("C", "alpha", "learning_rate", "gamma")


def selection_pipeline(k):
    return Pipeline(steps=[("scale", StandardScaler()),
                           ("select", SelectKBest(score_func=f_classif, k=k)),
                           ("model", LogisticRegression(max_iter=1000, random_state=0))])


def leaky_cv_scores(X, y, k, cv):
    X_new = make_pipeline(StandardScaler(), SelectKBest(f_classif, k=k)).fit_transform(X, y)
    return list(cross_val_score(LogisticRegression(max_iter=1000), X_new, y, cv=cv, scoring="accuracy"))


def honest_cv_scores(X, y, k, cv):
    scores = []
    for train, test in cv.split(X, y):
        model = selection_pipeline(k).fit(X[train], y[train])
        scores.append(accuracy_score(y[test], model.predict(X[test])))
    return np.array(scores)


def heldout_correlation(X, y, train, test, k):
    leaky = SelectKBest(f_classif, k=k).fit(X, y)
    honest = SelectKBest(f_classif, k=k).fit(X[train], y[train])
    out = {}
    for name, selector in [("leaky", leaky), ("honest", honest)]:
        selected = selector.transform(X[test])
        out[name] = np.mean([abs(pearsonr(selected[:, j], y[test])[0]) for j in range(selected.shape[1])])
    return out


def tune_pipeline(X, y, C_values, cv):
    pipe = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=1000))])
    return GridSearchCV(pipe, param_grid={"model__C": C_values}, scoring="accuracy", cv=cv, n_jobs=1).fit(X, y)


def penguin_preprocessor(numeric, categorical):
    return ColumnTransformer(
        transformers=[
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                  OneHotEncoder(handle_unknown="ignore", sparse_output=False)), categorical),
        ],
        remainder="drop",
    )


def nested_cv(estimator, param_grid, X, y, inner_cv, outer_cv):
    search = GridSearchCV(estimator, param_grid, cv=inner_cv)
    result = cross_validate(search, X, y, cv=outer_cv, return_estimator=True)
    return {"outer_scores": list(result["test_score"]),
            "inner_best_scores": [s.best_score_ for s in result["estimator"]],
            "best_params": [s.best_params_ for s in result["estimator"]]}


def retrain_and_test(estimator, best_params, X_train, y_train, X_test, y_test):
    model = clone(estimator)
    model.set_params(**best_params)
    model.fit(X_train, y_train)
    return model, accuracy_score(y_test, model.predict(X_test))


def is_log_scale(values):
    if getattr(values, "dist", None) is not None:  # loguniform and its older name reciprocal: one class
        return isinstance(values.dist, type(loguniform))
    values = sorted(float(v) for v in values)
    if len(values) < 2 or values[0] <= 0:
        return False
    gaps = np.diff(np.log10(values))
    return bool(np.log10(values[-1]) - np.log10(values[0]) >= 1 and gaps.max() <= gaps.min() + np.log10(1.5))


def review_search(search):
    out = []
    if not search.scoring:
        out.append("metric")
    if not isinstance(search.estimator, Pipeline) or len(search.estimator) < 2:
        out.append("pipeline")
    space = search.param_distributions if isinstance(search, RandomizedSearchCV) else search.param_grid
    grids = [space] if isinstance(space, dict) else list(space)
    names = set().union(*[set(g) for g in grids])
    if len(names) > 4:
        out.append("few_params")
    scale_grids = [v for g in grids for n, v in g.items() if n.rsplit("__", 1)[-1] in SCALE_LIKE]
    if any(not is_log_scale(v) for v in scale_grids if hasattr(v, "rvs") or len(v) > 1):
        out.append("log_scale")
    if isinstance(search, RandomizedSearchCV):
        n = search.n_iter
    else:
        n = sum(len(list(itertools.product(*g.values()))) for g in grids)
    if n > 50:
        out.append("budget")
    if not search.refit:
        out.append("refit")
    return out


ALTERNATIVES = [selection_pipeline, leaky_cv_scores, honest_cv_scores, heldout_correlation, tune_pipeline,
                penguin_preprocessor, nested_cv, retrain_and_test, is_log_scale, review_search]


@pytest.mark.parametrize("fn", ALTERNATIVES, ids=[f.__name__ for f in ALTERNATIVES])
def test_hidden_check_accepts_an_alternative_correct_implementation(fn):
    getattr(hidden, f"check_{fn.__name__}")(fn)


@pytest.mark.parametrize("fn", ALTERNATIVES, ids=[f.__name__ for f in ALTERNATIVES])
def test_hidden_check_accepts_an_alternative_across_processes(fn):
    """As while grading: the alternative runs in another process, plain data comes back."""
    from autograde.trusted.remote import Remote
    from tests.serving import served

    with served({fn.__name__: fn}) as channel:
        getattr(hidden, f"check_{fn.__name__}")(Remote(channel, fn.__name__))


def test_is_log_scale_by_name_accepts_both_names_of_loguniform():
    """Issue 14: scipy's reciprocal is loguniform under its older name; by name, both names count."""
    from scipy.stats import randint

    def is_log_scale_names(values):
        if hasattr(values, "rvs"):
            return values.dist.name in {"loguniform", "reciprocal"}
        return is_log_scale(values)

    from helpers.checks import nb07 as public

    public.check_is_log_scale(is_log_scale_names)
    hidden.check_is_log_scale(is_log_scale_names)
    assert not is_log_scale_names(randint(1, 10))
