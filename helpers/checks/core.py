"""The small vocabulary every check is written in."""

from __future__ import annotations

import enum
import functools
import os
import pickle
import sysconfig
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

#: Results of the checks run in this Python process: ``{check name: message}``,
#: where the message is ``"passed"`` or the first failure in plain words.
_RESULTS: dict[str, str] = {}
#: How many checks are running inside each other (a hidden check calls a public one).
_DEPTH = [0]
#: Set to 1 by the grader in the sandbox: the grader runs every check itself, outside the notebook,
#: so a check cell in the kernel only says so (the notebook's own run would be the same work twice).
DEFERRED_VARIABLE = "WEEK08_DEFERRED_CHECKS"
DEFERRED_MESSAGE = "checked by the grader, outside your notebook: see your feedback"


class Failure(enum.StrEnum):
    """Why a check failed: the kind, which the grader reports in its own words for unseen cases."""

    WRONG = "wrong answer"
    NOT_IMPLEMENTED = "not implemented"
    RAISED = "raised an exception"
    TIMEOUT = "took too long"
    UNREADABLE = "answer not readable"
    MISSING = "function missing"
    LOST = "process lost"


class CheckFailed(AssertionError):
    """A check found a difference; the message says what, in plain words."""

    kind = Failure.WRONG
    check = ""  # the public check that failed (set by :func:`check`)

    def __init__(self, message: str = "", kind: Failure | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind


class StudentRaised(Exception):
    """The student's function raised in another process; ``student_type`` is its exception's class name."""

    def __init__(self, student_type: str, message: str) -> None:
        super().__init__(message)
        self.student_type = student_type


def unreadable(what: str) -> CheckFailed:
    """The failure for an answer (or a probe's observation) in a form a check cannot read."""
    return CheckFailed(f"{what} came back in a form the check cannot read.", Failure.UNREADABLE)


def probe_fields(answer: Any, *keys: str) -> dict:
    """A probe's answer: a dict with at least ``keys`` (else :func:`unreadable`)."""
    if not (isinstance(answer, dict) and all(key in answer for key in keys)):
        raise unreadable("what the check observed of your function")
    return answer


# -- expected values the grader computes once --------------------------------------------------


class Store:
    """Where :func:`remember` keeps answers: nothing by default (a notebook computes each check once)."""

    def get(self, key: bytes) -> bytes | None:
        return None

    def put(self, key: bytes, value: bytes) -> None:
        return None


#: The grader installs a persistent store in its trusted workers (``autograde.trusted.reference``);
#: in a notebook every call of :func:`remember` just computes.
STORE: list[Store] = [Store()]
#: Larger keys (pickled arguments) are not remembered.
MAX_KEY_BYTES = 4 << 20


def remember(compute: Callable, *args: Any, **kwargs: Any) -> Any:
    """``compute(*args, **kwargs)``, remembered across students by the grader.

    For the expensive expected values of a check (a ``GridSearchCV`` fitted on the
    check's own data, the re-scoring of an answer): the same inputs give the same
    value for every student, so the grader computes it once per version of the
    checks. ``compute`` must be a module-level function whose answer depends only on
    its arguments. A hit returns a fresh copy.
    """
    store = STORE[0]
    try:
        key = pickle.dumps((compute.__module__, compute.__qualname__, args, sorted(kwargs.items())),
                           protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - unpicklable arguments: computed, not remembered
        return compute(*args, **kwargs)
    if len(key) > MAX_KEY_BYTES:
        return compute(*args, **kwargs)
    saved = store.get(key)
    if saved is not None:
        return pickle.loads(saved)
    value = compute(*args, **kwargs)
    try:
        store.put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - an answer that cannot be pickled is not remembered
        pass
    return value


def _fit(estimator: Any, *args: Any, **kwargs: Any) -> Any:
    return estimator.fit(*args, **kwargs)


def fitted(estimator: Any, *args: Any, **kwargs: Any) -> Any:
    """``estimator.fit(*args, **kwargs)`` through :func:`remember`: use the returned estimator."""
    return remember(_fit, estimator, *args, **kwargs)


# -- the function under test ---------------------------------------------------------------------


class Local:
    """A student's function called in this process, answering exactly as it would to the grader.

    The grader calls a student's function in the student's own process and reads
    back only plain data (:mod:`helpers.checks.wire`). So that a public check in
    the notebook sees what the grader will see, a local call gets copies of its
    arguments (it cannot change the check's inputs) and its answer goes through
    the same round trip to plain data.
    """

    is_callee = True

    def __init__(self, function: Callable) -> None:
        self.function = function
        self.__name__ = getattr(function, "__name__", "function")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args, kwargs = _copy((args, kwargs))
        return _readable(self.function(*args, **kwargs), self.__name__)

    def probe(self, probe: Callable, *args: Any, **kwargs: Any) -> Any:
        """Run ``probe(function, *args)`` (a public helper that calls the function and observes it)."""
        args, kwargs = _copy((args, kwargs))
        return _readable(probe(self.function, *args, **kwargs), self.__name__)


def _copy(value: Any) -> Any:
    try:
        return pickle.loads(pickle.dumps(value))
    except (pickle.PicklingError, TypeError, AttributeError):
        import copy

        return copy.deepcopy(value)


def _readable(value: Any, name: str) -> Any:
    from helpers.checks.wire import WireError, roundtrip

    try:
        return roundtrip(value)
    except WireError as error:
        raise CheckFailed(f"{name}: the grader cannot read this answer: {error}.", Failure.UNREADABLE) from None


def callee(function: Any) -> Any:
    """The function under test as a callee: a :class:`Local` unless it already is one (or the grader's)."""
    if getattr(function, "is_callee", False) is True:
        return function
    return Local(function)


def suggest(trial: Any, space: dict[str, tuple]) -> dict[str, Any]:
    """Ask an Optuna ``trial`` for each parameter of ``space`` in order: ``("float"|"int", low, high)``
    or ``("categorical", [choices])``; the suggested values by name (for objectives made of data)."""
    params: dict[str, Any] = {}
    for name, (kind, *spec) in space.items():
        if kind == "float":
            params[name] = trial.suggest_float(name, *spec)
        elif kind == "int":
            params[name] = trial.suggest_int(name, *spec)
        else:
            params[name] = trial.suggest_categorical(name, list(spec[0]))
    return params


def probe(function: Any, observer: Callable, *args: Any, **kwargs: Any) -> Any:
    """``observer(function, *args)``, run where the student's function runs; plain data back."""
    return callee(function).probe(observer, *args, **kwargs)


def expect(condition: bool, message: str) -> None:
    """Fail with ``message`` unless ``condition`` is true."""
    if not bool(condition):
        raise CheckFailed(message)


def expect_equal(actual: Any, expected: Any, what: str) -> None:
    """Fail unless ``actual == expected`` (compared as plain Python values).

    Both sides are converted with :func:`_plain` first, so an object whose
    ``__eq__`` always returns True cannot pass for the right value.
    """
    a, e = _plain(actual), _plain(expected)
    if type(a) is not type(e) or a != e:
        raise CheckFailed(f"{what}: expected {e!r}, got {a!r}.")


def expect_close(
    actual: Any, expected: Any, what: str, *, rtol: float = 1e-7, atol: float = 1e-9
) -> None:
    """Fail unless two numbers or arrays agree within tolerance."""
    try:
        a = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{what}: expected a number or array of numbers, got {actual!r}.") from None
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        raise CheckFailed(f"{what}: expected shape {e.shape}, got shape {a.shape}.")
    if not np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True):
        if a.ndim == 0:
            raise CheckFailed(f"{what}: expected {float(e):.6g}, got {float(a):.6g}.")
        bad = int(np.argmax(~np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True).ravel()))
        raise CheckFailed(
            f"{what}: differs at position {bad}: expected {e.ravel()[bad]:.6g}, "
            f"got {a.ravel()[bad]:.6g}."
        )


def _plain(value: Any) -> Any:
    """Convert NumPy scalars, arrays, tuples and dicts to plain Python values."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return f"<{type(value).__name__} object>"


def check(func: Callable[..., None]) -> Callable[..., None]:
    """Decorate a check: record its result, print a one-line verdict.

    A student's function that still raises ``NotImplementedError`` fails the
    check with a plain message instead of a traceback. While grading
    (``WEEK08_DEFERRED_CHECKS=1`` in the sandbox) the check does not run in the
    notebook: the grader runs it from outside, where the notebook cannot change it.
    """

    @functools.wraps(func)
    def wrapper(function: Any, *args: Any, **kwargs: Any) -> None:
        name = func.__name__
        outermost = _DEPTH[0] == 0
        if outermost and os.environ.get(DEFERRED_VARIABLE) == "1":
            print(f"{name}: {DEFERRED_MESSAGE}")
            return
        _DEPTH[0] += 1
        try:
            func(callee(function), *args, **kwargs)
        except NotImplementedError:
            _record(outermost, name, "not implemented yet")
            raise CheckFailed(
                f"{name}: not implemented yet (your function still raises NotImplementedError).",
                Failure.NOT_IMPLEMENTED,
            ) from None
        except CheckFailed as failure:
            _record(outermost, name, str(failure))
            if outermost:
                failure.check = name
            raise
        except Exception as error:  # the student's code crashed inside the check
            kind = getattr(error, "student_type", type(error).__name__)
            message = f"your function raised {kind}: {error}"
            _record(outermost, name, message)
            raise CheckFailed(f"{name}: {message}", Failure.RAISED) from error
        finally:
            _DEPTH[0] -= 1
        _record(outermost, name, "passed")
        if outermost:
            print(f"{name}: passed")

    wrapper.is_check = True  # type: ignore[attr-defined]
    return wrapper


def _record(outermost: bool, name: str, verdict: str) -> None:
    if outermost:
        _RESULTS[name] = verdict


def results() -> dict[str, str]:
    """Return a copy of the results of the checks run so far in this process."""
    return dict(_RESULTS)


def summary(module: Any | None = None) -> None:
    """Print which checks have passed so far in this kernel.

    Parameters
    ----------
    module:
        A checks module (e.g. ``helpers.checks.nb01``). When given, every check it
        defines is listed, including those not run yet.
    """
    names = list(_RESULTS)
    if module is not None:
        names = [n for n, f in vars(module).items() if getattr(f, "is_check", False)]
    passed = sum(_RESULTS.get(n) == "passed" for n in names)
    width = max((len(n) for n in names), default=10)
    for name in names:
        verdict = _RESULTS.get(name, "not run yet")
        mark = "PASS" if verdict == "passed" else "----"
        print(f"{mark}  {name:<{width}}  {'' if verdict == 'passed' else verdict}")
    print(f"{passed} of {len(names)} public checks pass.")


#: Where library code lives: frames there are not the student's (the checks, site-packages, the standard library).
_LIBRARY_DIRS = tuple({str(Path(__file__).resolve().parents[1]),
                       *(sysconfig.get_paths()[k] for k in ("purelib", "platlib", "stdlib", "platstdlib"))})


def _is_students(filename: str) -> bool:
    """A frame of the student's code: a notebook cell or a module of their own, not a library."""
    try:
        path = str(Path(filename).resolve())
    except (OSError, ValueError):
        return True
    return not path.startswith(_LIBRARY_DIRS)


def brief_failure(failure: CheckFailed) -> list[str]:
    """What a failing public check shows in the notebook, as otter's ``grader.check`` does: its message in plain
    words and, when the student's function raised, the traceback through the student's code only (never
    through the checks' internals or the libraries)."""
    message, name = str(failure), getattr(failure, "check", "")
    lines = [f"\u2717 {message}" if not name or message.startswith(f"{name}:") else f"\u2717 {name}: {message}"]
    cause = failure.__cause__
    if cause is not None:
        frames = [f for f in traceback.extract_tb(cause.__traceback__) if _is_students(f.filename)]
        if frames:
            lines.append("Where your code raised it (most recent call last):")
            lines += [line.rstrip("\n") for line in traceback.format_list(frames)]
        lines.append(f"{type(cause).__name__}: {cause}")
    return lines


def _show_briefly(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> list[str]:
    # IPython's run_code ignores what a custom handler returns: show it (as IPython's own showtraceback does).
    stb = brief_failure(value) if isinstance(value, CheckFailed) else \
        shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    shell._showtraceback(etype, value, stb)
    return stb


def show_failures_briefly() -> bool:
    """In IPython (JupyterLab), show a failing check as :func:`brief_failure` instead of a long traceback.

    The cell still fails (so *Run All* stops there and nbgrader sees the failure). Returns whether it
    was installed (False outside IPython).
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((CheckFailed,), _show_briefly)
    return True
