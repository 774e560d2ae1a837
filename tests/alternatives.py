"""Matching alternative correct implementations (``<exercise>_<how>``) to their checks."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType


def check_name(fn: Callable, hidden: ModuleType) -> str:
    """The ``check_<exercise>`` of ``hidden`` that ``fn`` (named ``<exercise>_<how>``) answers."""
    return next(name for name in vars(hidden) if name.startswith("check_")
                and fn.__name__.startswith(name.removeprefix("check_") + "_"))


def check_names(hidden: ModuleType) -> set[str]:
    """Every check of a checks module."""
    return {name for name in vars(hidden) if name.startswith("check_")}
