"""Notebook 01: correct answers written another way than the reference keep their points.

Each one follows the statement literally where an earlier statement was ambiguous
(issue 14): the intercept of a model without one, the order of a score matrix's labels.
"""

import numpy as np
import pandas as pd
import pytest

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


def score_matrix_first_seen_order(table, row, col):
    rows, cols = table[row].unique(), table[col].unique()
    cells = {(r, c): table.loc[(table[row] == r) & (table[col] == c), "mean_test_score"].max()
             for r in rows for c in cols}
    return pd.DataFrame([[cells[r, c] for c in cols] for r in rows], index=rows, columns=cols)


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
