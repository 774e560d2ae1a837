"""Wrong implementations for notebook 01 (manual grid search)."""

import itertools

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, ParameterGrid, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures
from sklearn.tree import DecisionTreeClassifier


def count_parameters_len(model):
    """len() of a 2-D coef_ counts rows (classes), not weights."""
    return int(len(model.coef_) + np.size(model.intercept_))


def count_parameters_always_intercept(model):
    """Counts the 0.0 intercept of a model fitted without one."""
    return int(np.size(model.coef_) + 1)


def poly_cv_mse_negative(x, y, degrees, cv):
    """Forgets that the scorer returns negative MSE."""
    return np.array([cross_val_score(make_pipeline(PolynomialFeatures(d, include_bias=False),
                                                   LinearRegression()),
                                     np.reshape(x, (-1, 1)), y, cv=cv,
                                     scoring="neg_mean_squared_error").mean() for d in degrees])


def poly_cv_mse_off_by_one(x, y, degrees, cv):
    """Uses degree d - 1 (range confusion)."""
    return np.array([-cross_val_score(make_pipeline(PolynomialFeatures(max(d - 1, 1), include_bias=False),
                                                    LinearRegression()),
                                      np.reshape(x, (-1, 1)), y, cv=cv,
                                      scoring="neg_mean_squared_error").mean() for d in degrees])


def poly_cv_mse_own_folds(x, y, degrees, cv):
    """Ignores the given folds and uses 5 unshuffled folds."""
    return np.array([-cross_val_score(make_pipeline(PolynomialFeatures(d, include_bias=False),
                                                    LinearRegression()),
                                      np.reshape(x, (-1, 1)), y, cv=5,
                                      scoring="neg_mean_squared_error").mean() for d in degrees])


def grid_search_1d_worst(X, y, depths, cv):
    """Keeps the worst depth instead of the best."""
    scores = {d: cross_val_score(DecisionTreeClassifier(max_depth=d, random_state=0), X, y, cv=cv).mean()
              for d in depths}
    worst = min(scores, key=scores.get)
    return worst, scores[worst], scores


def grid_search_1d_skips_last(X, y, depths, cv):
    """Off by one: never tries the last depth."""
    scores = {d: cross_val_score(DecisionTreeClassifier(max_depth=d, random_state=0), X, y, cv=cv).mean()
              for d in depths[:-1]}
    best = max(scores, key=scores.get)
    return best, scores[best], scores


def grid_search_1d_train_score(X, y, depths, cv):
    """Scores on the training data instead of cross-validation."""
    scores = {d: DecisionTreeClassifier(max_depth=d, random_state=0).fit(X, y).score(X, y) for d in depths}
    best = max(scores, key=scores.get)
    return best, scores[best], scores


def grid_search_first_param_only(estimator, param_grid, X, y, cv):
    """Varies only the first hyperparameter (a nested loop that was never written)."""
    names = list(param_grid)
    rows, best = [], (None, -np.inf)
    for values in itertools.product(*param_grid.values()):
        params = dict(zip(names, values))
        model = clone(estimator).set_params(**{names[0]: params[names[0]]})
        score = cross_val_score(model, X, y, cv=cv).mean()
        rows.append({**params, "mean_score": score, "std_score": 0.0})
        if score > best[1]:
            best = (params, score)
    return best[0], best[1], pd.DataFrame(rows)


def grid_search_default_folds(estimator, param_grid, X, y, cv):
    """Wrong fold handling: ignores cv and uses 3 folds."""
    names = list(param_grid)
    rows, best = [], (None, -np.inf)
    for values in itertools.product(*param_grid.values()):
        params = dict(zip(names, values))
        score = cross_val_score(clone(estimator).set_params(**params), X, y, cv=3).mean()
        rows.append({**params, "mean_score": score, "std_score": 0.0})
        if score > best[1]:
            best = (params, score)
    return best[0], best[1], pd.DataFrame(rows)


def grid_search_last_not_best(estimator, param_grid, X, y, cv):
    """Returns the last combination tried instead of the best."""
    names = list(param_grid)
    rows = []
    for values in itertools.product(*param_grid.values()):
        params = dict(zip(names, values))
        score = cross_val_score(clone(estimator).set_params(**params), X, y, cv=cv).mean()
        rows.append({**params, "mean_score": score, "std_score": 0.0})
    return params, score, pd.DataFrame(rows)


def grid_search_last_on_tie(estimator, param_grid, X, y, cv):
    """Updates the best on >=: on a tie keeps the last combination, not the first."""
    names = list(param_grid)
    rows, best = [], (None, -np.inf)
    for values in itertools.product(*param_grid.values()):
        params = dict(zip(names, values))
        scores = cross_val_score(clone(estimator).set_params(**params), X, y, cv=cv)
        rows.append({**params, "mean_score": scores.mean(), "std_score": scores.std()})
        if scores.mean() >= best[1]:
            best = (params, scores.mean())
    return best[0], best[1], pd.DataFrame(rows)


def grid_search_sorted_names(estimator, param_grid, X, y, cv):
    """Loops over ParameterGrid (names sorted, like GridSearchCV): on a tie keeps another combination."""
    rows, best = [], (None, -np.inf)
    for params in ParameterGrid(param_grid):
        scores = cross_val_score(clone(estimator).set_params(**params), X, y, cv=cv)
        rows.append({**params, "mean_score": scores.mean(), "std_score": scores.std()})
        if scores.mean() > best[1]:
            best = (params, scores.mean())
    return best[0], best[1], pd.DataFrame(rows)


def count_fits_sum(param_grid, n_folds):
    """Adds the grid sizes instead of multiplying them."""
    return sum(len(v) for v in param_grid.values()) * n_folds


def count_fits_no_folds(param_grid, n_folds):
    """Forgets that every combination is fitted once per fold."""
    return int(np.prod([len(v) for v in param_grid.values()]))


def tune_random_forest_one_core(X, y, param_grid, cv):
    """Leaves n_jobs at its default (one core)."""
    return GridSearchCV(RandomForestClassifier(random_state=0), param_grid, cv=cv).fit(X, y)


def tune_random_forest_unseeded(X, y, param_grid, cv):
    """Forgets random_state, so results change from run to run."""
    return GridSearchCV(RandomForestClassifier(), param_grid, cv=cv, n_jobs=-1).fit(X, y)


def results_table_unsorted(search):
    """Keeps cv_results_ order instead of sorting by rank."""
    table = pd.DataFrame(search.cv_results_["params"])
    for column in ["mean_test_score", "std_test_score", "rank_test_score"]:
        table[column] = search.cv_results_[column]
    return table


def results_table_worst_first(search):
    """Sorts by rank descending (worst first)."""
    return results_table_unsorted(search).sort_values("rank_test_score", ascending=False)


def results_table_scores_only_sorted(search):
    """Sorts the score columns but leaves the hyperparameters in cv_results_ order: rows no longer match."""
    table = pd.DataFrame(search.cv_results_["params"])
    order = np.argsort(search.cv_results_["rank_test_score"], kind="stable")
    for column in ["mean_test_score", "std_test_score", "rank_test_score"]:
        table[column] = np.asarray(search.cv_results_[column])[order]
    return table


def score_matrix_drops_none(table, row, col):
    """pivot_table's default dropna=True: a None hyperparameter (NaN) loses its row or column."""
    return table.pivot_table(index=row, columns=col, values="mean_test_score", aggfunc="max")


def score_matrix_mean(table, row, col):
    """Averages over the other hyperparameters instead of taking the best."""
    return table.pivot_table(index=row, columns=col, values="mean_test_score", aggfunc="mean")


def score_matrix_transposed(table, row, col):
    """Swaps rows and columns."""
    return table.pivot_table(index=col, columns=row, values="mean_test_score", aggfunc="max")


WRONG = {
    "count_parameters": [count_parameters_len, count_parameters_always_intercept],
    "poly_cv_mse": [poly_cv_mse_negative, poly_cv_mse_off_by_one, poly_cv_mse_own_folds],
    "grid_search_1d": [grid_search_1d_worst, grid_search_1d_skips_last, grid_search_1d_train_score],
    "grid_search": [grid_search_first_param_only, grid_search_default_folds, grid_search_last_not_best,
                    grid_search_last_on_tie, grid_search_sorted_names],
    "count_fits": [count_fits_sum, count_fits_no_folds],
    "tune_random_forest": [tune_random_forest_one_core, tune_random_forest_unseeded],
    "results_table": [results_table_unsorted, results_table_worst_first, results_table_scores_only_sorted],
    "score_matrix": [score_matrix_mean, score_matrix_transposed, score_matrix_drops_none],
}
