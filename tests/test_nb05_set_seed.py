"""Notebook 05's ``set_seed``: both paths (PyTorch installed or not) and a check that leaves no trace.

PyTorch is not a dependency. The "installed" path runs against the recording
fake of ``helpers.checks.nb05``; a last test runs against the real PyTorch and is
skipped where it is not installed.
"""

import os
import random
import sys
import types

import numpy as np
import pytest

from autograde.checks import nb05 as hidden
from autograde.trusted.reference import solution
from helpers.checks import CheckFailed
from helpers.checks import nb05 as public
from helpers.checks.nb05 import CUBLAS_VALUE, FakeTorch, torch_installed

ENV = "CUBLAS_WORKSPACE_CONFIG"


@pytest.fixture
def set_seed():
    return solution("05_reproducibility").set_seed


def _torch_entries() -> dict:
    return {name: module for name, module in sys.modules.items()
            if name == "torch" or name.startswith("torch.")}


def test_without_torch_seeds_python_and_numpy_and_says_so(set_seed, capsys):
    with torch_installed(None):
        result = set_seed(5)
        draws = (random.random(), np.random.rand())
    assert result == ["random", "numpy"]
    assert draws == (random.Random(5).random(), np.random.RandomState(5).rand())
    assert "torch not installed" in capsys.readouterr().out.lower()


def test_with_fake_torch_calls_every_seed_and_switch(set_seed, capsys):
    fake = FakeTorch()
    with torch_installed(fake):
        result = set_seed(11)
        env_inside = os.environ.get(ENV)
    assert result == ["random", "numpy", "torch"]
    assert fake.called("manual_seed") == [((11,), {})]
    assert fake.called("cuda.manual_seed_all") == [((11,), {})]
    assert fake.called("use_deterministic_algorithms") == [((True,), {})]
    assert fake.cudnn.deterministic is True and fake.cudnn.benchmark is False
    assert env_inside == CUBLAS_VALUE
    assert "not installed" not in capsys.readouterr().out


def test_fake_supports_the_usual_import_forms():
    fake = FakeTorch()
    with torch_installed(fake):
        import torch
        import torch.backends.cudnn as cudnn
        from torch import cuda

        assert torch is fake.torch and cudnn is fake.cudnn and cuda.is_available()


@pytest.mark.parametrize("fake", [None, FakeTorch()], ids=["no torch", "fake torch"])
def test_context_restores_modules_environment_and_generators(fake):
    sentinel = types.ModuleType("torch")
    saved_torch = _torch_entries()
    saved_env = os.environ.get(ENV)
    try:
        sys.modules["torch"] = sentinel
        os.environ[ENV] = "keep-me"
        os.environ.pop("NB05_TEST_ADDED", None)
        random.seed(1)
        np.random.seed(1)
        py_state, np_draw = random.getstate(), np.random.RandomState(1).rand()
        with pytest.raises(RuntimeError), torch_installed(fake):
            os.environ[ENV] = CUBLAS_VALUE
            os.environ["NB05_TEST_ADDED"] = "1"
            random.seed(99)
            np.random.seed(99)
            raise RuntimeError("student code failed")
        assert sys.modules["torch"] is sentinel
        assert os.environ[ENV] == "keep-me"
        assert "NB05_TEST_ADDED" not in os.environ
        assert random.getstate() == py_state
        assert np.random.rand() == np_draw
    finally:
        for name in list(_torch_entries()):
            del sys.modules[name]
        sys.modules.update(saved_torch)
        if saved_env is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = saved_env


@pytest.mark.parametrize("check", [public.check_set_seed, hidden.check_set_seed], ids=["public", "hidden"])
def test_checks_leave_no_trace(set_seed, check):
    torch_before, env_before = _torch_entries(), dict(os.environ)
    random.seed(3)
    np.random.seed(3)
    check(set_seed)
    assert _torch_entries() == torch_before
    assert dict(os.environ) == env_before
    assert random.random() == random.Random(3).random()
    assert np.random.rand() == np.random.RandomState(3).rand()


def test_checks_leave_no_trace_when_the_student_fails():
    torch_before, env_before = _torch_entries(), dict(os.environ)

    def sets_env_then_fails(seed=42):
        os.environ[ENV] = CUBLAS_VALUE
        import torch  # noqa: F401 - fails without torch

        raise AssertionError("unreachable without torch")

    with pytest.raises(CheckFailed, match="try/except ImportError"):
        hidden.check_set_seed(sets_env_then_fails)
    assert _torch_entries() == torch_before
    assert dict(os.environ) == env_before


def test_with_real_torch(set_seed):
    torch = pytest.importorskip("torch")
    env_before = os.environ.get(ENV)
    try:
        assert set_seed(17) == ["random", "numpy", "torch"]
        assert torch.initial_seed() == 17
        assert torch.are_deterministic_algorithms_enabled()
        assert torch.backends.cudnn.deterministic and not torch.backends.cudnn.benchmark
    finally:
        torch.use_deterministic_algorithms(False)
        if env_before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = env_before


@pytest.mark.parametrize("with_torch", [False, True], ids=["no torch", "fake torch"])
def test_probe_reports_plain_data(set_seed, with_torch):
    from helpers.checks.wire import roundtrip

    answer = public.probe_set_seed(set_seed, 9, with_torch)
    assert roundtrip(answer) == answer
    assert answer["result"] == ["random", "numpy", "torch"][:3 if with_torch else 2]
    assert answer["python"][0] == random.Random(9).random()
    if with_torch:
        assert ["manual_seed", [9], {}] in answer["calls"]
        assert answer["deterministic"] is True and answer["benchmark"] is False
        assert answer["environ"] == CUBLAS_VALUE
