"""Notebook 02: every expected value a public check carries equals what the reference computes.

The public checks of the sampling exercises cannot hold an oracle (the oracle would be the
answer students receive in ``helpers/``), so they compare with numbers computed once with the
reference solution. These tests recompute every such number with the reference, so that a
changed reference, a changed public case or another random stream from NumPy or scipy fails
here, instead of leaving a public check that silently disagrees with the hidden one.

Floats must agree to a relative 1e-12, at least as tight as every public check's tolerance;
everything else (ints, strings, dict keys, lengths) exactly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograde.trusted.reference import solution
from helpers.checks import nb02 as public

NOTEBOOK = "02_grid_vs_random"


@pytest.fixture(scope="module")
def ref():
    return solution(NOTEBOOK)


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def same(got, want) -> bool:
    """Equal as values: floats to a relative 1e-12, the rest exactly (types included)."""
    got, want = _plain(got), _plain(want)
    if isinstance(want, dict):
        return isinstance(got, dict) and list(got) == list(want) and all(same(got[k], want[k]) for k in want)
    if isinstance(want, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(want)
                and all(same(g, w) for g, w in zip(got, want)))
    if isinstance(want, float) or isinstance(got, float):
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (got, want))
        return numbers and math.isclose(got, want, rel_tol=1e-12, abs_tol=0.0)
    return type(got) is type(want) and got == want


def _scale_prefix(ref, args, expected):
    """The public case holds the first few samples of each key."""
    got = ref.scale_samples(*args)
    return {key: np.asarray(got[key])[: len(values)] for key, values in expected.items()}


#: Each public case function whose cases carry expected values -> the reference's value for a case.
REFERENCE = {
    "public_peak_cases": lambda ref, args, _: ref.peak_search_1d(*args),
    "public_count_distinct_cases": lambda ref, args, _: ref.count_distinct(*args),
    "public_best_so_far_cases": lambda ref, args, _: ref.best_so_far(*args),
    "public_sample_cases": lambda ref, args, _: ref.sample_params(*args),
    # The expected value is the candidates, in evaluation order: the reference's samples.
    "public_random_search_cases": lambda ref, args, _: ref.sample_params(args[1], args[5], args[6]),
    "public_scale_cases": _scale_prefix,
    "public_fraction_cases": lambda ref, args, _: ref.fraction_below(*args),
    "public_rule_cases": lambda ref, args, _: ref.recommend_strategy(*args),
}
#: Public case functions that carry no expected answer (None, or the data to fit on).
WITHOUT_EXPECTED = {"public_layout_cases", "public_table_cases", "public_same_budget_cases"}

CASES = [(name, case) for name in REFERENCE for case in getattr(public, name)()]


def test_every_public_case_function_is_covered():
    names = {name for name in dir(public) if name.startswith("public_") and name.endswith("_cases")}
    assert names == set(REFERENCE) | WITHOUT_EXPECTED


@pytest.mark.parametrize("name, case", CASES, ids=[f"{name}:{case[0]}" for name, case in CASES])
def test_public_expected_value_equals_the_reference(ref, name, case):
    label, args, expected = case
    assert expected is not None, label
    assert same(REFERENCE[name](ref, args, expected), expected), label


def test_cases_without_expected_values_hold_no_answer():
    for name in ("public_layout_cases", "public_table_cases"):
        assert all(expected is None for _, _, expected in getattr(public, name)())
    for _, _, data in public.public_same_budget_cases():  # the (X, y) to fit on
        assert len(data) == 2 and all(isinstance(part, np.ndarray) for part in data)


def test_named_sample_constants_equal_the_reference(ref):
    assert same(ref.sample_params(public.public_space(), 5, 0), public.PUBLIC_SAMPLES)
    assert same(ref.sample_params(public.public_random_search_space(), 6, 7), public.PUBLIC_TREE_SAMPLES)
    assert {name for name in dir(public) if name.startswith("PUBLIC_")} == {"PUBLIC_SAMPLES", "PUBLIC_TREE_SAMPLES"}


@pytest.mark.parametrize("budget, seed", [(1, 0), (9, 4), (16, 3), (25, 0), (36, 11), (100, 123)])
def test_public_layout_expectation_equals_the_reference(ref, budget, seed):
    """The public check builds the layouts another way; it must agree with the reference."""
    want_grid, want_random = public._expected_layouts(budget, seed)
    grid, rand = ref.sample_layouts(budget, seed)
    np.testing.assert_allclose(grid.to_numpy(dtype=float), want_grid, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(rand.to_numpy(dtype=float), want_random)


def test_same_tells_values_apart():
    assert same({"a": 1, "b": [0.5, "x"]}, {"a": np.int64(1), "b": [0.5 * (1 + 1e-14), "x"]})
    assert not same({"a": 1}, {"a": 2})
    assert not same([0.5], [0.5 + 1e-9])
    assert not same(["gini"], ["entropy"])
    assert not same([1, 2], [1, 2, 3])
    assert not same(True, 1)
