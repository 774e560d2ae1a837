"""Notebook 06: the public checks ship no line of the reference, and their constants are the reference's.

Students receive ``helpers/checks/nb06.py``. It must not contain the answer (no line of the
reference solution, no oracle that re-implements an exercise); instead its public cases carry
expected values. These tests prove that every such constant equals what the reference solution
(or, for the workflow, the hidden oracle) computes, so none of them was copied by hand.
"""

from pathlib import Path

import pytest
from sklearn.model_selection import ParameterGrid

from autograde.checks import nb06 as hidden
from autograde.trusted.reference import solution
from helpers.checks import nb06 as public

NOTEBOOK = "06_diy_automl"
HELPERS = Path(__file__).resolve().parents[1] / "helpers"


@pytest.fixture(scope="module")
def ref():
    return solution(NOTEBOOK)


def test_public_check_has_no_workflow_oracle():
    assert not hasattr(public, "workflow_oracle") and not hasattr(public, "RandomizedSearchCV")


def test_public_workflow_scores_are_the_reference_and_the_oracle(ref):
    (label, args, expected), = public.public_workflow_cases()
    assert expected == public.PUBLIC_WORKFLOW_SCORES
    X, y, cv, space, n_iter, board, seed = args
    table = ref.tuning_workflow(X, y, cv, space, n_iter, board.copy(), random_state=seed, n_jobs=1)
    assert list(table["step"]) == public.WORKFLOW_STEPS
    assert dict(zip(table["step"], map(float, table["cv_score"]))) == pytest.approx(expected, rel=1e-12)
    assert {k: float(v) for k, v in hidden.workflow_oracle(*args).items()} == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("cases, function", [
    (public.public_choose_cases, "choose_model"),
    (public.public_flaml_cases, "flaml_leaderboard"),
    (public.public_flags_cases, "automl_red_flags"),
])
def test_public_expected_values_are_the_reference(ref, cases, function):
    fn = getattr(ref, function)
    for label, args, expected in cases():
        got = fn(*args)
        if function == "flaml_leaderboard":
            got = list(zip(got["family"], got["best_cv"]))
        assert got == expected, label


@pytest.mark.parametrize("n_trees, seed", [(100, 0), (7, 3)])
def test_public_lecture_grids_and_families_are_the_reference(ref, n_trees, seed):
    configs = ref.make_model_configs(n_trees=n_trees, random_state=seed)
    assert list(configs) == public.FAMILIES
    grids = public.lecture_grids(n_trees)
    for family, (estimator, grid) in configs.items():
        assert public._plain_grid(grid) == grids[family], family
        assert type(public._final(estimator)) is public.FAMILY_CLASSES[family], family
        assert (family in public.SCALED) == (estimator is not public._final(estimator)), family
        assert (family in public.SEEDED) == ("random_state" in public._final(estimator).get_params()
                                             and family not in public.SCALED), family
    assert sum(len(ParameterGrid(grid)) for _, grid in configs.values()) == 19


def test_example_leaderboard_is_sorted_best_first_with_stable_ties():
    board = public.example_leaderboard({"a": 0.5, "b": 0.9, "c": 0.5, "d": 0.7})
    assert list(board["family"]) == ["b", "d", "a", "c"]
    assert list(board.index) == [0, 1, 2, 3]
    assert list(board.columns) == public.LEADERBOARD_COLUMNS
