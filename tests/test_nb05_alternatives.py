"""Notebook 05: correct answers written another way than the reference keep their points.

Issue 14: the statement leaves the order of ``set_seed``'s PyTorch steps free, in particular
where ``CUBLAS_WORKSPACE_CONFIG`` is set (cuBLAS reads it at its first GPU matrix product,
which ``set_seed`` never does). Each variant below must pass the public and the hidden check.
"""

import os
import random

import numpy as np
import pytest

from autograde.checks import nb05 as hidden
from helpers.checks import nb05 as public
from helpers.checks.nb05 import CUBLAS_VALUE, FakeTorch, torch_installed


def set_seed_environment_last(seed=42):
    """Every torch call first, the environment variable last."""
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:
        print("torch not installed, skipped")
        return ["random", "numpy"]
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.use_deterministic_algorithms(True)
    os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
    return ["random", "numpy", "torch"]


def set_seed_environment_always(seed=42):
    """The environment variable before the import, so also without PyTorch; keyword arguments."""
    os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
    random.seed(seed)
    np.random.seed(seed)
    seeded = ["random", "numpy"]
    try:
        import torch
    except ImportError:
        print(f"torch not installed, skipped (seed {seed})")
        return seeded
    torch.use_deterministic_algorithms(mode=True)
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    torch.cuda.manual_seed_all(seed)
    torch.manual_seed(seed)
    return seeded + ["torch"]


@pytest.mark.parametrize("fn", [set_seed_environment_last, set_seed_environment_always],
                         ids=lambda fn: fn.__name__)
def test_the_order_of_the_pytorch_steps_is_free(fn):
    public.check_set_seed(fn)
    hidden.check_set_seed(fn)


def test_the_variable_really_comes_after_the_torch_calls():
    """The first variant does set the variable after the calls (so the test above tests the order)."""
    fake = FakeTorch()
    seen = []
    fake.torch.use_deterministic_algorithms = lambda mode: seen.append(os.environ.get("CUBLAS_WORKSPACE_CONFIG"))
    with torch_installed(fake):
        os.environ.pop("CUBLAS_WORKSPACE_CONFIG", None)
        set_seed_environment_last(3)
        after = os.environ.get("CUBLAS_WORKSPACE_CONFIG")
    assert seen == [None] and after == CUBLAS_VALUE
