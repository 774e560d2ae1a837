"""Seeding the global random number generators."""

from __future__ import annotations

import random

import numpy as np


def seed_everything(seed: int | None = 42) -> None:
    """Seed Python's ``random`` module and NumPy's global generator.

    scikit-learn estimators take ``random_state`` explicitly; pass it. This
    function covers code that draws from the global generators.

    Parameters
    ----------
    seed:
        Any non-negative integer; ``None`` seeds both from fresh operating-system entropy.
    """
    random.seed(seed)
    np.random.seed(seed)
