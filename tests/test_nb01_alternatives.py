"""Notebook 01: correct answers written another way than the reference keep their points.

Each one follows the statement literally where an earlier statement was ambiguous
(issue 14): the intercept of a model without one, the order of a score matrix's labels,
ties in a grid search, ``None`` hyperparameters (NaN in pandas) in tables and heat maps.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_validate

from autograde.checks import nb01 as hidden
from helpers.checks import nb01 as public
from helpers.checks.core import CheckFailed


def count_parameters_by_flag(model):
    learned_intercept = model.fit_intercept
    return int(model.coef_.size + (np.asarray(model.intercept_).size if learned_intercept else 0))


def count_parameters_by_float_type(model):
    """The old statement read literally: 'intercept_ == 0.0, a plain float' means no intercept."""
    intercept = model.intercept_
    return int(model.coef_.size + (0 if type(intercept) is float else np.size(intercept)))


def _rows_with(column, value):
    return column.isna() if pd.isna(value) else column == value


def score_matrix_first_seen_order(table, row, col):
    rows, cols = table[row].unique(), table[col].unique()
    cells = [[table.loc[_rows_with(table[row], r) & _rows_with(table[col], c), "mean_test_score"].max()
              for c in cols] for r in rows]
    return pd.DataFrame(cells, index=rows, columns=cols)


def score_matrix_groupby(table, row, col):
    """groupby with dropna=False, then unstack: the None value is a NaN label."""
    return table.groupby([row, col], dropna=False)["mean_test_score"].max().unstack(col)


def score_matrix_none_labels(table, row, col):
    """A dict of dicts: a None hyperparameter is labelled None, not NaN."""
    plain = table.astype(object).where(table.notna(), None)
    cells = {}
    for r, c, score in zip(plain[row], plain[col], plain["mean_test_score"]):
        cells.setdefault(r, {})[c] = max(score, cells.get(r, {}).get(c, -np.inf))
    rows, cols = list(cells), list(dict.fromkeys(c for by_col in cells.values() for c in by_col))
    return pd.DataFrame([[cells[r][c] for c in cols] for r in rows],
                        index=pd.Index(rows, dtype=object), columns=pd.Index(cols, dtype=object))


def grid_search_idxmax(estimator, param_grid, X, y, cv):
    """cross_validate, a table first, then idxmax (its first maximum: itertools.product order on a tie)."""
    candidates = [dict(zip(param_grid, values)) for values in itertools.product(*param_grid.values())]
    rows = []
    for params in candidates:
        scores = cross_validate(clone(estimator).set_params(**params), X, y, cv=cv)["test_score"]
        rows.append({**params, "mean_score": np.mean(scores), "std_score": np.std(scores)})
    table = pd.DataFrame(rows)
    best = int(table["mean_score"].idxmax())
    return candidates[best], float(table.loc[best, "mean_score"]), table


def grid_search_max_of_rows(estimator, param_grid, X, y, cv):
    """Python's max over (score, params) rows keeps the first maximum too; a shuffled table, no index reset."""
    from sklearn.model_selection import cross_val_score

    rows = []
    for values in itertools.product(*param_grid.values()):
        params = dict(zip(param_grid, values))
        scores = cross_val_score(clone(estimator).set_params(**params), X, y, cv=cv)
        rows.append((params, scores.mean(), scores.std()))
    best_params, best_score, _ = max(rows, key=lambda row: row[1])
    table = pd.DataFrame([{**p, "mean_score": m, "std_score": s} for p, m, s in rows])
    return best_params, best_score, table.iloc[::-1]


def grid_search_accuracy_parallel(estimator, param_grid, X, y, cv):
    """scoring="accuracy" and n_jobs=-1 spelled out, the best kept with a strict >."""
    from sklearn.model_selection import cross_val_score

    best_params, best_score, rows = None, -np.inf, []
    for values in itertools.product(*param_grid.values()):
        params = dict(zip(param_grid.keys(), values))
        scores = cross_val_score(clone(estimator).set_params(**params), X, y, cv=cv, scoring="accuracy", n_jobs=-1)
        rows.append(dict(params, mean_score=scores.mean(), std_score=scores.std()))
        if scores.mean() > best_score:
            best_params, best_score = params, scores.mean()
    return best_params, best_score, pd.DataFrame(rows)


def results_table_unstable_sort(search):
    """No index reset, pandas' default (unstable) sort, params as plain Python values (None, not NaN)."""
    results = search.cv_results_
    table = pd.DataFrame({"params": results["params"]})
    for name in sorted(results["params"][0]):
        table[name] = pd.Series([p[name] for p in results["params"]], dtype=object)
    table = table.drop(columns="params")
    for column in ["mean_test_score", "std_test_score", "rank_test_score"]:
        table[column] = results[column]
    return table.sort_values("rank_test_score")


@pytest.mark.parametrize("fn", [count_parameters_by_flag])
def test_counting_by_fit_intercept_passes_public_and_hidden(fn):
    public.check_count_parameters(fn)
    hidden.check_count_parameters(fn)


def test_the_old_statements_float_test_fails_on_a_logistic_regression_without_intercept():
    public.check_count_parameters(count_parameters_by_float_type)  # the public cases cannot tell
    with pytest.raises(CheckFailed):
        hidden.check_count_parameters(count_parameters_by_float_type)


def test_a_score_matrix_in_first_seen_order_passes_public_and_hidden():
    public.check_score_matrix(score_matrix_first_seen_order)
    hidden.check_score_matrix(score_matrix_first_seen_order)


@pytest.mark.parametrize("fn", [score_matrix_groupby, score_matrix_none_labels])
def test_a_score_matrix_keeping_none_passes_public_and_hidden(fn):
    public.check_score_matrix(fn)
    hidden.check_score_matrix(fn)


@pytest.mark.parametrize("fn", [grid_search_idxmax, grid_search_max_of_rows, grid_search_accuracy_parallel])
def test_a_grid_search_keeping_the_first_tie_passes_public_and_hidden(fn):
    public.check_grid_search(fn)
    hidden.check_grid_search(fn)


def test_a_results_table_with_none_and_its_own_index_passes_public_and_hidden():
    public.check_results_table(results_table_unstable_sort)
    hidden.check_results_table(results_table_unstable_sort)


def test_the_public_tie_case_tells_itertools_product_from_gridsearchcv_order():
    """On the public tie, the first combination in product order is not GridSearchCV's best_params_."""
    from sklearn.model_selection import GridSearchCV

    ties = [case for case in public.public_grid_search_cases() if "tie" in case[0]]
    assert ties
    for _, (estimator, grid, X, y, cv), _ in ties:
        first, _, _ = grid_search_idxmax(estimator, grid, X, y, cv)
        search = GridSearchCV(clone(estimator), grid, cv=cv).fit(X, y)
        assert first != search.best_params_
        assert search.cv_results_["mean_test_score"].tolist().count(search.best_score_) > 1
