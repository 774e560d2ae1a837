"""Every check passes on the reference solution and fails on plausible wrong implementations.

The exercises are read from the solution notebooks' test cells, the reference
functions are extracted from the solution notebooks, and the wrong
implementations come from ``tests/wrong/nbNN.py``.
"""

import importlib

import pytest

from autograde.catalog import all_exercises
from autograde.reference import solution
from helpers.checks import CheckFailed

EXERCISES = [ex for ex in all_exercises() if ex.check]
IDS = [f"{ex.module}.{ex.function}" for ex in EXERCISES]


def _checks(ex):
    public = getattr(importlib.import_module(f"helpers.checks.{ex.module}"), ex.check)
    hidden = getattr(importlib.import_module(f"autograde.checks.{ex.module}"), ex.check)
    return public, hidden


def _wrong(ex):
    module = importlib.import_module(f"tests.wrong.{ex.module}")
    return module.WRONG.get(ex.function, [])


def test_every_graded_cell_calls_a_public_check():
    graded = [ex for ex in all_exercises()]
    without = [f"{ex.notebook}:{ex.grade_id}" for ex in graded if not ex.check]
    assert graded and not without, f"graded cells without a public check: {without}"


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_public_check_passes_on_reference(ex):
    public, _ = _checks(ex)
    public(getattr(solution(ex.notebook), ex.function))


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_hidden_check_passes_on_reference(ex):
    _, hidden = _checks(ex)
    hidden(getattr(solution(ex.notebook), ex.function))


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_every_exercise_has_wrong_implementations(ex):
    assert _wrong(ex), f"tests/wrong/{ex.module}.py has no wrong implementation of {ex.function}"


WRONG_CASES = [(ex, fn) for ex in EXERCISES for fn in _wrong(ex)]


@pytest.mark.parametrize("ex, wrong", WRONG_CASES,
                         ids=[f"{ex.module}.{fn.__name__}" for ex, fn in WRONG_CASES])
def test_hidden_check_fails_on_wrong_implementation(ex, wrong):
    _, hidden = _checks(ex)
    with pytest.raises(CheckFailed):
        hidden(wrong)


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_checks_fail_on_unimplemented_stub(ex):
    def stub(*args, **kwargs):
        raise NotImplementedError()

    public, hidden = _checks(ex)
    for check in (public, hidden):
        with pytest.raises(CheckFailed, match="NotImplementedError"):
            check(stub)
