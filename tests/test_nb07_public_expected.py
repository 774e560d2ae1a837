"""Notebook 07: the public checks ship no line of the reference, and their constants are the reference's.

Students receive ``helpers/checks/nb07.py``. It must not contain the answer (no line of the
reference solution, no oracle that re-implements an exercise); on the public cases it compares
with properties, a computation written another way, or the ``PUBLIC_*`` constants. These tests
prove that every such constant (and every expected answer in a public case) equals what the
reference solution computes, so none of them was copied by hand.
"""

from pathlib import Path

import numpy as np
import pytest

from autograde.trusted.reference import solution
from helpers.checks import CheckFailed
from helpers.checks import nb07 as public
from tests.wrong import nb07 as wrong

NOTEBOOK = "07_pipelines_leakage"
HELPERS = Path(__file__).resolve().parents[1] / "helpers"


@pytest.fixture(scope="module")
def ref():
    return solution(NOTEBOOK)


def test_public_check_has_no_oracle_of_an_exercise():
    for name in ("leaky_oracle", "honest_oracle", "correlation_oracle", "cross_val_score"):
        assert not hasattr(public, name), name


@pytest.mark.parametrize("cases, table, function", [
    (public.public_leakage_cases, public.PUBLIC_LEAKY_SCORES, "leaky_cv_scores"),
    (public.public_honest_cases, public.PUBLIC_HONEST_SCORES, "honest_cv_scores"),
])
def test_public_fold_scores_are_the_reference(ref, cases, table, function):
    labels = [label for label, _, _ in cases()]
    assert sorted(table) == sorted(labels)
    for label, args, _ in cases():
        assert table[label] == pytest.approx(list(getattr(ref, function)(*args)), rel=1e-12, abs=0), label


def test_public_correlations_are_the_reference(ref):
    checked = 0
    for label, args, _ in public.public_correlation_cases():
        if label in public.PUBLIC_CORRELATIONS:
            assert public.PUBLIC_CORRELATIONS[label] == pytest.approx(ref.heldout_correlation(*args), rel=1e-12)
            checked += 1
        else:  # the property case: every feature kept
            X, y, _, test, k = args
            assert k == X.shape[1]
            want = public._mean_abs_corr_all_columns(X, y, test)
            assert ref.heldout_correlation(*args) == pytest.approx({"leaky": want, "honest": want}, rel=1e-9)
    assert checked == len(public.PUBLIC_CORRELATIONS) == 1


def test_public_tune_scores_are_the_reference(ref):
    (label, args, _), = public.public_tune_cases()
    search = ref.tune_pipeline(*args)
    assert public.PUBLIC_TUNE_MEAN_SCORES[label] == pytest.approx(
        list(search.cv_results_["mean_test_score"]), rel=1e-12)
    assert public._key(public.PUBLIC_TUNE_BEST_PARAMS[label]) == public._key(search.best_params_)


@pytest.mark.parametrize("cases, function", [
    (public.public_log_scale_cases, "is_log_scale"),
    (public.public_review_cases, "review_search"),
])
def test_public_expected_answers_are_the_reference(ref, cases, function):
    for label, args, expected in cases():
        assert getattr(ref, function)(*args) == expected, label


def test_honest_check_catches_a_step_fitted_outside_the_pipeline_without_the_reference():
    """The trap rows alone (no constant, no oracle) expose scaling or selecting on all rows."""
    trap = [case for case in public.public_honest_cases() if case[0] == public.TRAP_LABEL]
    for fn in (wrong.honest_cv_scores_scaler_outside, wrong.honest_cv_scores_selector_outside):
        with pytest.raises(CheckFailed, match="rows that are in no fold"):
            public.check_honest_cv_scores(fn, cases=trap)


def test_retrain_check_needs_no_reference():
    """Hyperparameters and a refit of the returned model itself catch every wrong retrain."""
    for fn in wrong.WRONG["retrain_and_test"]:
        with pytest.raises(CheckFailed):
            public.check_retrain_and_test(fn)


def test_retrain_check_reads_nan_hyperparameters_as_equal():
    params = public._plain_params({"missing_values": np.nan, "C": np.float64(1.0), "step": object()})
    assert params == {"missing_values": "nan", "C": 1.0}
