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


def setup(seed: int | None = 42) -> None:
    """Prepare a notebook: plot style, seeds, one BLAS thread, brief check failures, a mode report.

    What it seeds: Python's ``random`` module (``random.seed``) and NumPy's **global**
    generator (``np.random.seed``), nothing else. That global generator is also where an
    unseeded scikit-learn estimator (``random_state=None``) takes its seed, so after
    ``setup()`` a notebook run from the top gives the same "unseeded" results on every
    fresh run. Generators you create yourself (``np.random.default_rng()``), PyTorch and
    ``PYTHONHASHSEED`` are left alone.

    Parameters
    ----------
    seed:
        Seed for ``random`` and NumPy's global generator; ``None`` seeds neither with a
        fixed value (both draw fresh entropy from the operating system), so unseeded code
        really differs from one fresh run to the next (Lab 05 does this).
    """
    from helpers.checks.core import show_failures_briefly

    use_style()
    seed_everything(seed)
    show_failures_briefly()  # a failing check: its message, and a traceback through your code only
    # The labs' data are small: multi-threaded BLAS only adds overhead on small
    # matrices (a GP posterior is about 8x slower with it on 2 cores).
    threadpool_limits(limits=1, user_api="blas")
    mode = "fast (small budgets)" if fast_mode() else "full"
    seeds = f"seed {seed}" if seed is not None else "no fixed seed (fresh randomness each run)"
    print(f"helpers ready: {mode} mode, {seeds}, data from {DATA_DIR}")
