"""Public checks for notebook 05, reproducibility.

Each ``check_*`` takes the student's function first. ``cases`` default to the
public inputs, each with its expected result: numbers the reference solution
computed once (the course's test suite recomputes them on every run), or facts
from the lecture. The hidden checks in ``autograde.checks.nb05`` call these same
functions with unseen inputs and no expected result, and pass the reference
solution as ``oracle``.

PyTorch is not a dependency of the course. :class:`FakeTorch` and
:func:`torch_installed` let a check run the student's ``set_seed`` both as if
PyTorch were installed (a small fake module that records every call) and as if
it were not (``import torch`` raises ``ImportError``), whatever is really
installed. Both restore ``sys.modules``, ``os.environ`` and the global random
generators afterwards, also when the student's code fails.

What a check needs to see of a call besides its answer (the draws of the global
generators after ``set_seed``, what it printed, what it did to PyTorch and
``os.environ``), and every call that must start from seeded global generators,
happens where the student's function runs, in a *probe* (the ``probe_*``
functions below, run by :func:`helpers.checks.core.probe`): in the notebook that
is the notebook's own process; while grading it is the student's sandboxed
process, whose random generators, modules and environment the grader never sees.
A probe returns plain data only, and the check compares it, here, with values it
computed itself. The experiments given to ``skip_each_seed`` are data too
(:class:`Experiment`, :func:`seed_random`, :func:`seed_numpy`), so that they can
be sent to that process.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import random
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from sklearn.model_selection import KFold, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from helpers.checks.core import (
    CheckFailed,
    check,
    expect,
    expect_close,
    expect_equal,
    probe,
    probe_fields,
    unreadable,
)
from helpers.data import load_dataset

Case = tuple[str, tuple, Any]  # (label, arguments, expected; None: ask the oracle)

#: The value the lecture gives ``CUBLAS_WORKSPACE_CONFIG``.
CUBLAS_VALUE = ":4096:8"
#: The seeds of the lecture's multi-seed loop.
LECTURE_SEEDS = [42, 123, 456, 789, 1024]


# -- shared tools -----------------------------------------------------------------------


@contextlib.contextmanager
def preserved_global_rngs() -> Iterator[None]:
    """Restore the states of Python's ``random`` and NumPy's global generator on exit.

    A check seeds the global generators to be deterministic; restoring them means
    running a check never changes the numbers the rest of the notebook prints.
    """
    py_state = random.getstate()
    np_state = np.random.get_state()
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)


class FakeTorch:
    """A tiny stand-in for ``torch`` that records what a ``set_seed`` does to it.

    Attributes
    ----------
    calls:
        ``(name, args, kwargs)`` for every call of ``manual_seed``,
        ``cuda.manual_seed_all``, ``cuda.manual_seed`` and
        ``use_deterministic_algorithms``, in order.
    modules:
        The module objects to put into ``sys.modules`` (``torch``, ``torch.cuda``,
        ``torch.backends``, ``torch.backends.cudnn``).
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict]] = []
        torch = types.ModuleType("torch")
        cuda = types.ModuleType("torch.cuda")
        backends = types.ModuleType("torch.backends")
        cudnn = types.ModuleType("torch.backends.cudnn")
        torch.__version__ = "0.0+fake"  # type: ignore[attr-defined]
        torch.manual_seed = self._recorder("manual_seed")  # type: ignore[attr-defined]
        torch.use_deterministic_algorithms = self._recorder(  # type: ignore[attr-defined]
            "use_deterministic_algorithms")
        torch.cuda = cuda  # type: ignore[attr-defined]
        torch.backends = backends  # type: ignore[attr-defined]
        cuda.manual_seed_all = self._recorder("cuda.manual_seed_all")  # type: ignore[attr-defined]
        cuda.manual_seed = self._recorder("cuda.manual_seed")  # type: ignore[attr-defined]
        cuda.is_available = lambda: True  # type: ignore[attr-defined]
        cuda.device_count = lambda: 1  # type: ignore[attr-defined]
        backends.cudnn = cudnn  # type: ignore[attr-defined]
        # torch's defaults: cuDNN may pick non-deterministic, benchmarked kernels.
        cudnn.deterministic = False  # type: ignore[attr-defined]
        cudnn.benchmark = True  # type: ignore[attr-defined]
        self.torch, self.cudnn = torch, cudnn
        self.modules = {"torch": torch, "torch.cuda": cuda, "torch.backends": backends,
                        "torch.backends.cudnn": cudnn}

    def _recorder(self, name: str) -> Callable[..., None]:
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, args, kwargs))

        record.__name__ = name.rsplit(".", 1)[-1]
        return record

    def called(self, name: str) -> list[tuple[tuple, dict]]:
        """The ``(args, kwargs)`` of every call of ``name`` (e.g. ``"cuda.manual_seed_all"``)."""
        return [(args, kwargs) for called, args, kwargs in self.calls if called == name]


def _is_torch(name: str) -> bool:
    return name == "torch" or name.startswith("torch.")


@contextlib.contextmanager
def torch_installed(fake: FakeTorch | None) -> Iterator[FakeTorch | None]:
    """Pretend that PyTorch is installed (as ``fake``) or, with ``None``, that it is not.

    On exit every ``torch`` entry of ``sys.modules`` is put back as it was,
    ``os.environ`` is restored (variables added by the code under test are removed,
    changed ones reset) and so are the global random generators.
    """
    saved_modules = {name: module for name, module in sys.modules.items() if _is_torch(name)}
    saved_environ = dict(os.environ)
    with preserved_global_rngs():
        try:
            for name in saved_modules:
                del sys.modules[name]
            if fake is None:
                sys.modules["torch"] = None  # type: ignore[assignment]  # import torch -> ImportError
            else:
                sys.modules.update(fake.modules)
            yield fake
        finally:
            for name in [name for name in sys.modules if _is_torch(name)]:
                del sys.modules[name]
            sys.modules.update(saved_modules)
            for name in set(os.environ) - set(saved_environ):
                del os.environ[name]
            for name, value in saved_environ.items():
                if os.environ.get(name) != value:
                    os.environ[name] = value


def _call_capturing(function: Callable, *args: Any) -> tuple[Any, str]:
    """Call ``function(*args)`` and return its result and everything it printed."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        result = function(*args)
    return result, buffer.getvalue()


def _as_float_list(values: Any, what: str) -> list[float]:
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        raise CheckFailed(f"{what} must be a list of numbers, got {values!r}.") from None


def _expected(expected: Any, oracle: Callable | None, args: tuple,
              global_seed: int | None = None) -> Any:
    """A case's expected result, or the oracle's answer for a case without one.

    With ``global_seed`` the global generators are seeded first, as they were for
    the student's function.
    """
    if expected is not None:
        return expected
    assert oracle is not None, "a case without expected value needs an oracle"
    if global_seed is not None:
        random.seed(global_seed)
        np.random.seed(global_seed)
    return oracle(*args)


# -- probes: run where the student's function runs, return plain data ----------------------------


def probe_seeded(function: Callable, seed: int, *args: Any) -> Any:
    """``function(*args)`` with Python's ``random`` and NumPy's global generator seeded with ``seed``.

    Runs in the student's process, so that an unseeded forest (or a forgotten
    ``random_state``) draws from generators in a known state. Both generators are
    restored afterwards.
    """
    with preserved_global_rngs():
        random.seed(seed)
        np.random.seed(seed)
        return function(*args)


def _draws_after(set_seed: Callable, seed: int) -> dict:
    """Disturb both generators, call ``set_seed(seed)``, then draw from them; see :func:`probe_set_seed`."""
    random.seed(seed + 1)
    np.random.seed(seed + 1)
    result, printed = _call_capturing(set_seed, seed)
    return {"result": result, "printed": printed,
            "python": [random.random() for _ in range(3)] + [random.randint(0, 10**6)],
            "numpy": np.random.rand(3).tolist() + [int(np.random.randint(0, 10**6))]}


def probe_set_seed(set_seed: Callable, seed: int, with_torch: bool) -> dict:
    """``set_seed(seed)`` as if PyTorch were installed (a :class:`FakeTorch`) or not; what it did.

    Runs in the student's process and puts everything back afterwards
    (:func:`torch_installed`). Returns ``{"result", "printed", "python", "numpy",
    "environ"}``: what it returned and printed, the next draws of Python's
    ``random`` and of NumPy's global generator, and ``CUBLAS_WORKSPACE_CONFIG``
    after the call; with PyTorch also ``"calls"`` (``[name, args, kwargs]`` of
    every call of the fake module), ``"deterministic"`` and ``"benchmark"`` (the
    cuDNN flags after the call). Without PyTorch an ``ImportError`` of the call
    comes back as ``{"import_error": its repr}``.
    """
    fake = FakeTorch() if with_torch else None
    with torch_installed(fake):
        try:
            answer = _draws_after(set_seed, seed)
        except ImportError as error:
            if fake is not None:
                raise
            return {"import_error": repr(error)}
        answer["environ"] = os.environ.get("CUBLAS_WORKSPACE_CONFIG")
    if fake is not None:
        answer["calls"] = [[name, list(args), dict(kwargs)] for name, args, kwargs in fake.calls]
        answer["deterministic"] = fake.cudnn.deterministic
        answer["benchmark"] = fake.cudnn.benchmark
    return answer


# -- experiments made of data (for skip_each_seed) -----------------------------------------------


def seed_random(seed: int) -> None:
    """Seed Python's ``random`` (``random.seed``, as a function that can be sent to another process)."""
    random.seed(seed)


def seed_numpy(seed: int) -> None:
    """Seed NumPy's global generator (``np.random.seed``, as a function that can be sent to another process)."""
    np.random.seed(seed)


class Experiment:
    """An experiment described by data: calling it returns ``{name: result}`` in the order of ``spec``.

    ``spec`` maps every result's name to a recipe:

    ``("value", v)``
        the constant ``v`` (a copy of it);
    ``(source, method, *args)``
        ``method(*args)`` of ``source``: ``"random"`` (Python's ``random``),
        ``"numpy"`` (NumPy's global generator, ``np.random``) or ``"private"`` (a
        ``random.Random`` of the experiment's own, seeded by :meth:`private_seeder`);
    ``("list", [recipe, ...])``
        a list of the recipes' results.

    ``Experiment({"coin": ("random", "random"), "dice": ("numpy", "rand", 3)})()`` is
    ``{"coin": random.random(), "dice": np.random.rand(3)}``. Unlike a function defined
    in a notebook, an experiment can be sent to another process (it is pickled with
    its private generator).
    """

    def __init__(self, spec: dict[str, tuple]) -> None:
        self.spec = dict(spec)
        self.private = random.Random()

    def __call__(self) -> dict:
        return {name: self._make(recipe) for name, recipe in self.spec.items()}

    def _make(self, recipe: tuple) -> Any:
        kind, *rest = recipe
        if kind == "value":
            return copy.deepcopy(rest[0])
        if kind == "list":
            return [self._make(item) for item in rest[0]]
        sources = {"random": random, "numpy": np.random, "private": self.private}
        method, *args = rest
        if kind not in sources or not isinstance(method, str) or method.startswith("_"):
            raise ValueError(f"not a recipe: {recipe!r}")
        return getattr(sources[kind], method)(*args)

    def private_seeder(self) -> PrivateSeeder:
        """A seeder (``seeder(seed)``) of this experiment's private generator."""
        return PrivateSeeder(self)

    def __repr__(self) -> str:
        return f"Experiment({self.spec!r})"


class PrivateSeeder:
    """Seeds the private generator of an :class:`Experiment`: ``seeder(seed)``."""

    def __init__(self, experiment: Experiment) -> None:
        self.experiment = experiment

    def __call__(self, seed: int) -> None:
        self.experiment.private.seed(seed)

    def __repr__(self) -> str:
        return "PrivateSeeder(<the experiment's own random.Random>)"


def _breast_cancer_split(n: int = 300, seed: int = 0):
    X, y = load_dataset("breast_cancer")
    return train_test_split(X[:n], y[:n], test_size=0.3, stratify=y[:n], random_state=seed)


# -- 1. random_state in scikit-learn ------------------------------------------------------


def public_repeat_runs_cases() -> list[Case]:
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    data = (X_train, X_test, y_train, y_test)
    n_test = len(y_test)  # 90 tumours; expected: correctly classified ones per run, as accuracies
    return [("breast cancer, unseeded, 3 runs of 10 trees", (*data, None, 3, 10),
             [correct / n_test for correct in (83, 83, 82)]),
            ("breast cancer, random_state=42, 3 runs of 10 trees", (*data, 42, 3, 10),
             [correct / n_test for correct in (82, 82, 82)])]


@check
def check_repeat_runs(repeat_runs: Callable, cases: Sequence[Case] | None = None,
                      oracle: Callable | None = None, global_seed: int = 0) -> None:
    """``repeat_runs(X_train, X_test, y_train, y_test, random_state, n_runs, n_estimators)``.

    Unseeded runs must differ from each other and seeded runs must be identical;
    both must give the expected scores. Unseeded forests draw their seeds from
    NumPy's global generator, so the student's function is called with the global
    generators seeded (``global_seed``, :func:`probe_seeded`), and so is the oracle, if any.
    """
    with preserved_global_rngs():
        for label, args, expected in cases or public_repeat_runs_cases():
            random_state, n_runs = args[4], args[5]
            got = _as_float_list(probe(repeat_runs, probe_seeded, global_seed, *args), "repeat_runs' result")
            want = _expected(expected, oracle, args, global_seed)
            expect_equal(len(got), n_runs, f"number of scores ({label})")
            if random_state is None:
                expect(len(set(got)) > 1,
                       f"with random_state=None the {n_runs} runs should give different scores, "
                       f"got {got} ({label}): build a fresh forest without a seed for every run.")
                expect_close(got, want, f"scores of unseeded forests ({label}); an unseeded forest "
                             "draws its seed from NumPy's global generator, so draw nothing else from "
                             "it and fit exactly one forest per run", rtol=0, atol=1e-12)
            else:
                expect(len(set(got)) == 1,
                       f"with random_state={random_state} every run should give the same score, "
                       f"got {got} ({label}).")
                expect_close(got, want, f"scores with random_state={random_state} ({label})",
                             rtol=0, atol=1e-12)


# -- 2. set_seed -----------------------------------------------------------------------------


def _expect_seeds_python_and_numpy(answer: dict, seed: int) -> None:
    """The draws after set_seed(seed) (:func:`probe_set_seed`) against freshly seeded generators."""
    want_py = random.Random(seed)
    want_np = np.random.RandomState(seed)
    expect_close(_as_float_list(answer["python"], "the draws of Python's `random`"),
                 [want_py.random() for _ in range(3)] + [want_py.randint(0, 10**6)],
                 f"Python `random` draws after set_seed({seed}): seed it with random.seed(seed)",
                 rtol=0, atol=0)
    expect_close(_as_float_list(answer["numpy"], "the draws of NumPy's global generator"),
                 want_np.rand(3).tolist() + [int(want_np.randint(0, 10**6))],
                 f"NumPy draws after set_seed({seed}): seed NumPy's global generator with "
                 "np.random.seed(seed) (np.random.default_rng(seed) makes a new generator and leaves "
                 "the global one unseeded)", rtol=0, atol=0)


def _printed(answer: dict) -> str:
    printed = answer["printed"]
    if not isinstance(printed, str):
        raise unreadable("what set_seed printed")
    return printed


def public_set_seed_cases() -> list[Case]:
    return [("seed 42", (42,), None), ("seed 7", (7,), None)]


@check
def check_set_seed(set_seed: Callable, cases: Sequence[Case] | None = None) -> None:
    """``set_seed(seed)`` seeds Python's ``random``, NumPy and, when installed, PyTorch.

    Runs every case twice: once as if PyTorch were not installed (the function must
    not fail, must print that torch is not installed and skipped, and returns
    ``["random", "numpy"]``) and once with a fake PyTorch that records calls (the
    function must call every seed and determinism switch of the lecture, set
    ``CUBLAS_WORKSPACE_CONFIG`` and return ``["random", "numpy", "torch"]``).
    """
    for label, (seed,), _ in cases or public_set_seed_cases():
        answer = probe(set_seed, probe_set_seed, seed, False)
        if isinstance(answer, dict) and "import_error" in answer:
            raise CheckFailed(f"without PyTorch, set_seed({seed}) raised {answer['import_error']}: wrap "
                              "`import torch` in try/except ImportError.")
        answer = probe_fields(answer, "result", "printed", "python", "numpy")
        _expect_seeds_python_and_numpy(answer, seed)
        printed = _printed(answer)
        expect("torch" in printed.lower() and "not installed" in printed.lower(),
               f"without PyTorch, set_seed({seed}) must print a message saying "
               f"'torch not installed, skipped'; it printed {printed.strip()!r}.")
        expect_equal(answer["result"], ["random", "numpy"],
                     f"what set_seed({seed}) returns without PyTorch ({label})")

        answer = probe_fields(probe(set_seed, probe_set_seed, seed, True), "result", "printed", "python", "numpy",
                         "environ", "calls", "deterministic", "benchmark")
        _expect_seeds_python_and_numpy(answer, seed)
        printed = _printed(answer)
        expect("not installed" not in printed.lower(),
               f"with PyTorch installed, set_seed({seed}) printed {printed.strip()!r}: "
               "import torch inside the function (try/except ImportError), not at the top "
               "of the notebook.")
        _expect_torch_calls(answer, seed, label)
        expect_equal(answer["result"], ["random", "numpy", "torch"],
                     f"what set_seed({seed}) returns with PyTorch installed ({label})")


def _torch_calls(answer: dict) -> list[tuple[str, tuple, dict]]:
    """The calls of the fake PyTorch in a probe's answer, as ``(name, args, kwargs)``."""
    calls = answer["calls"]
    if not (isinstance(calls, list) and all(
            isinstance(call, list) and len(call) == 3 and isinstance(call[0], str) and isinstance(call[1], list)
            and isinstance(call[2], dict) for call in calls)):
        raise unreadable("the calls of PyTorch")
    return [(name, tuple(args), kwargs) for name, args, kwargs in calls]


def _expect_torch_calls(answer: dict, seed: int, label: str) -> None:
    """The PyTorch part of the lecture's set_seed, as seen by the fake module (:func:`probe_set_seed`)."""
    calls, env = _torch_calls(answer), answer["environ"]

    def called(name: str) -> list[tuple[tuple, dict]]:
        return [(args, kwargs) for called, args, kwargs in calls if called == name]

    expect(calls or answer["deterministic"] is True or env is not None,
           f"with PyTorch installed, set_seed({seed}) did nothing to torch ({label}): import torch "
           "inside the function (try/except ImportError) so that the check's PyTorch is used.")
    for name in ("manual_seed", "cuda.manual_seed_all"):
        seeds = [args[0] if args else kwargs.get("seed") for args, kwargs in called(name)]
        expect(seeds and all(s == seed for s in seeds),
               f"set_seed({seed}) must call torch.{name}({seed}); calls seen: {called(name)} ({label}).")
    expect(answer["deterministic"] is True,
           f"set_seed must make cuDNN use deterministic algorithms: the table's "
           f"`torch.backends.cudnn.deterministic` row ({label}).")
    expect(answer["benchmark"] is False,
           f"set_seed must stop cuDNN from benchmarking kernels: the table's "
           f"`torch.backends.cudnn.benchmark` row ({label}).")
    modes = [args[0] if args else kwargs.get("mode")
             for args, kwargs in called("use_deterministic_algorithms")]
    expect(modes and modes[-1] is True,
           f"set_seed must switch on PyTorch's deterministic algorithms: the table's "
           f"`torch.use_deterministic_algorithms` row; calls seen: {modes} ({label}).")
    expect_equal(env, CUBLAS_VALUE, f"os.environ['CUBLAS_WORKSPACE_CONFIG'] after set_seed ({label})")


# -- 3. skipping one seed at a time ---------------------------------------------------------


def public_skip_cases() -> list[Case]:
    # experiment() is {"coin": random.random(), "dice": np.random.rand(3), "constant": 1.0}
    experiment = Experiment({"coin": ("random", "random"), "dice": ("numpy", "rand", 3),
                             "constant": ("value", 1.0)})
    seeders = {"random": seed_random, "numpy": seed_numpy}
    return [("a coin from `random`, dice from NumPy and a constant", (experiment, seeders, 42),
             {"none": [], "random": ["coin"], "numpy": ["dice"]})]


@check
def check_skip_each_seed(skip_each_seed: Callable, cases: Sequence[Case] | None = None,
                         oracle: Callable | None = None, global_seed: int = 0) -> None:
    """``skip_each_seed(experiment, seeders, seed)`` reports what changes when one seed is left out.

    The result is a dict ``{"none": [...], <source>: [...], ...}``: for every skipped
    source (and for none), the names of the experiment's results that differ between
    two runs. Names are compared as sets. ``oracle``, when given, supplies the
    expected dict for cases without one. The experiments are :class:`Experiment`
    objects and the seeders :func:`seed_random`, :func:`seed_numpy` and
    :meth:`Experiment.private_seeder`; the student's function is called with the
    global generators seeded (``global_seed``, :func:`probe_seeded`), and so is the oracle.
    """
    with preserved_global_rngs():
        for label, args, expected in cases or public_skip_cases():
            got = probe(skip_each_seed, probe_seeded, global_seed, *args)
            expected = _expected(expected, oracle, args, global_seed)
            expect(isinstance(got, dict), f"skip_each_seed must return a dict, got {type(got).__name__}.")
            expect_equal(sorted(got), sorted(expected),
                         f"the keys of the report ({label}): 'none' and one per source of randomness")
            for source, changed in expected.items():
                expect(isinstance(got[source], (list, tuple)),
                       f"report[{source!r}] must be a list of result names, got {got[source]!r}.")
                expect_equal(sorted(got[source]), sorted(changed),
                             f"results that change when {'no seed' if source == 'none' else source!r} "
                             f"is skipped ({label})")


# -- 4. multi-seed reporting ----------------------------------------------------------------


def public_split_and_score_cases() -> list[Case]:
    X, y = load_dataset("breast_cancer")
    # 171 test tumours; expected: correctly classified ones, as an accuracy. The two cases swap
    # the seeds and give different scores, so a function that swaps them fails.
    return [("breast cancer, split seed 0, model seed 1, 10 trees", (X, y, 0, 1, 10), 160 / 171),
            ("breast cancer, split seed 1, model seed 0, 10 trees", (X, y, 1, 0, 10), 161 / 171)]


@check
def check_split_and_score(split_and_score: Callable, cases: Sequence[Case] | None = None,
                          oracle: Callable | None = None) -> None:
    """``split_and_score(X, y, split_seed, model_seed, n_estimators)``: the expected test accuracy."""
    with preserved_global_rngs():
        for label, args, expected in cases or public_split_and_score_cases():
            # global generators seeded, so that a forgotten random_state cannot match by luck
            got = probe(split_and_score, probe_seeded, 987654, *args)
            expect(np.ndim(got) == 0, f"split_and_score must return one number, got {got!r}.")
            want = _expected(expected, oracle, args, 987654)
            expect_close(got, want, f"test accuracy ({label}): stratified 70/30 split seeded with "
                         "split_seed, forest seeded with model_seed", rtol=0, atol=1e-12)


def public_mean_std_cases() -> list[Case]:
    """Expected: (mean, population std, text); the sample std differs in the third decimal."""
    return [("five scores", ([0.90, 0.93, 0.91, 0.95, 0.92],),
             (0.922, 0.017204650534085233, "0.922 ± 0.017")),
            ("the lecture's example", ([0.912, 0.905, 0.921, 0.917, 0.904],),
             (0.9118, 0.006615134163416497, "0.912 ± 0.007"))]


@check
def check_mean_std_report(mean_std_report: Callable, cases: Sequence[Case] | None = None,
                          oracle: Callable | None = None) -> None:
    """``mean_std_report(scores)`` returns ``(mean, std, "0.912 ± 0.008")`` with ``np.std`` (ddof=0)."""
    for label, (scores,), expected in cases or public_mean_std_cases():
        result = mean_std_report(list(scores) if isinstance(scores, list) else scores.copy())
        expect(isinstance(result, tuple) and len(result) == 3,
               "mean_std_report must return a tuple (mean, std, text).")
        mean, std, text = result
        fresh = list(scores) if isinstance(scores, list) else scores.copy()
        want_mean, want_std, want_text = _expected(expected, oracle, (fresh,))
        expect_close(mean, want_mean, f"mean ({label})")
        try:
            std = float(std)
        except (TypeError, ValueError):
            raise CheckFailed(f"std must be a number, got {std!r}.") from None
        if len(scores) > 1:
            sample_std = float(np.std(scores, ddof=1))
            expect(not np.isclose(std, sample_std, rtol=1e-9, atol=0),
                   f"std ({label}): you computed the *sample* standard deviation (ddof=1), "
                   f"{sample_std:.6g}; this notebook uses the lecture's np.std, the population "
                   f"standard deviation (ddof=0): {want_std:.6g}.")
        else:
            expect(not np.isnan(std), f"std of a single score ({label}) must be 0.0 with np.std "
                   "(ddof=0); the sample standard deviation (ddof=1) of one number is nan.")
        expect_close(std, want_std, f"standard deviation, np.std with ddof=0 ({label})")
        expect(isinstance(text, str), f"text must be a str, got {type(text).__name__}.")
        expect_equal(text, want_text, f"text ({label}): mean and std with 3 decimals, joined by ' ± '")


# -- 5. where the variance comes from -----------------------------------------------------


def public_variance_cases() -> list[Case]:
    grid = [[0.93, 0.94, 0.93, 0.94],
            [0.96, 0.96, 0.97, 0.96],
            [0.90, 0.91, 0.90, 0.92]]
    return [("3 split seeds x 4 model seeds", (np.array(grid),),
             {"split": 0.02251182331993955, "model": 0.005873896331603551})]


@check
def check_variance_by_source(variance_by_source: Callable, cases: Sequence[Case] | None = None,
                             oracle: Callable | None = None) -> None:
    """``variance_by_source(grid)``: ``{"split": ..., "model": ...}`` average population stds."""
    for label, (grid,), expected in cases or public_variance_cases():
        got = variance_by_source(np.array(grid, dtype=float))
        expect(isinstance(got, dict), f"variance_by_source must return a dict, got {type(got).__name__}.")
        expect_equal(sorted(got), ["model", "split"], f"the keys of the result ({label})")
        want = _expected(expected, oracle, (np.array(grid, dtype=float),))
        swapped = {"split": want["model"], "model": want["split"]}
        if np.allclose([got["split"], got["model"]], [swapped["split"], swapped["model"]]):
            raise CheckFailed(f"split and model are swapped ({label}): rows are split seeds, "
                              "columns are model seeds.")
        expect_close(got["split"], want["split"],
                     f"'split': std over split seeds (each column), averaged over model seeds ({label})")
        expect_close(got["model"], want["model"],
                     f"'model': std over model seeds (each row), averaged over split seeds ({label})")


# -- 6. the KFold trap ------------------------------------------------------------------------


def sorted_wine():
    """The wine data sorted by label, as the lecture's trap needs."""
    X, y = load_dataset("wine")
    order = np.argsort(y, kind="stable")
    return X[order], y[order]


def public_fold_counts_cases() -> list[Case]:
    """Expected: one row per test fold, one column per class (0, 1, 2); wine has 59, 71 and 48."""
    _, y = sorted_wine()
    return [("sorted wine, KFold(3)", (y, KFold(3)),
             [[59, 1, 0], [0, 59, 0], [0, 11, 48]]),
            ("sorted wine, KFold(3, shuffle=True)", (y, KFold(3, shuffle=True, random_state=0)),
             [[20, 24, 16], [18, 26, 15], [21, 21, 17]])]


@check
def check_fold_class_counts(fold_class_counts: Callable, cases: Sequence[Case] | None = None,
                            oracle: Callable | None = None) -> None:
    """``fold_class_counts(y, cv)``: one row per test fold, one column per class."""
    for label, (y, cv), expected in cases or public_fold_counts_cases():
        got = fold_class_counts(np.array(y), cv)
        want = np.asarray(_expected(expected, oracle, (np.array(y), cv)))
        expect(np.shape(got) == want.shape,
               f"shape ({label}): one row per fold and one column per class of np.unique(y), "
               f"expected {want.shape}, got {np.shape(got)}.")
        expect_close(got, want, f"class counts in the test folds ({label})", rtol=0, atol=0)


def public_trap_cases() -> list[Case]:
    """Expected: accuracy per test fold (60, 59 and 59 wines), as correct / fold size."""
    X, y = sorted_wine()
    knn = make_pipeline(StandardScaler(), KNeighborsClassifier())
    return [("sorted wine, scaled KNN, 3 folds, seed 0", (knn, X, y, 3, 0),
             {"unshuffled": [1 / 60, 32 / 59, 8 / 59],
              "shuffled": [60 / 60, 54 / 59, 59 / 59],
              "stratified": [57 / 60, 57 / 59, 56 / 59]})]


@check
def check_kfold_trap(kfold_trap: Callable, cases: Sequence[Case] | None = None,
                     oracle: Callable | None = None, sorted_data: bool = True) -> None:
    """``kfold_trap(model, X, y, n_splits, seed)``: per-fold accuracies of the three splitters.

    With ``sorted_data`` the check also expects the trap itself: unshuffled folds far
    worse than shuffled ones.
    """
    with preserved_global_rngs():
        for label, args, expected in cases or public_trap_cases():
            # global generators seeded, so that a forgotten random_state cannot match by luck
            got = probe(kfold_trap, probe_seeded, 987654, *args)
            expect(isinstance(got, dict), f"kfold_trap must return a dict, got {type(got).__name__}.")
            expect_equal(sorted(got), ["shuffled", "stratified", "unshuffled"],
                         f"the keys of the result ({label})")
            want = _expected(expected, oracle, args, 987654)
            hints = {"unshuffled": "KFold(n_splits) with no shuffling (cv=n_splits would be a "
                                   "StratifiedKFold for a classifier)",
                     "shuffled": "KFold(n_splits, shuffle=True, random_state=seed)",
                     "stratified": "StratifiedKFold(n_splits, shuffle=True, random_state=seed)"}
            for name, scores in want.items():
                expect_close(got[name], scores, f"per-fold accuracies of {name!r} ({label}): "
                             f"use {hints[name]}", rtol=0, atol=1e-12)
            if sorted_data:
                expect(np.mean(got["unshuffled"]) + 0.2 < np.mean(got["shuffled"]),
                       f"on data sorted by label, unshuffled folds should score far lower ({label}).")
