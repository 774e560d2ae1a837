"""Hidden checks of the tiny test course: unseen cases for ``helpers.checks.tiny``."""

from __future__ import annotations

from collections.abc import Callable

from helpers.checks import tiny as public
from helpers.checks.core import check


@check
def check_add(add: Callable) -> None:
    public.check_add(add, cases=[("add(-7, 7)", (-7, 7), 0), ("add(10, 32)", (10, 32), 42)])


@check
def check_mean(mean: Callable) -> None:
    public.check_mean(mean, cases=[("mean([4, 8])", ([4.0, 8.0],), 6.0)])
