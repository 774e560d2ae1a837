"""Public checks of the tiny test course (``tests/fixtures/tiny_course``): the smallest complete example.

A check takes the student's function first and compares its answers on public
``cases`` with known values; the hidden check (``autograde.checks.tiny``) calls
the same function with unseen cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from helpers.checks.core import check, expect_close, expect_equal

Case = tuple[str, tuple, Any]


@check
def check_add(add: Callable, cases: Sequence[Case] | None = None) -> None:
    """``add(a, b)`` returns ``a + b``."""
    for label, args, expected in cases or [("add(2, 3)", (2, 3), 5)]:
        expect_equal(add(*args), expected, label)


@check
def check_mean(mean: Callable, cases: Sequence[Case] | None = None) -> None:
    """``mean(xs)`` returns the arithmetic mean as a float."""
    for label, args, expected in cases or [("mean([1, 2, 3])", ([1, 2, 3],), 2.0)]:
        expect_close(mean(*args), expected, label)
