"""Wrong implementations for notebook 07 (pipelines and data leakage)."""

import numpy as np
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_selection import SelectKBest, f_classif, mutual_info_classif
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, ParameterGrid, RandomizedSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

CHECKLIST = ("metric", "pipeline", "few_params", "log_scale", "budget", "refit")
SCALE_LIKE = ("C", "alpha", "learning_rate", "gamma")


def _pipe(k):
    return Pipeline([("scale", StandardScaler()), ("select", SelectKBest(f_classif, k=k)),
                     ("model", LogisticRegression(max_iter=1000))])


# -- 1. selection_pipeline -----------------------------------------------------------------------


def selection_pipeline_no_scaler(k):
    """Forgets the scaling step."""
    return Pipeline([("select", SelectKBest(f_classif, k=k)), ("model", LogisticRegression(max_iter=1000))])


def selection_pipeline_fixed_k(k):
    """Ignores k and keeps SelectKBest's default (10)."""
    return Pipeline([("scale", StandardScaler()), ("select", SelectKBest(f_classif)),
                     ("model", LogisticRegression(max_iter=1000))])


def selection_pipeline_mutual_info(k):
    """Scores features with mutual information instead of the F-test."""
    return Pipeline([("scale", StandardScaler()), ("select", SelectKBest(mutual_info_classif, k=k)),
                     ("model", LogisticRegression(max_iter=1000))])


# -- 2. leaky_cv_scores --------------------------------------------------------------------------


def leaky_cv_scores_no_scaler(X, y, k, cv):
    """Selects on all rows but forgets to scale."""
    X_selected = SelectKBest(f_classif, k=k).fit_transform(X, y)
    return cross_val_score(LogisticRegression(max_iter=1000), X_selected, y, cv=cv)


def leaky_cv_scores_actually_honest(X, y, k, cv):
    """Does the honest pipeline instead of the requested leaky procedure."""
    return cross_val_score(_pipe(k), X, y, cv=cv)


def leaky_cv_scores_default_folds(X, y, k, cv):
    """Ignores the given folds (5 unshuffled folds)."""
    X_selected = SelectKBest(f_classif, k=k).fit_transform(StandardScaler().fit_transform(X), y)
    return cross_val_score(LogisticRegression(max_iter=1000), X_selected, y, cv=5)


# -- 3. honest_cv_scores -------------------------------------------------------------------------


def honest_cv_scores_scaler_outside(X, y, k, cv):
    """Fits the scaler on all rows, outside the pipeline (the lecture's Q5 mistake)."""
    X_scaled = StandardScaler().fit_transform(X)
    pipe = Pipeline([("select", SelectKBest(f_classif, k=k)), ("model", LogisticRegression(max_iter=1000))])
    return cross_val_score(pipe, X_scaled, y, cv=cv)


def honest_cv_scores_selector_outside(X, y, k, cv):
    """Selects features on all rows, then cross-validates a scale + model pipeline."""
    X_selected = SelectKBest(f_classif, k=k).fit_transform(X, y)
    pipe = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=1000))])
    return cross_val_score(pipe, X_selected, y, cv=cv)


def honest_cv_scores_train_score(X, y, k, cv):
    """Reports the training accuracy of each fold instead of the test accuracy."""
    scores = []
    for train, _test in (cv.split(X, y) if hasattr(cv, "split") else cv):
        model = _pipe(k).fit(X[train], y[train])
        scores.append(model.score(X[train], y[train]))
    return np.array(scores)


# -- 4. heldout_correlation ----------------------------------------------------------------------


def _mean_abs_corr(X, y, rows, columns):
    return float(np.mean([abs(np.corrcoef(X[rows, j], y[rows])[0, 1]) for j in columns]))


def heldout_correlation_all_rows(X, y, train, test, k):
    """Measures the correlation on all rows instead of the test rows."""
    rows = np.arange(len(y))
    leaky = SelectKBest(f_classif, k=k).fit(X, y).get_support(indices=True)
    honest = SelectKBest(f_classif, k=k).fit(X[train], y[train]).get_support(indices=True)
    return {"leaky": _mean_abs_corr(X, y, rows, leaky), "honest": _mean_abs_corr(X, y, rows, honest)}


def heldout_correlation_signed(X, y, train, test, k):
    """Averages signed correlations, which cancel out."""
    def mean_corr(columns):
        return float(np.mean([np.corrcoef(X[test, j], y[test])[0, 1] for j in columns]))

    leaky = SelectKBest(f_classif, k=k).fit(X, y).get_support(indices=True)
    honest = SelectKBest(f_classif, k=k).fit(X[train], y[train]).get_support(indices=True)
    return {"leaky": mean_corr(leaky), "honest": mean_corr(honest)}


def heldout_correlation_selects_on_test(X, y, train, test, k):
    """Selects the 'honest' features on the test rows."""
    leaky = SelectKBest(f_classif, k=k).fit(X, y).get_support(indices=True)
    honest = SelectKBest(f_classif, k=k).fit(X[test], y[test]).get_support(indices=True)
    return {"leaky": _mean_abs_corr(X, y, test, leaky), "honest": _mean_abs_corr(X, y, test, honest)}


# -- 5. tune_pipeline ----------------------------------------------------------------------------


def tune_pipeline_no_pipeline(X, y, C_values, cv):
    """Scales all rows first, then tunes a bare LogisticRegression on 'C'."""
    X_scaled = StandardScaler().fit_transform(X)
    search = GridSearchCV(LogisticRegression(max_iter=1000), {"C": list(C_values)}, scoring="accuracy", cv=cv)
    return search.fit(X_scaled, y)


def tune_pipeline_no_metric(X, y, C_values, cv):
    """Leaves scoring at its default (the metric was never chosen)."""
    pipe = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=1000))])
    return GridSearchCV(pipe, {"model__C": list(C_values)}, cv=cv).fit(X, y)


def tune_pipeline_linear_grid(X, y, C_values, cv):
    """Replaces the given values by a linear grid over the same range."""
    pipe = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=1000))])
    grid = {"model__C": list(np.linspace(min(C_values), max(C_values), len(C_values)))}
    return GridSearchCV(pipe, grid, scoring="accuracy", cv=cv).fit(X, y)


# -- 6. penguin_preprocessor ---------------------------------------------------------------------


def _ct(num_imputer, cat_steps, numeric, categorical, scale=True):
    num_steps = [("impute", num_imputer)] + ([("scale", StandardScaler())] if scale else [])
    return ColumnTransformer([("num", Pipeline(num_steps), list(numeric)),
                              ("cat", Pipeline(cat_steps), list(categorical))])


def _good_cat():
    return [("impute", SimpleImputer(strategy="most_frequent")),
            ("onehot", OneHotEncoder(handle_unknown="ignore"))]


def penguin_preprocessor_mean(numeric, categorical):
    """Imputes numbers with the mean instead of the median."""
    return _ct(SimpleImputer(strategy="mean"), _good_cat(), numeric, categorical)


def penguin_preprocessor_no_cat_imputer(numeric, categorical):
    """One-hot encodes without imputing: missing becomes its own category."""
    return _ct(SimpleImputer(strategy="median"), [("onehot", OneHotEncoder(handle_unknown="ignore"))],
               numeric, categorical)


def penguin_preprocessor_unknown_error(numeric, categorical):
    """Leaves handle_unknown at 'error': an unseen island crashes."""
    return _ct(SimpleImputer(strategy="median"),
               [("impute", SimpleImputer(strategy="most_frequent")), ("onehot", OneHotEncoder())],
               numeric, categorical)


def penguin_preprocessor_no_scaling(numeric, categorical):
    """Imputes the numbers but forgets to scale them."""
    return _ct(SimpleImputer(strategy="median"), _good_cat(), numeric, categorical, scale=False)


# -- 7. nested_cv --------------------------------------------------------------------------------


def nested_cv_tunes_on_all_rows(estimator, param_grid, X, y, inner_cv, outer_cv):
    """Reuses the outer test fold for tuning: the inner search is fitted on all rows."""
    outer, inner, params = [], [], []
    for _train, test in outer_cv.split(X, y):
        search = GridSearchCV(clone(estimator), param_grid, cv=inner_cv, scoring="accuracy").fit(X, y)
        inner.append(search.best_score_)
        params.append(search.best_params_)
        outer.append(search.score(X[test], y[test]))
    return {"outer_scores": np.array(outer), "inner_best_scores": np.array(inner), "best_params": params}


def nested_cv_not_nested(estimator, param_grid, X, y, inner_cv, outer_cv):
    """One search with the outer folds: reports the winner's own CV fold scores."""
    search = GridSearchCV(clone(estimator), param_grid, cv=outer_cv, scoring="accuracy").fit(X, y)
    n = outer_cv.get_n_splits()
    outer = np.array([search.cv_results_[f"split{i}_test_score"][search.best_index_] for i in range(n)])
    return {"outer_scores": outer, "inner_best_scores": np.full(n, search.best_score_),
            "best_params": [search.best_params_] * n}


def nested_cv_inner_as_outer(estimator, param_grid, X, y, inner_cv, outer_cv):
    """Reports the inner best score as the outer score."""
    inner, params = [], []
    for train, _test in outer_cv.split(X, y):
        search = GridSearchCV(clone(estimator), param_grid, cv=inner_cv, scoring="accuracy")
        search.fit(X[train], y[train])
        inner.append(search.best_score_)
        params.append(search.best_params_)
    return {"outer_scores": np.array(inner), "inner_best_scores": np.array(inner), "best_params": params}


def nested_cv_default_inner(estimator, param_grid, X, y, inner_cv, outer_cv):
    """Ignores inner_cv (GridSearchCV's default 5 folds)."""
    outer, inner, params = [], [], []
    for train, test in outer_cv.split(X, y):
        search = GridSearchCV(clone(estimator), param_grid, scoring="accuracy").fit(X[train], y[train])
        inner.append(search.best_score_)
        params.append(search.best_params_)
        outer.append(search.score(X[test], y[test]))
    return {"outer_scores": np.array(outer), "inner_best_scores": np.array(inner), "best_params": params}


# -- 8. retrain_and_test -------------------------------------------------------------------------


def retrain_and_test_with_test_rows(estimator, best_params, X_train, y_train, X_test, y_test):
    """Retrains on training and test rows together ("all data"), then tests on rows it has seen."""
    import pandas as pd

    if isinstance(X_train, pd.DataFrame):
        X_all = pd.concat([X_train, X_test])
    else:
        X_all = np.concatenate([X_train, X_test])
    model = clone(estimator).set_params(**best_params).fit(X_all, np.concatenate([y_train, y_test]))
    return model, float(model.score(X_test, y_test))


def retrain_and_test_ignores_params(estimator, best_params, X_train, y_train, X_test, y_test):
    """Forgets to set the chosen hyperparameters."""
    model = clone(estimator).fit(X_train, y_train)
    return model, float(model.score(X_test, y_test))


def retrain_and_test_no_clone(estimator, best_params, X_train, y_train, X_test, y_test):
    """Sets the parameters on, and fits, the caller's estimator itself."""
    model = estimator.set_params(**best_params).fit(X_train, y_train)
    return model, float(model.score(X_test, y_test))


def retrain_and_test_half_train(estimator, best_params, X_train, y_train, X_test, y_test):
    """Retrains on the first half of the training rows only (like one CV model)."""
    half = len(y_train) // 2
    X_half = X_train.iloc[:half] if hasattr(X_train, "iloc") else X_train[:half]
    model = clone(estimator).set_params(**best_params).fit(X_half, y_train[:half])
    return model, float(model.score(X_test, y_test))


# -- 9. is_log_scale -----------------------------------------------------------------------------


def is_log_scale_span_only(values):
    """Only checks that the values are positive and span a factor of 10."""
    if hasattr(values, "rvs"):
        return values.dist.name == "loguniform"
    v = np.sort(np.asarray(values, dtype=float))
    return bool(len(v) >= 2 and v[0] > 0 and v[-1] / v[0] >= 10)


def is_log_scale_ratio_only(values):
    """Only checks that the ratios are roughly constant (forgets the span)."""
    if hasattr(values, "rvs"):
        return values.dist.name == "loguniform"
    v = np.sort(np.asarray(values, dtype=float))
    if len(v) < 2 or v[0] <= 0:
        return False
    ratios = v[1:] / v[:-1]
    return bool(ratios.max() <= 1.5 * ratios.min())


def is_log_scale_unsorted(values):
    """Forgets to sort the values."""
    if hasattr(values, "rvs"):
        return values.dist.name == "loguniform"
    v = np.asarray(values, dtype=float)
    if len(v) < 2 or np.any(v <= 0):
        return False
    ratios = v[1:] / v[:-1]
    return bool(v.max() / v.min() >= 10 and ratios.min() > 0 and ratios.max() <= 1.5 * ratios.min())


def is_log_scale_exact_geometric(values):
    """Demands exactly equal ratios, so [0.01, 0.03, 0.1, ...] fails."""
    if hasattr(values, "rvs"):
        return values.dist.name == "loguniform"
    v = np.sort(np.asarray(values, dtype=float))
    if len(v) < 2 or np.any(v <= 0):
        return False
    ratios = v[1:] / v[:-1]
    return bool(v[-1] / v[0] >= 10 and np.allclose(ratios, ratios[0]))


def is_log_scale_loguniform_name_only(values):
    """Knows loguniform only by its name: scipy's reciprocal, the same distribution, is not log scale."""
    if hasattr(values, "rvs"):
        return values.dist.name == "loguniform"
    v = np.sort(np.asarray(values, dtype=float))
    if len(v) < 2 or np.any(v <= 0):
        return False
    ratios = v[1:] / v[:-1]
    return bool(v[-1] / v[0] >= 10 and ratios.max() <= 1.5 * ratios.min())


# -- 10. review_search ---------------------------------------------------------------------------


def _review(search, *, fits=False, first_grid_only=False, plain_names=False, refit_true_only=False,
            any_pipeline=False):
    log_ok = is_log_scale_reference
    missing = set()
    if search.scoring is None:
        missing.add("metric")
    est = search.estimator
    if not (isinstance(est, Pipeline) and (any_pipeline or len(est.steps) >= 2)):
        missing.add("pipeline")
    if isinstance(search, RandomizedSearchCV):
        space, n = search.param_distributions, search.n_iter
    else:
        space, n = search.param_grid, len(ParameterGrid(search.param_grid))
    grids = space if isinstance(space, list) else [space]
    if first_grid_only:
        grids = grids[:1]
    if len({name for grid in grids for name in grid}) > 4:
        missing.add("few_params")
    for grid in grids:
        for name, values in grid.items():
            short = name if plain_names else name.split("__")[-1]
            searched = hasattr(values, "rvs") or len(values) >= 2
            if short in SCALE_LIKE and searched and not log_ok(values):
                missing.add("log_scale")
    if fits:
        n *= search.cv if isinstance(search.cv, int) else 5
    if n > 50:
        missing.add("budget")
    if (search.refit is not True) if refit_true_only else (search.refit is False):
        missing.add("refit")
    return [item for item in CHECKLIST if item in missing]


def is_log_scale_reference(values):
    if hasattr(values, "rvs"):
        return values.dist.name in {"loguniform", "reciprocal"}
    v = np.sort(np.asarray(values, dtype=float))
    if len(v) < 2 or np.any(v <= 0):
        return False
    ratios = v[1:] / v[:-1]
    return bool(v[-1] / v[0] >= 10 and ratios.max() <= 1.5 * ratios.min())


def review_search_counts_fits(search):
    """Counts candidates x folds against the budget instead of candidates."""
    return _review(search, fits=True)


def review_search_first_grid_only(search):
    """Looks only at the first dict of a list of grids."""
    return _review(search, first_grid_only=True)


def review_search_plain_names(search):
    """Compares the full name ('model__C') with SCALE_LIKE, so pipeline parameters are never checked."""
    return _review(search, plain_names=True)


def review_search_refit_must_be_true(search):
    """Treats refit='f1' (a metric name) as missing."""
    return _review(search, refit_true_only=True)


def review_search_any_pipeline(search):
    """Accepts a one-step Pipeline as 'preprocessing inside the pipeline'."""
    return _review(search, any_pipeline=True)


def review_search_unordered(search):
    """Returns the right items in alphabetical order instead of checklist order."""
    return sorted(_review(search))


WRONG = {
    "selection_pipeline": [selection_pipeline_no_scaler, selection_pipeline_fixed_k,
                           selection_pipeline_mutual_info],
    "leaky_cv_scores": [leaky_cv_scores_no_scaler, leaky_cv_scores_actually_honest, leaky_cv_scores_default_folds],
    "honest_cv_scores": [honest_cv_scores_scaler_outside, honest_cv_scores_selector_outside,
                         honest_cv_scores_train_score],
    "heldout_correlation": [heldout_correlation_all_rows, heldout_correlation_signed,
                            heldout_correlation_selects_on_test],
    "tune_pipeline": [tune_pipeline_no_pipeline, tune_pipeline_no_metric, tune_pipeline_linear_grid],
    "penguin_preprocessor": [penguin_preprocessor_mean, penguin_preprocessor_no_cat_imputer,
                             penguin_preprocessor_unknown_error, penguin_preprocessor_no_scaling],
    "nested_cv": [nested_cv_tunes_on_all_rows, nested_cv_not_nested, nested_cv_inner_as_outer,
                  nested_cv_default_inner],
    "retrain_and_test": [retrain_and_test_with_test_rows, retrain_and_test_ignores_params,
                         retrain_and_test_no_clone, retrain_and_test_half_train],
    "is_log_scale": [is_log_scale_span_only, is_log_scale_ratio_only, is_log_scale_unsorted,
                     is_log_scale_exact_geometric, is_log_scale_loguniform_name_only],
    "review_search": [review_search_counts_fits, review_search_first_grid_only, review_search_plain_names,
                      review_search_refit_must_be_true, review_search_any_pipeline, review_search_unordered],
}
