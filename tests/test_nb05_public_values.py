"""Notebook 05's public checks: expected values proven against the reference, no answer shipped.

The public checks in ``helpers.checks.nb05`` reach students, so they carry the
expected results of their public inputs instead of an oracle that re-implements
the exercise. These tests recompute every such constant with the reference
solution, make sure the public checks still catch every wrong implementation,
and that no distinctive line of the reference solution appears in ``helpers/``.
"""

from __future__ import annotations

import contextlib
import io
import random
from pathlib import Path

import numpy as np
import pytest

from autograde.trusted.reference import solution
from helpers.checks import CheckFailed
from helpers.checks import nb05 as public
from tests.wrong.nb05 import WRONG

NOTEBOOK = "05_reproducibility"


@pytest.fixture(scope="module")
def ref():
    return solution(NOTEBOOK)


def _seeded(seed, function, *args):
    random.seed(seed)
    np.random.seed(seed)
    return function(*args)


def test_repeat_runs_values(ref):
    for label, args, expected in public.public_repeat_runs_cases():
        assert _seeded(0, ref.repeat_runs, *args) == pytest.approx(expected, rel=0, abs=1e-12), label


def test_split_and_score_values(ref):
    cases = public.public_split_and_score_cases()
    for label, args, expected in cases:
        assert _seeded(987654, ref.split_and_score, *args) == pytest.approx(expected, rel=0, abs=1e-12), label
    # The two cases swap the seeds; different scores are what catches a function that swaps them.
    assert len({expected for _, _, expected in cases}) == len(cases)


def test_mean_std_values(ref):
    for label, (scores,), (mean, std, text) in public.public_mean_std_cases():
        want_mean, want_std, want_text = ref.mean_std_report(list(scores))
        assert (mean, std) == pytest.approx((want_mean, want_std), rel=1e-12, abs=0), label
        assert text == want_text, label
        # The public scores tell the population std from the sample std.
        assert not np.isclose(np.std(scores, ddof=1), std, rtol=1e-3), label
    _, (scores,), (_, _, text) = public.public_mean_std_cases()[0]
    assert f"{np.std(scores, ddof=1):.3f}" != text.split(" ± ")[1], "and so does the text"


def test_variance_values(ref):
    for label, (grid,), expected in public.public_variance_cases():
        want = ref.variance_by_source(np.array(grid))
        assert expected == pytest.approx(want, rel=1e-12, abs=0), label
        assert np.shape(grid)[0] != np.shape(grid)[1], "a square grid would hide swapped axes"


def test_fold_counts_values(ref):
    for label, (y, cv), expected in public.public_fold_counts_cases():
        assert ref.fold_class_counts(y, cv).tolist() == expected, label


def test_trap_values(ref):
    for label, args, expected in public.public_trap_cases():
        want = _seeded(987654, ref.kfold_trap, *args)
        assert sorted(want) == sorted(expected), label
        for name, scores in expected.items():
            assert want[name].tolist() == pytest.approx(scores, rel=0, abs=1e-12), (label, name)


def test_skip_values(ref):
    for label, args, expected in public.public_skip_cases():
        got = _seeded(0, ref.skip_each_seed, *args)
        assert {k: sorted(v) for k, v in got.items()} == expected, label


@pytest.mark.parametrize("function, wrong", [(fn, w) for fn, ws in WRONG.items() for w in ws],
                         ids=[f"{fn}.{w.__name__}" for fn, ws in WRONG.items() for w in ws])
def test_public_check_catches_wrong_implementation(function, wrong):
    with pytest.raises(CheckFailed), contextlib.redirect_stdout(io.StringIO()):
        getattr(public, f"check_{function}")(wrong)


def test_public_case_without_expected_value_needs_an_oracle(ref):
    label, args, _ = public.public_split_and_score_cases()[0]
    with pytest.raises(CheckFailed, match="needs an oracle"):
        public.check_split_and_score(ref.split_and_score, cases=[(label, args, None)])
    public.check_split_and_score(ref.split_and_score, cases=[(label, args, None)],
                                 oracle=ref.split_and_score)


def test_public_module_has_no_oracle():
    source = Path(public.__file__).read_text()
    for name in ("_oracle(", "RandomForestClassifier", "cross_val_score", ".std(axis", "np.mean(scores"):
        assert name not in source, name


def test_experiment_is_data_and_keeps_its_private_seeder_after_pickling():
    """Experiments cross to the student's process as pickles: the private seeder must still seed them."""
    import pickle

    experiment = public.Experiment({"gpu": ("private", "random"), "dice": ("numpy", "rand", 2),
                                    "pair": ("list", [("random", "randint", 0, 9), ("value", "x")])})
    seeders = {"random": public.seed_random, "numpy": public.seed_numpy, "gpu": experiment.private_seeder()}
    copy, seeders_copy = pickle.loads(pickle.dumps((experiment, seeders)))
    assert seeders_copy["random"] is public.seed_random and seeders_copy["numpy"] is public.seed_numpy
    for s in seeders_copy.values():
        s(4)
    first = copy()
    for s in seeders_copy.values():
        s(4)
    second = copy()
    assert first["gpu"] == second["gpu"] == random.Random(4).random()
    assert np.array_equal(first["dice"], second["dice"]) and first["pair"] == second["pair"]
    assert list(first) == ["gpu", "dice", "pair"] and first["pair"][1] == "x"


def test_probe_seeded_seeds_and_restores_the_global_generators():
    random.seed(1)
    np.random.seed(1)
    want_py, want_np = random.Random(1).random(), np.random.RandomState(1).rand()
    draws = public.probe_seeded(lambda: (random.random(), np.random.rand()), 8)
    assert draws == (random.Random(8).random(), np.random.RandomState(8).rand())
    assert (random.random(), np.random.rand()) == (want_py, want_np)
