"""Notebook 03: every constant of the public checks is what the reference computes.

The public checks (shipped to students in ``helpers/``) hold no reference code and
no answer; the few expected values they do hold are proven here against the
reference solution and the notebook's given cells, so none of them is copied by hand.
"""

import numpy as np
import pytest

from autograde.checks import nb03 as hidden
from autograde.trusted.reference import solution
from helpers.checks import CheckFailed
from helpers.checks import nb03 as public

REFERENCE = solution("03_optuna_bayesopt")


def test_map_constants_and_gold_fields_are_the_notebooks():
    assert (public.PRIOR_MEAN, public.PRIOR_STD) == (REFERENCE.PRIOR_MEAN, REFERENCE.PRIOR_STD)
    x = np.linspace(-1, 7, 97)
    np.testing.assert_array_equal(public.gold_field(x), REFERENCE.gold_field(x))
    plane = np.column_stack([x, x[::-1]])
    np.testing.assert_array_equal(public.gold_field_2d(plane), REFERENCE.gold_field_2d(plane))


def test_gp_posterior_spot_values_are_the_references():
    for label, args, expected in public.public_gp_posterior_cases():
        if not expected:
            continue
        mu, sigma = REFERENCE.gp_posterior(*args)
        for index, (want_mu, want_sigma) in expected.items():
            assert mu[index] == pytest.approx(want_mu, rel=1e-8), label
            assert sigma[index] == pytest.approx(want_sigma, rel=1e-8), label


def test_ucb_values_are_the_references():
    for label, args, kwargs, expected in public.public_ucb_cases():
        np.testing.assert_allclose(REFERENCE.upper_confidence_bound(*args, **kwargs), expected, err_msg=label)


def test_pruning_summary_values_are_the_references():
    for label, args, expected in public.public_summary_cases():
        assert REFERENCE.pruning_summary(*args) == expected, label


def test_first_active_learning_drill_is_the_references():
    _, args, _ = public.public_loop_case()
    x_obs, _ = REFERENCE.active_learning(*args)
    assert x_obs[len(args[1])] == 6.0


def test_optuna_words_lists_are_the_notebooks_given_lists():
    assert public.GOLD_MINING == REFERENCE.GOLD_MINING
    assert public.OPTUNA_WORDS == REFERENCE.OPTUNA_WORDS


def test_public_optuna_words_check_holds_no_answer():
    """Any one-to-one pairing (but the lists' own order) passes publicly; only the hidden check knows the answer."""
    answer = REFERENCE.optuna_words()
    rotated = dict(zip(public.GOLD_MINING, public.OPTUNA_WORDS[1:] + public.OPTUNA_WORDS[:1]))
    assert rotated != answer
    public.check_optuna_words(lambda: rotated)
    with pytest.raises(CheckFailed):
        hidden.check_optuna_words(lambda: rotated)
    with pytest.raises(CheckFailed, match="given order"):
        public.check_optuna_words(lambda: dict(zip(public.GOLD_MINING, public.OPTUNA_WORDS)))
    source = open(public.__file__).read()
    assert not any(f'"{phrase}": "{word}"' in source for phrase, word in answer.items())
