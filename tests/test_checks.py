"""Every check passes on the reference solution and fails on plausible wrong implementations.

The functions under test are served from a call server in another process
(:mod:`tests.serving`, the same code the kernel forks while grading) and called
through :class:`autograde.trusted.remote.Remote`, exactly as
:mod:`autograde.trusted.decide` calls a student's: arguments cross as pickles,
answers come back as plain data only, and side effects stay in the other process.
"""

import importlib

import pytest

from autograde.catalog import all_exercises
from autograde.trusted.decide import checks_of
from autograde.trusted.reference import solution
from autograde.trusted.remote import Remote
from helpers.checks import CheckFailed
from helpers.checks.core import Failure
from tests.serving import served

EXERCISES = [ex for ex in all_exercises() if ex.check]
IDS = [f"{ex.module}.{ex.function}" for ex in EXERCISES]


def _wrong(ex):
    module = importlib.import_module(f"tests.wrong.{ex.module}")
    return module.WRONG.get(ex.function, [])


def _namespace(ex, function=None) -> dict:
    namespace = dict(vars(solution(ex.notebook)))
    if function is not None:
        namespace[ex.function] = function
    return namespace


def test_every_graded_cell_calls_a_public_check():
    graded = [ex for ex in all_exercises()]
    without = [f"{ex.notebook}:{ex.grade_id}" for ex in graded if not ex.check]
    assert graded and not without, f"graded cells without a public check: {without}"


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_public_and_hidden_checks_pass_on_reference_across_processes(ex):
    public, hidden = checks_of(ex)
    with served(_namespace(ex)) as channel:
        public(Remote(channel, ex.function))
        hidden(Remote(channel, ex.function))


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_public_check_passes_on_reference_in_the_notebook(ex):
    public, _ = checks_of(ex)
    public(getattr(solution(ex.notebook), ex.function))


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_every_exercise_has_wrong_implementations(ex):
    assert _wrong(ex), f"tests/wrong/{ex.module}.py has no wrong implementation of {ex.function}"


WRONG_CASES = [(ex, fn) for ex in EXERCISES for fn in _wrong(ex)]


@pytest.mark.parametrize("ex, wrong", WRONG_CASES,
                         ids=[f"{ex.module}.{fn.__name__}" for ex, fn in WRONG_CASES])
def test_hidden_check_fails_on_wrong_implementation(ex, wrong):
    _, hidden = checks_of(ex)
    with served(_namespace(ex, wrong)) as channel, pytest.raises(CheckFailed):
        hidden(Remote(channel, ex.function))


def _stub(*args, **kwargs):
    raise NotImplementedError()


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_checks_fail_on_unimplemented_stub(ex):
    public, hidden = checks_of(ex)
    with served(_namespace(ex, _stub)) as channel:
        for check in (public, hidden):
            with pytest.raises(CheckFailed, match="NotImplementedError") as failure:
                check(Remote(channel, ex.function))
            assert failure.value.kind is Failure.NOT_IMPLEMENTED
