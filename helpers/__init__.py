"""Shared helpers for the Week 8 labs (tuning, AutoML and experiment tracking).

Every notebook starts with ``import helpers`` and ``helpers.setup()``. The module
gives each notebook the same four things:

- :func:`load_dataset` -- the shipped datasets in ``data/``, checked against their
  SHA-256 checksums (nothing is downloaded);
- :func:`use_style` -- one plot style for every figure;
- :func:`seed_everything` -- seed Python's and NumPy's random number generators;
- :func:`budget` and :data:`FAST` -- full-size trial counts for students, small
  ones when nbgrader executes the notebook (``NBGRADER_EXECUTION=autograde``) or
  when ``WEEK08_FAST=1`` is set.
"""

from threadpoolctl import threadpool_limits

from helpers.budget import FAST, budget, fast_mode
from helpers.data import DATA_DIR, REPO_ROOT, dataset_path, list_datasets, load_dataset
from helpers.plotting import PALETTE, use_style
from helpers.seeding import seed_everything

__all__ = [
    "DATA_DIR",
    "FAST",
    "PALETTE",
    "REPO_ROOT",
    "budget",
    "dataset_path",
    "fast_mode",
    "list_datasets",
    "load_dataset",
    "seed_everything",
    "setup",
    "use_style",
]


def setup(seed: int = 42) -> None:
    """Prepare a notebook: plot style, seeds and a one-line report of the mode.

    Parameters
    ----------
    seed:
        Seed for Python's ``random`` and NumPy's global generator.
    """
    use_style()
    seed_everything(seed)
    # The labs' data are small: multi-threaded BLAS only adds overhead on small
    # matrices (a GP posterior is about 8x slower with it on 2 cores).
    threadpool_limits(limits=1, user_api="blas")
    mode = "fast (small budgets)" if fast_mode() else "full"
    print(f"helpers ready: {mode} mode, seed {seed}, data from {DATA_DIR}")
