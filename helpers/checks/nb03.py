"""Public checks for notebook 03, Bayesian optimisation from scratch, then Optuna.

Each ``check_*`` takes the student's function first. ``cases`` (and for most
checks ``oracle``) default to the public inputs; the hidden checks in
``autograde.checks.nb03`` call these same functions with unseen inputs and the
reference solution as the oracle.

The public checks compare with definitions rather than with code that would give
the answer away: a Monte Carlo estimate of expected improvement, the lecture's
facts about the gold field, invariants of a Gaussian process (it passes through
its drills and returns to the prior far from them), and a few numbers computed
once with the reference solution.

Every check runs quietly (no warnings, no Optuna log lines) with one BLAS thread:
a warning printed in a graded cell would cost its points, and the tiny matrices of
a Gaussian process are several times faster on one thread.

The student's function always runs where the student's code lives (in grading,
the student's own process) and only plain data comes back (:mod:`helpers.checks.wire`).
So everything a check hands to it is data or public code: the unseen fields,
acquisitions and Optuna objectives of the hidden checks are :class:`Formula` and
:class:`Objective` objects made of expressions. What a check needs to see *during*
a call (the warnings it emits, the calls it makes to an acquisition function, the
suggestions it makes on a trial, the trials of a study it drives) is observed by a
*probe* (the ``probe_*`` functions below, run by :func:`helpers.checks.core.probe`)
next to the function, which returns what it saw as plain data.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import TrialState
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from helpers.checks.core import (
    CheckFailed,
    check,
    expect,
    expect_close,
    expect_equal,
    probe,
    probe_fields,
    remember,
    suggest,
    unreadable,
)
from helpers.data import load_dataset

Case = tuple[str, tuple, Any]  # (label, arguments, expected or None)

#: The notebook's map: prior guess 5 +- 2.5, length scale 1 (fixed).
PRIOR_MEAN = 5.0
PRIOR_STD = 2.5


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """No warnings, no Optuna log lines, one BLAS thread, for the duration of a check."""
    level = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    try:
        with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
            warnings.simplefilter("ignore")
            yield
    finally:
        optuna.logging.set_verbosity(level)


def quietly(func: Callable[..., None]) -> Callable[..., None]:
    """Run a whole check inside :func:`quiet` (use under ``@check``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        with quiet():
            func(*args, **kwargs)

    return wrapper


def gold_field(x: Any) -> np.ndarray:
    """The lecture's 1-D gold field (Agnihotri & Batra, Distill 2020) on [0, 6]."""
    x = np.asarray(x, dtype=float)
    return 2 * ((x - 3) * np.sin(x - 3)) + 2 + 0.5 * x


def gold_field_2d(points: Any) -> np.ndarray:
    """The notebook's 2-D gold field: the first coordinate matters twice as much."""
    points = np.asarray(points, dtype=float)
    return gold_field(points[:, 0]) + 0.5 * (gold_field(points[:, 1]) - 5)


# -- functions made of data (what a check may send to the student's function) ------------------


def _namespace() -> dict[str, Any]:
    """What an expression may use: NumPy and SciPy's standard normal distribution, no builtins."""
    from scipy.stats import norm

    return {"__builtins__": {}, "np": np, "norm": norm}


class Formula:
    """A function made of data: a NumPy expression of its arguments.

    ``Formula("4 + np.sin(x)")`` is the function ``x -> 4 + sin(x)``; each argument
    is read as an array of floats. ``arguments`` names the call's arguments in
    order, ``steps`` defines intermediate names (in order, each an expression of
    the names before it), and keyword ``constants`` are further names, e.g.
    ``Formula("mu + kappa * sigma", arguments=("mu", "sigma", "best"), kappa=1.5)``.
    Expressions see ``np`` and ``norm`` (``scipy.stats.norm``) only: no builtins.
    """

    def __init__(self, expression: str, arguments: Sequence[str] = ("x",), steps: dict[str, str] | None = None,
                 **constants: float) -> None:
        self.expression = str(expression)
        self.arguments = tuple(arguments)
        self.steps = dict(steps or {})
        self.constants = dict(constants)

    def __call__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        values = dict(zip(self.arguments, args))
        values.update(kwargs)
        if len(args) > len(self.arguments) or set(values) != set(self.arguments):
            raise TypeError(f"this function takes the arguments ({', '.join(self.arguments)})")
        names = {**self.constants, **{name: np.asarray(value, dtype=float) for name, value in values.items()}}
        scope = _namespace()
        for name, step in self.steps.items():
            names[name] = eval(step, scope, names)  # the check's own expression
        return np.asarray(eval(self.expression, scope, names), dtype=float)

    def __repr__(self) -> str:  # the expression of an unseen case is not for messages
        return f"<function of ({', '.join(self.arguments)})>"


def field_2d(expression: str) -> Formula:
    """A 2-D field: an expression of ``x1`` and ``x2``, called with points of shape (n, 2)."""
    return Formula(expression, arguments=("points",), steps={"x1": "points[:, 0]", "x2": "points[:, 1]"})


class Objective:
    """An Optuna objective made of data: suggests ``space``, returns ``expression`` of the suggestions.

    ``space`` maps each parameter, in the order it is suggested, to ``("float", low, high)``,
    ``("int", low, high)`` or ``("categorical", [choices])``; ``expression`` is a
    Python expression of the parameters' names (``np`` is NumPy; no builtins).
    """

    def __init__(self, space: dict[str, tuple], expression: str) -> None:
        self.space = {name: tuple(spec) for name, spec in space.items()}
        self.expression = str(expression)

    def __call__(self, trial: optuna.Trial) -> float:
        params = suggest(trial, self.space)
        return float(eval(self.expression, _namespace(), params))  # the check's own expression

    def __repr__(self) -> str:
        return f"<objective of ({', '.join(self.space)})>"


# -- reading what came back ---------------------------------------------------------------------


def _readable(condition: bool, what: str) -> None:
    """Fail (as an unreadable answer) unless ``condition``."""
    if not condition:
        raise unreadable(what)


def _pair(result: Any, name: str, what: str) -> tuple[Any, Any]:
    expect(isinstance(result, (tuple, list)) and len(result) == 2,
           f"{name} must return a pair {what}, got {type(result).__name__}.")
    return result[0], result[1]


def _array(value: Any, what: str, shape: tuple[int, ...]) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{what}: expected an array of numbers, got {type(value).__name__}.") from None
    expect(array.shape == shape, f"{what}: expected shape {shape}, got shape {array.shape}.")
    expect(bool(np.all(np.isfinite(array))), f"{what}: contains nan or inf.")
    return array


def _as_rows(x: Any) -> np.ndarray:
    """Locations as an (n, d) array."""
    x = np.asarray(x, dtype=float)
    return x.reshape(len(x), -1)


# -- 1. the map with error bars ----------------------------------------------------------------


def public_gp_posterior_cases() -> list[Case]:
    """Prior, a 1-D posterior (with spot values of the reference), another prior mean, 2-D."""
    drills = np.array([1.0, 2.0])
    wide = np.linspace(0, 10, 101)
    plane = np.array([[1.0, 1.0], [2.0, 3.0], [4.0, 4.0]])
    plane_grid = np.vstack([plane, [[1.5, 2.0], [3.0, 3.0], [12.0, 12.0], [-6.0, 9.0]]])
    return [
        ("no drill yet (the prior)", (np.array([]), np.array([]), np.linspace(0, 6, 61), 5.0), None),
        ("drills at 1 and 2 on the gold field", (drills, gold_field(drills), wide, 5.0),
         {15: (5.4459343612, 0.7860851896), 30: (4.5896849925, 2.0916015502)}),
        ("drills at 1 and 2, prior mean 0", (drills, gold_field(drills), wide, 0.0),
         {15: (5.8832851398, 0.7860851896), 30: (1.7637559242, 2.0916015502)}),
        ("three drills in 2-D", (plane, gold_field_2d(plane), plane_grid, 5.0), None),
    ]


@check
@quietly
def check_gp_posterior(gp_posterior: Callable, cases: Sequence[Case] | None = None,
                       oracle: Callable | None = None) -> None:
    """``gp_posterior(x_obs, y_obs, x_grid, prior_mean)`` returns the map's mean and std.

    ``expected`` of a case, when given, is ``{grid index: (mu, sigma)}``; ``oracle``,
    when given, is another implementation to agree with everywhere.
    """
    for label, args, expected in cases or public_gp_posterior_cases():
        x_obs, y_obs, x_grid, prior_mean = args
        with quiet():
            result = gp_posterior(*args)
        mu, sigma = _pair(result, "gp_posterior", "(mu, sigma)")
        m = len(x_grid)
        mu = _array(mu, f"mu ({label})", (m,))
        sigma = _array(sigma, f"sigma ({label})", (m,))
        expect(bool(np.all(sigma >= 0)) and bool(np.all(sigma <= PRIOR_STD + 1e-6)),
               f"sigma must be a standard deviation between 0 and PRIOR_STD = {PRIOR_STD} ({label}); "
               f"got values from {sigma.min():.3g} to {sigma.max():.3g}. Did you return a variance?")
        if len(x_obs) == 0:
            expect_close(mu, np.full(m, prior_mean), f"mu before any drill: flat at prior_mean ({label})",
                         atol=1e-9)
            expect_close(sigma, np.full(m, PRIOR_STD), f"sigma before any drill: PRIOR_STD everywhere ({label})",
                         atol=1e-9)
        else:
            grid, drills = _as_rows(x_grid), _as_rows(x_obs)
            distance = np.linalg.norm(grid[:, None, :] - drills[None, :, :], axis=2)
            on_drill = distance.min(axis=1) < 1e-9
            nearest = distance.argmin(axis=1)
            if on_drill.any():
                expect_close(mu[on_drill], np.asarray(y_obs, dtype=float)[nearest[on_drill]],
                             f"mu at the drills: the map passes through what was found ({label})", atol=1e-2)
                expect(bool(np.all(sigma[on_drill] < 1e-2)),
                       f"sigma at the drills must be about 0 ({label}); got up to {sigma[on_drill].max():.3g}.")
            far = distance.min(axis=1) > 5
            if far.any():
                expect_close(mu[far], np.full(far.sum(), prior_mean),
                             f"mu far from every drill: back to prior_mean = {prior_mean} ({label}); did you "
                             "fit on y_obs - prior_mean and add prior_mean back?", atol=0.05)
                expect(bool(np.all(sigma[far] > 0.98 * PRIOR_STD)),
                       f"sigma far from every drill must be back to about PRIOR_STD ({label}).")
        for index, (want_mu, want_sigma) in (expected or {}).items():
            expect_close(mu[index], want_mu, f"mu at x = {np.ravel(x_grid[index])} ({label})", rtol=1e-5)
            expect_close(sigma[index], want_sigma, f"sigma at x = {np.ravel(x_grid[index])} ({label})",
                         rtol=1e-5)
        if oracle is not None:
            with quiet():
                want_mu, want_sigma = oracle(*args)
            expect_close(mu, want_mu, f"mu against the reference ({label})", rtol=1e-6, atol=1e-8)
            expect_close(sigma, want_sigma, f"sigma against the reference ({label})", rtol=1e-6, atol=1e-8)


# -- 2. acquisition functions ------------------------------------------------------------------


def probe_warnings(function: Callable, args: tuple, kwargs: dict) -> dict:
    """``function(*args, **kwargs)`` with NumPy's warnings on; ``{"result", "warnings"}``.

    Runs where the function runs; ``warnings`` are the messages of the RuntimeWarnings it emitted.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="warn"):
            result = function(*args, **kwargs)
    return {"result": result,
            "warnings": [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]}


def _call_acquisition(fn: Callable, name: str, args: tuple, kwargs: dict) -> np.ndarray:
    """Call an acquisition function, failing on warnings (they would cost the cell its points)."""
    answer = probe_fields(probe(fn, probe_warnings, args, kwargs), "result", "warnings")
    runtime = answer["warnings"]
    expect(not runtime, f"{name} emitted a RuntimeWarning ({runtime[0] if runtime else ''}): "
                        "do not divide by sigma where sigma == 0 (use a safe sigma and np.where).")
    result = answer["result"]
    shape = np.broadcast(np.asarray(args[0]), np.asarray(args[1])).shape
    return _array(result, f"{name} for mu={np.round(args[0], 3).tolist()}", shape)


def _monte_carlo(kind: str, mu: np.ndarray, sigma: np.ndarray, best: float, xi: float,
                 n: int = 400_000) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo estimates (and their standard errors) of EI or PI from their definitions."""
    z = np.random.default_rng(0).standard_normal(n)
    estimates, errors = [], []
    for m, s in zip(np.ravel(mu), np.ravel(sigma)):
        gold = m + s * z
        values = np.maximum(gold - best - xi, 0.0) if kind == "ei" else (gold > best + xi).astype(float)
        estimates.append(values.mean())
        errors.append(values.std() / np.sqrt(n))
    return np.array(estimates), np.array(errors)


def public_acquisition_cases() -> list[Case]:
    """(label, (mu, sigma, best), {"xi": ...}) cases: sigma > 0 for Monte Carlo, sigma = 0 by hand."""
    mu = np.array([0.0, 1.0, 2.5, -1.0, 0.3, 1.2])
    sigma = np.array([1.0, 0.5, 2.0, 1.5, 0.05, 0.3])
    return [
        ("sigma > 0, best = 1, default xi", (mu, sigma, 1.0), {}),
        ("sigma > 0, best = 1, xi = 0.2", (mu, sigma, 1.0), {"xi": 0.2}),
        ("sigma = 0 with improvement 0.5, -1 and exactly 0 (best = 1, xi = 0.5)",
         (np.array([2.0, 0.5, 1.5]), np.zeros(3), 1.0), {"xi": 0.5}),
        ("far below the best (z from -8.6 to -8): EI and PI about 1e-16, rounding may go a hair below 0",
         (1.01 + np.linspace(-8.6, -8.0, 7), np.ones(7), 1.0), {}),
    ]


#: How far below 0 (and PI above 1) rounding may take an acquisition: ``max(EI, 0)`` is allowed, not required.
ROUNDING = 1e-12


def _check_improvement(fn: Callable, name: str, kind: str, cases: Sequence[Case] | None,
                       oracle: Callable | None) -> None:
    for label, args, kwargs in cases or public_acquisition_cases():
        mu, sigma, best = args
        xi = kwargs.get("xi", 0.01)
        got = _call_acquisition(fn, name, args, kwargs)
        sigma_b = np.broadcast_to(np.asarray(sigma, dtype=float), got.shape)
        mu_b = np.broadcast_to(np.asarray(mu, dtype=float), got.shape)
        expect(bool(np.all(got >= -ROUNDING)), f"{name} must never be negative ({label}); got {got.min():.3g}.")
        if kind == "pi":
            expect(bool(np.all(got <= 1 + ROUNDING)), f"{name} is a probability: at most 1 ({label}).")
        zero = sigma_b == 0
        if zero.any():
            improvement = mu_b[zero] - best - xi
            want = np.maximum(improvement, 0.0) if kind == "ei" else (improvement > 0).astype(float)
            expect_close(got[zero], want, f"{name} where sigma = 0 ({label})", atol=1e-12)
        if (~zero).any():
            estimate, error = _monte_carlo(kind, mu_b[~zero], sigma_b[~zero], best, xi)
            worst = np.abs(got[~zero] - estimate) - (5 * error + 1e-4)
            if np.any(worst > 0):
                i = int(np.argmax(worst))
                raise CheckFailed(
                    f"{name} for mu = {mu_b[~zero][i]:.3g}, sigma = {sigma_b[~zero][i]:.3g}, best = {best}, "
                    f"xi = {xi} ({label}): a Monte Carlo estimate of its definition gives "
                    f"{estimate[i]:.4f}, your function gives {got[~zero][i]:.4f}.")
        if oracle is not None:
            want = oracle(*args, **kwargs)
            expect_close(got, want, f"{name} against the reference ({label})", rtol=1e-9, atol=1e-12)


@check
@quietly
def check_expected_improvement(expected_improvement: Callable, cases: Sequence[Case] | None = None,
                               oracle: Callable | None = None) -> None:
    """``expected_improvement(mu, sigma, best, xi=0.01)``: E[max(Y - best - xi, 0)], safe at sigma = 0."""
    _check_improvement(expected_improvement, "expected_improvement", "ei", cases, oracle)


@check
@quietly
def check_probability_of_improvement(probability_of_improvement: Callable,
                                     cases: Sequence[Case] | None = None,
                                     oracle: Callable | None = None) -> None:
    """``probability_of_improvement(mu, sigma, best, xi=0.01)``: P(Y > best + xi), safe at sigma = 0."""
    _check_improvement(probability_of_improvement, "probability_of_improvement", "pi", cases, oracle)


def public_ucb_cases() -> list[Case]:
    mu, sigma = np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.0, 1.0])
    return [("the default kappa = 2", (mu, sigma), {}, [2.0, 2.0, 5.0]),
            ("kappa = 0.5", (mu, sigma), {"kappa": 0.5}, [1.25, 2.0, 3.5])]


@check
@quietly
def check_upper_confidence_bound(upper_confidence_bound: Callable, cases: Sequence | None = None,
                                 oracle: Callable | None = None) -> None:
    """``upper_confidence_bound(mu, sigma, kappa=2.0)`` is mu + kappa * sigma."""
    for label, args, kwargs, expected in cases or public_ucb_cases():
        got = _call_acquisition(upper_confidence_bound, "upper_confidence_bound", args, kwargs)
        if expected is not None:
            expect_close(got, expected, f"upper_confidence_bound ({label})")
        if oracle is not None:
            expect_close(got, oracle(*args, **kwargs), f"upper_confidence_bound against the reference ({label})")


# -- Thompson sampling -----------------------------------------------------------------------------


def public_thompson_cases() -> list[Case]:
    drills = np.array([0.5, 1.5, 2.5])
    return [("three drills on the gold field", (drills, gold_field(drills), np.linspace(0, 6, 121)),
             list(range(12)))]


@check
@quietly
def check_thompson_sample(thompson_sample: Callable, cases: Sequence[Case] | None = None,
                          oracle: Callable | None = None) -> None:
    """``thompson_sample(x_obs, y_obs, x_grid, seed)`` draws one curve from the map and drills its top.

    ``expected`` of a case is the list of seeds to try.
    """
    for label, (x_obs, y_obs, x_grid), seeds in cases or public_thompson_cases():
        m = len(x_grid)
        samples = []
        for seed in seeds:
            with quiet():
                x_next, sample = _pair(thompson_sample(x_obs, y_obs, x_grid, seed), "thompson_sample",
                                       "(x_next, sample)")
            sample = _array(sample, f"the sampled curve for seed {seed} ({label})", (m,))
            top = np.asarray(x_grid, dtype=float)[int(np.argmax(sample))]
            expect_close(x_next, top, f"x_next must be where the sampled curve is highest (seed {seed}, {label})")
            samples.append(sample)
            if oracle is not None:
                with quiet():
                    want_next, want_sample = oracle(x_obs, y_obs, x_grid, seed)
                expect_close(sample, want_sample, f"the sampled curve for seed {seed} against the reference "
                             f"(use gp.sample_y(..., random_state=seed)) ({label})", rtol=1e-6, atol=1e-6)
                expect_close(x_next, want_next, f"x_next for seed {seed} against the reference ({label})")
        with quiet():
            _, again = thompson_sample(x_obs, y_obs, x_grid, seeds[0])
        expect_close(again, samples[0], f"the same seed must give the same curve ({label})")
        samples = np.array(samples)
        if len(seeds) > 1:
            expect(not np.allclose(samples[0], samples[1]),
                   f"seeds {seeds[0]} and {seeds[1]} gave the same curve ({label}): draw a random curve with "
                   "gp.sample_y(..., random_state=seed), not the mean.")
        if len(x_obs):
            grid, drills = _as_rows(x_grid), _as_rows(x_obs)
            distance = np.linalg.norm(grid[:, None, :] - drills[None, :, :], axis=2)
            on_drill = distance.min(axis=1) < 1e-9
            nearest = distance.argmin(axis=1)
            for sample in samples:
                expect_close(sample[on_drill], np.asarray(y_obs, dtype=float)[nearest[on_drill]],
                             f"the sampled curve at the drills: every possible world agrees with what was found "
                             f"({label}); did you fit the GP on y_obs - prior_mean and add prior_mean back?",
                             atol=0.05)
            far = distance.min(axis=1) > 3.4
        else:
            far = np.ones(m, dtype=bool)
        if len(seeds) >= 10 and far.any():
            values = samples[:, far][:, 0]
            expect(abs(values.mean() - PRIOR_MEAN) < 3 * PRIOR_STD / np.sqrt(len(seeds)),
                   f"far from the drills the curves should scatter around PRIOR_MEAN = {PRIOR_MEAN}; their "
                   f"mean over {len(seeds)} seeds is {values.mean():.2f} ({label}).")
            expect(0.4 * PRIOR_STD < values.std() < 1.8 * PRIOR_STD,
                   f"far from the drills the curves should spread like the prior (std about {PRIOR_STD}); "
                   f"their std over {len(seeds)} seeds is {values.std():.2f} ({label}).")


# -- 3. active learning and Bayesian optimisation loops ----------------------------------------


def _check_loop(name: str, result: Any, f: Callable, x_init: np.ndarray, x_grid: np.ndarray,
                n_iter: int, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Shape, start, values, grid membership and no repeated drill."""
    x_obs, y_obs = _pair(result, name, "(x_obs, y_obs)")
    x_init = np.asarray(x_init, dtype=float)
    n = len(x_init) + n_iter
    x_obs = _array(x_obs, f"x_obs ({label})", (n, *x_init.shape[1:]))
    y_obs = _array(y_obs, f"y_obs ({label})", (n,))
    expect_close(x_obs[:len(x_init)], x_init, f"the first drills must be x_init ({label})")
    expect_close(y_obs, f(x_obs), f"y_obs must be f(x_obs), drill by drill ({label})")
    grid, drills = _as_rows(x_grid), _as_rows(x_obs)
    for k in range(len(x_init), n):
        expect(bool(np.any(np.all(np.abs(grid - drills[k]) < 1e-12, axis=1))),
               f"drill {k + 1} at {drills[k].tolist()} is not a location of x_grid ({label}).")
        previous = drills[:k]
        repeated = np.all(np.abs(previous - drills[k]) < 1e-12, axis=1)
        expect(not repeated.any(),
               f"drill {k + 1} repeats drill {int(np.argmax(repeated)) + 1} at {drills[k].tolist()} ({label}): "
               "after each drill, append it to x_obs and y_obs and refit the map before choosing the next.")
    return x_obs, y_obs


def public_loop_case() -> Case:
    return ("the gold field from X_INIT = [1, 2], 10 iterations",
            (gold_field, np.array([1.0, 2.0]), np.linspace(0, 6, 500), 10), None)


@check
@quietly
def check_active_learning(active_learning: Callable, cases: Sequence[Case] | None = None,
                          oracle: Callable | None = None) -> None:
    """``active_learning(f, x_init, x_grid, n_iter)`` drills where the map is least sure."""
    for label, args, _ in cases or [public_loop_case()]:
        f, x_init, x_grid, n_iter = args
        with quiet():
            result = active_learning(*args)
        x_obs, _ = _check_loop("active_learning", result, f, x_init, x_grid, n_iter, label)
        if cases is None:
            expect_close(x_obs[2], 6.0, "the first active-learning drill: the far end x = 6, where the band is "
                                        "widest", atol=1e-9)
            gaps = np.diff(np.sort(np.concatenate([[0.0, 6.0], x_obs])))
            expect(gaps.max() <= 1.2, f"active learning should spread its drills: the largest gap between "
                                      f"neighbouring drills is {gaps.max():.2f} (at most 1.2 expected).")
        if oracle is not None:
            with quiet():
                want, _ = oracle(*args)
            expect_close(x_obs, want, f"the drills against the reference ({label})", atol=1e-9)


class RecordingAcquisition:
    """An acquisition function that records its inputs: score = sigma + 0.3 * mu."""

    def __init__(self) -> None:
        self.calls: list[tuple[np.ndarray, np.ndarray, float]] = []

    def __call__(self, mu: Any, sigma: Any, best: Any) -> np.ndarray:
        mu, sigma = np.array(mu, dtype=float), np.array(sigma, dtype=float)
        self.calls.append((mu.copy(), sigma.copy(), float(best)))
        return sigma + 0.3 * mu


def probe_acquisition_calls(function: Callable, f: Callable, x_init: Any, x_grid: Any, n_iter: int) -> dict:
    """``function(f, x_init, x_grid, n_iter, recorder)`` with a :class:`RecordingAcquisition`.

    Runs where the function runs; returns ``{"result", "calls"}``: what it returned
    and the ``(mu, sigma, best)`` of every call it made to the acquisition function.
    """
    recorder = RecordingAcquisition()
    with quiet():
        result = function(f, x_init, x_grid, n_iter, recorder)
    return {"result": result, "calls": recorder.calls}


@check
@quietly
def check_bayes_opt(bayes_opt: Callable, cases: Sequence[Case] | None = None,
                    oracle: Callable | None = None) -> None:
    """``bayes_opt(f, x_init, x_grid, n_iter, acquisition)`` drills where the acquisition peaks.

    The args of a case may carry a fifth element, the acquisition function.
    """
    for label, args, _ in cases or [public_loop_case()]:
        f, x_init, x_grid, n_iter = args[:4]
        with quiet():
            result = bayes_opt(*args)
        x_obs, y_obs = _check_loop("bayes_opt", result, f, x_init, x_grid, n_iter, label)
        if cases is None:
            richest = gold_field(x_grid).max()
            expect(y_obs.max() >= richest - 0.01,
                   f"BO with EI should find the richest spot of the gold field ({richest:.3f}) within 10 drills; "
                   f"the most gold it found is {y_obs.max():.3f} at x = {x_obs[np.argmax(y_obs)]:.3f}.")
        if oracle is not None:
            with quiet():
                want, _ = oracle(*args)
            expect_close(x_obs, want, f"the drills against the reference ({label})", atol=1e-9)
    _check_acquisition_is_used(bayes_opt)


def _check_acquisition_is_used(bayes_opt: Callable) -> None:
    """With a recording acquisition: called once per drill, with the best so far, and its argmax drilled."""
    x_init, x_grid, n_iter = np.array([0.4, 5.0]), np.linspace(0, 6, 61), 4
    answer = probe_fields(probe(bayes_opt, probe_acquisition_calls, gold_field, x_init, x_grid, n_iter),
                     "result", "calls")
    label = "with an acquisition function that records its calls"
    x_obs, y_obs = _pair(answer["result"], "bayes_opt", "(x_obs, y_obs)")
    x_obs = _array(x_obs, f"x_obs ({label})", (len(x_init) + n_iter,))
    y_obs = _array(y_obs, f"y_obs ({label})", (len(x_init) + n_iter,))
    calls = answer["calls"]
    _readable(isinstance(calls, (list, tuple)), "the calls of the acquisition function")
    expect_equal(len(calls), n_iter, "calls of the acquisition function: one per new drill")
    for k, call in enumerate(calls):
        try:
            mu, sigma, best = (np.asarray(call[0], dtype=float), np.asarray(call[1], dtype=float),
                               float(call[2]))
        except (TypeError, ValueError, IndexError):
            raise unreadable("the calls of the acquisition function") from None
        expect(mu.shape == (len(x_grid),) and sigma.shape == (len(x_grid),),
               "the acquisition function must get mu and sigma at every location of x_grid.")
        expect_close(best, y_obs[:len(x_init) + k].max(),
                     f"`best` passed to the acquisition before drill {len(x_init) + k + 1}: the most gold found "
                     "so far (y_obs.max())")
        chosen = x_grid[int(np.argmax(sigma + 0.3 * mu))]
        expect_close(x_obs[len(x_init) + k], chosen,
                     f"drill {len(x_init) + k + 1} must be where the acquisition is highest")


# -- 4. how good is each strategy ----------------------------------------------------------------

STRATEGIES = ["random", "active learning", "EI", "PI", "UCB"]


def public_compare_cases() -> list[Case]:
    return [("the gold field, 6 drills, seeds 0-2", (gold_field, np.linspace(0, 6, 150), 6, [0, 1, 2]), None)]


@check
@quietly
def check_compare_strategies(compare_strategies: Callable, cases: Sequence[Case] | None = None,
                             oracle: Callable | None = None) -> None:
    """``compare_strategies(f, x_grid, n_drills, seeds, n_init=2)``: mean best-so-far curves."""
    for label, args, _ in cases or public_compare_cases():
        f, x_grid, n_drills, seeds = args[:4]
        n_init = args[4] if len(args) > 4 else 2
        with quiet():
            curves = compare_strategies(*args)
        expect(isinstance(curves, dict), "compare_strategies must return a dict of curves.")
        expect_equal(sorted(curves), sorted(STRATEGIES), "the strategies (keys of the dict)")
        curves = {name: _array(curves[name], f"the curve of {name!r} ({label})", (n_drills,))
                  for name in STRATEGIES}
        for name, curve in curves.items():
            expect(bool(np.all(np.diff(curve) >= -1e-12)),
                   f"the curve of {name!r} must never go down: it is the most gold found *so far* "
                   f"(np.maximum.accumulate) ({label}).")
            expect_close(curve[:n_init], curves["random"][:n_init],
                         f"the first {n_init} drills of {name!r} must be the random search's first drills "
                         f"({label})")
        randoms = []
        for seed in seeds:
            drills = np.random.default_rng(seed).choice(np.asarray(x_grid, dtype=float), size=n_drills,
                                                        replace=False)
            randoms.append(np.maximum.accumulate(f(drills)))
        expect_close(curves["random"], np.mean(randoms, axis=0),
                     f"the random-search curve, averaged over the seeds ({label})")
        if cases is None:
            expect(curves["EI"][-1] > curves["random"][-1],
                   f"on the gold field, BO with EI should end above random search "
                   f"({curves['EI'][-1]:.3f} vs {curves['random'][-1]:.3f}).")
        if oracle is not None:
            with quiet():
                want = oracle(*args)
            for name in STRATEGIES:
                expect_close(curves[name], want[name], f"the curve of {name!r} against the reference ({label})",
                             rtol=1e-9)


# -- 5. 2-D ----------------------------------------------------------------------------------------


def public_search_2d_cases() -> list[Case]:
    return [("the 2-D gold field, 16 drills, seed 0", (gold_field_2d, 16, 0), None)]


@check
@quietly
def check_search_2d(search_2d: Callable, cases: Sequence[Case] | None = None,
                    oracle: Callable | None = None) -> None:
    """``search_2d(f, budget, seed, n_init=5)``: grid, random and BO drills on [0, 6] x [0, 6]."""
    for label, args, _ in cases or public_search_2d_cases():
        f, budget, seed = args[:3]
        n_init = args[3] if len(args) > 3 else 5
        with quiet():
            result = search_2d(*args)
        expect(isinstance(result, dict), "search_2d must return a dict.")
        expect_equal(sorted(result), ["bayes", "grid", "random"], "the strategies (keys of the dict)")
        found = {}
        for name in ["grid", "random", "bayes"]:
            points, gold = _pair(result[name], f"search_2d()[{name!r}]", "(points, gold)")
            drills = f"{name} points ({label}"
            if name == "bayes":
                drills += f"; all {budget} drills, the {n_init} starting drills included"
            points = _array(points, drills + ")", (budget, 2))
            gold = _array(gold, f"{name} gold ({label})", (budget,))
            expect_close(gold, f(points), f"{name} gold must be f(points) ({label})")
            found[name] = (points, gold)
        k = int(round(np.sqrt(budget)))
        ticks = np.linspace(0.0, 6.0, num=k)
        want_grid = np.array([(a, b) for a in ticks for b in ticks])
        expect_close(np.array(sorted(map(tuple, found["grid"][0]))), np.array(sorted(map(tuple, want_grid))),
                     f"the grid points: a {k} x {k} grid of np.linspace(0, 6, {k}) ({label})")
        want_random = np.random.default_rng(seed).uniform(0, 6, size=(budget, 2))
        expect_close(found["random"][0], want_random, f"the random points ({label})")
        bayes = found["bayes"][0]
        expect_close(bayes[:n_init], want_random[:n_init],
                     f"BO must start from the first {n_init} random points ({label})")
        on_grid = np.isclose(bayes[n_init:] / 0.15, np.round(bayes[n_init:] / 0.15), atol=1e-6)
        expect(bool(on_grid.all()), f"BO's drills after the start must be locations of GRID_2D ({label}).")
        for i in range(budget):
            expect(not np.any(np.all(np.abs(bayes[:i] - bayes[i]) < 1e-12, axis=1)),
                   f"BO drilled {bayes[i].tolist()} twice ({label}).")
        if cases is None:
            expect(found["bayes"][1].max() > found["grid"][1].max(),
                   "on the 2-D gold field BO should find more gold than the grid.")
        if oracle is not None:
            with quiet():
                want = oracle(*args)
            expect_close(bayes, want["bayes"][0], f"BO's drills against the reference ({label})", atol=1e-9)


# -- 6. Optuna's words -----------------------------------------------------------------------------

#: The notebook's given lists (cell ``words-given``): the phrases, and the words in shuffled order.
GOLD_MINING = ["one drill location", "how much gold a drill finds", "the map of all drills so far",
               "the richest spot found", "the rule that picks the next drill",
               "giving up on a hole that is clearly barren"]
OPTUNA_WORDS = ["study", "pruner", "best_params", "trial", "sampler", "objective"]


@check
@quietly
def check_optuna_words(optuna_words: Callable, oracle: Callable | None = None) -> None:
    """``optuna_words()`` maps each gold-mining phrase to its Optuna word.

    Publicly only the form is checked (every phrase once, every word once, not
    simply the lists' order); which word belongs to which phrase is checked by
    the hidden check, whose ``oracle`` is the reference solution.
    """
    words = optuna_words()
    expect(isinstance(words, dict), "optuna_words must return a dict {gold-mining phrase: Optuna word}.")
    expect_equal(sorted(map(str, words)), sorted(GOLD_MINING), "the gold-mining phrases (keys; copy GOLD_MINING)")
    expect(all(isinstance(word, str) for word in words.values()), "every Optuna word must be a string.")
    expect_equal(sorted(words.values()), sorted(OPTUNA_WORDS),
                 "the Optuna words (values; each word of OPTUNA_WORDS once)")
    expect(words != dict(zip(GOLD_MINING, OPTUNA_WORDS)),
           "you paired the two lists in their given order, but OPTUNA_WORDS is shuffled: match each phrase to "
           "its word with the lecture slide 'Optuna: The Concept'.")
    if oracle is not None:
        want = oracle()
        for phrase in GOLD_MINING:
            expect(words[phrase] == want[phrase],
                   f"{phrase!r} is not {words[phrase]!r}: reread the lecture slide 'Optuna: The Concept'.")


# -- 7. an Optuna objective and study --------------------------------------------------------------

RF_SPACE = {
    "n_estimators": IntDistribution(10, 80, step=10),
    "max_depth": IntDistribution(2, 12),
    "max_features": FloatDistribution(0.05, 1.0, log=True),
    "criterion": CategoricalDistribution(["gini", "entropy"]),
}


def public_rf_cases() -> list[Case]:
    X, y = load_dataset("breast_cancer")
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    return [
        ("150 tumours, a small forest", (X[:150], y[:150], cv),
         {"n_estimators": 10, "max_depth": 3, "max_features": 0.3, "criterion": "entropy"}),
        ("150 tumours, deep trees, few features", (X[:150], y[:150], cv),
         {"n_estimators": 20, "max_depth": 12, "max_features": 0.05, "criterion": "gini"}),
    ]


def _ask(params: dict) -> tuple[optuna.Study, optuna.Trial]:
    """A live trial whose suggestions return ``params``."""
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(seed=0))
    study.enqueue_trial(params)
    return study, study.ask()


def probe_rf_objective(function: Callable, params: dict, X: Any, y: Any, cv: Any) -> dict:
    """``function(trial, X, y, cv)`` on a live trial whose suggestions return ``params``.

    Runs where the function runs; returns ``{"value", "params", "distributions"}``:
    what it returned, and what it suggested on the trial.
    """
    with quiet():
        _, trial = _ask(params)
        value = function(trial, X, y, cv)
    return {"value": value, "params": dict(trial.params), "distributions": dict(trial.distributions)}


@check
@quietly
def check_rf_objective(rf_objective: Callable, cases: Sequence[Case] | None = None) -> None:
    """``rf_objective(trial, X, y, cv)``: the four suggestions and the forest's mean CV accuracy.

    The oracle is scikit-learn itself: the reference solution computes exactly that score.
    """
    for label, (X, y, cv), params in cases or public_rf_cases():
        answer = probe_fields(probe(rf_objective, probe_rf_objective, params, X, y, cv),
                         "value", "params", "distributions")
        value, suggested, distributions = answer["value"], answer["params"], answer["distributions"]
        expect(isinstance(value, (float, np.floating)) and not isinstance(value, bool),
               f"rf_objective must return a float, got {type(value).__name__} ({label}).")
        _readable(isinstance(suggested, dict) and isinstance(distributions, dict)
                  and set(suggested) == set(distributions), "the trial's suggestions")
        expect_equal(sorted(map(str, suggested)), sorted(RF_SPACE), f"the hyperparameters suggested ({label})")
        for name, want in RF_SPACE.items():
            got = distributions[name]
            expect(got == want, f"{name} must be suggested as {want}, got {got} ({label}).")
        with quiet():
            want_value = remember(cross_val_score, RandomForestClassifier(**params, random_state=0), X, y,
                                  cv=cv).mean()
        expect_close(value, want_value, f"the mean CV accuracy of {params} ({label})", rtol=1e-9)


def gold_objective(trial: optuna.Trial) -> float:
    """The 1-D gold field as an Optuna objective."""
    return float(gold_field(trial.suggest_float("x", 0, 6)))


def public_study_cases() -> list[Case]:
    return [("the gold field, 20 trials, seed 0", (gold_objective, 20, 0), None)]


def _trial_params(study: optuna.Study) -> list[dict]:
    return [trial.params for trial in study.trials]


@check
@quietly
def check_run_study(run_study: Callable, cases: Sequence[Case] | None = None,
                    oracle: Callable | None = None) -> None:
    """``run_study(objective, n_trials, seed, pruner=None)``: a seeded TPE study that maximises."""
    for label, (objective, n_trials, seed), _ in cases or public_study_cases():
        with quiet():
            study = run_study(objective, n_trials, seed)
            again = run_study(objective, n_trials, seed)
            other = run_study(objective, n_trials, seed + 1)
        expect(isinstance(study, optuna.Study), f"run_study must return an optuna.Study, got "
                                                f"{type(study).__name__}.")
        expect(study.direction == optuna.study.StudyDirection.MAXIMIZE,
               f"the study must maximise the objective (direction='maximize') ({label}).")
        expect(isinstance(study.sampler, optuna.samplers.TPESampler),
               f"the sampler must be a TPESampler, got {type(study.sampler).__name__} ({label}).")
        expect_equal(len(study.trials), n_trials, f"number of trials ({label})")
        expect(_trial_params(study) == _trial_params(again),
               f"two studies with the same seed tried different parameters ({label}): seed the sampler, "
               "TPESampler(seed=seed), so that the study is reproducible.")
        expect(_trial_params(study) != _trial_params(other),
               f"seeds {seed} and {seed + 1} gave the same trials ({label}): use the seed you are given.")
        values = [trial.value for trial in study.trials]
        expect_close(study.best_value, max(values), f"best_value is the highest score ({label})")
        if cases is None:
            expect(study.best_value > 8.0, f"20 TPE trials should find gold above 8.0 on the gold field "
                                           f"(the richest spot has 8.18); got {study.best_value:.3f}.")
        # Two pruners of classes other than Optuna's default (MedianPruner): the study must use each.
        for pruner in (optuna.pruners.NopPruner(), optuna.pruners.ThresholdPruner(upper=1e9)):
            with quiet():
                pruned = run_study(objective, 2, seed, pruner=pruner)
            expect(isinstance(pruned, optuna.Study) and type(pruned.pruner) is type(pruner),
                   f"run_study must pass the pruner it is given to create_study: given a "
                   f"{type(pruner).__name__}, the study used a {type(getattr(pruned, 'pruner', None)).__name__}.")
        if oracle is not None:
            with quiet():
                want = oracle(objective, n_trials, seed)
            expect(_trial_params(study) == _trial_params(want),
                   f"the trials differ from the reference's with the same seed ({label}).")
            expect_close(study.best_value, want.best_value, f"best_value against the reference ({label})")


# -- 9. pruning ------------------------------------------------------------------------------------


def pruning_data(name: str = "breast_cancer", seed: int = 1) -> tuple[np.ndarray, ...]:
    """A scaled train/validation split: X_train, y_train, X_val, y_val."""
    X, y = load_dataset(name)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), y_train, scaler.transform(X_val), y_val


def public_sgd_cases() -> list[Case]:
    """(label, (data, n_epochs, n_trials, sampler seed), None)."""
    return [("breast cancer, 8 epochs, 15 trials", (pruning_data(), 8, 15, 0), None)]


def run_pruned_study(objective: Callable, data: tuple, n_epochs: int, n_trials: int,
                     seed: int) -> optuna.Study:
    """A seeded TPE study with a MedianPruner over ``objective(trial, *data, n_epochs)``."""
    tpe = optuna.samplers.TPESampler(seed=seed)
    median = optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1)
    study = optuna.create_study(sampler=tpe, pruner=median, direction=optuna.study.StudyDirection.MAXIMIZE)
    study.optimize(lambda trial: objective(trial, *data, n_epochs), n_trials=n_trials)
    return study


def probe_pruned_study(function: Callable, data: tuple, n_epochs: int, n_trials: int, seed: int) -> optuna.Study:
    """:func:`run_pruned_study` with ``function`` as the objective, where the function runs; the study."""
    with quiet():
        return run_pruned_study(function, data, n_epochs, n_trials, seed)


@check
@quietly
def check_sgd_objective(sgd_objective: Callable, cases: Sequence[Case] | None = None,
                        oracle: Callable | None = None) -> None:
    """``sgd_objective(trial, X_train, y_train, X_val, y_val, n_epochs)`` reports every epoch and can be pruned."""
    for label, (data, n_epochs, n_trials, seed), _ in cases or public_sgd_cases():
        study = probe(sgd_objective, probe_pruned_study, data, n_epochs, n_trials, seed)
        _readable(isinstance(study, optuna.Study), "the study your objective ran")
        for trial in study.trials:
            expect(trial.state in (TrialState.COMPLETE, TrialState.PRUNED),
                   f"trial {trial.number} ended {trial.state.name} ({label}).")
            steps = sorted(trial.intermediate_values)
            expect(len(steps) > 0, f"trial {trial.number} reported nothing ({label}): call "
                                   "trial.report(score, step=epoch) after every epoch.")
            expect_equal(steps, list(range(len(steps))),
                         f"the steps trial {trial.number} reported (0, 1, 2, ...: one per epoch) ({label})")
            expect_equal(sorted(trial.params), ["alpha", "eta0"], f"the hyperparameters suggested ({label})")
            expect(trial.distributions["alpha"] == FloatDistribution(1e-5, 1.0, log=True)
                   and trial.distributions["eta0"] == FloatDistribution(1e-5, 1e-1, log=True),
                   f"alpha and eta0 must be suggested on a log scale in the given ranges ({label}).")
            if trial.state == TrialState.COMPLETE:
                expect_equal(len(steps), n_epochs, f"epochs reported by the completed trial {trial.number} "
                                                   f"({label})")
                expect_close(trial.value, trial.intermediate_values[n_epochs - 1],
                             f"the value of trial {trial.number}: the last validation accuracy ({label})")
        pruned = [t for t in study.trials if t.state == TrialState.PRUNED]
        expect(len(pruned) > 0, f"no trial was pruned ({label}): after trial.report(...), check "
                                "trial.should_prune() and raise optuna.TrialPruned().")
        complete = [t for t in study.trials if t.state == TrialState.COMPLETE]
        expect(len(complete) > 0, f"no trial completed ({label}).")
        _check_sgd_scores(complete[0], data, n_epochs, label)
        if oracle is not None:
            with quiet():
                want = run_pruned_study(oracle, data, n_epochs, n_trials, seed)
            expect_equal([t.state.name for t in study.trials], [t.state.name for t in want.trials],
                         f"which trials were pruned, against the reference ({label})")
            for got_trial, want_trial in zip(study.trials, want.trials):
                expect_close([got_trial.intermediate_values[k] for k in sorted(got_trial.intermediate_values)],
                             [want_trial.intermediate_values[k] for k in sorted(want_trial.intermediate_values)],
                             f"the scores reported by trial {got_trial.number} against the reference ({label})")


def _check_sgd_scores(trial: optuna.trial.FrozenTrial, data: tuple, n_epochs: int, label: str) -> None:
    """Retrain one completed trial and compare its reported validation accuracies."""
    X_train, y_train, X_val, y_val = data
    with quiet():
        model = SGDClassifier(alpha=trial.params["alpha"], learning_rate="constant", eta0=trial.params["eta0"],
                              random_state=0)
        scores = []
        for _ in range(n_epochs):
            model.partial_fit(X_train, y_train, classes=np.unique(y_train))
            scores.append(model.score(X_val, y_val))
    expect_close([trial.intermediate_values[k] for k in range(n_epochs)], scores,
                 f"the validation accuracies reported by trial {trial.number}, epoch by epoch ({label})")


def make_study(trials: Sequence[tuple[str, int]]) -> optuna.Study:
    """A study of hand-made trials: (state name, number of reported epochs) each."""
    study = optuna.create_study(direction="maximize")
    for i, (state, n_reported) in enumerate(trials):
        values = {step: 0.5 + 0.01 * step + 0.001 * i for step in range(n_reported)}
        value = values[n_reported - 1] if state == "COMPLETE" else None
        study.add_trial(optuna.trial.create_trial(state=TrialState[state], value=value,
                                                  intermediate_values=values))
    return study


def public_summary_cases() -> list[Case]:
    trials = [("COMPLETE", 10), ("COMPLETE", 10), ("PRUNED", 3), ("COMPLETE", 10), ("PRUNED", 5)]
    return [("3 completed and 2 pruned trials, 10 epochs", (make_study(trials), 10),
             {"complete": 3, "pruned": 2, "epochs_run": 38, "epochs_saved": 12})]


@check
@quietly
def check_pruning_summary(pruning_summary: Callable, cases: Sequence[Case] | None = None,
                          oracle: Callable | None = None) -> None:
    """``pruning_summary(study, n_epochs)``: completed, pruned, epochs run and epochs saved."""
    for label, args, expected in cases or public_summary_cases():
        got = pruning_summary(*args)
        expect(isinstance(got, dict), "pruning_summary must return a dict.")
        want = expected if expected is not None else oracle(*args)
        expect_equal(sorted(got), sorted(want), "the keys of the summary")
        for key in want:
            expect(isinstance(got[key], (int, np.integer)) and not isinstance(got[key], bool),
                   f"{key!r} must be an int, got {type(got[key]).__name__}.")
            expect_equal(got[key], want[key], f"{key!r} ({label})")


# -- 10. three strategies at one budget ------------------------------------------------------------


def gold_objective_2d(trial: optuna.Trial) -> float:
    """The 2-D gold field as an Optuna objective."""
    point = [[trial.suggest_float("x1", 0, 6), trial.suggest_float("x2", 0, 6)]]
    return float(gold_field_2d(point)[0])


def public_searches_cases() -> list[Case]:
    axis = list(np.linspace(0, 6, 4))
    return [("the 2-D gold field, a 4 x 4 grid, seed 0", (gold_objective_2d, {"x1": axis, "x2": axis}, 0), None)]


@check
@quietly
def check_compare_searches(compare_searches: Callable, cases: Sequence[Case] | None = None,
                           oracle: Callable | None = None) -> None:
    """``compare_searches(objective, param_grid, seed)``: grid, random and TPE studies at one budget."""
    import pandas as pd

    for label, (objective, grid, seed), _ in cases or public_searches_cases():
        with quiet():
            result = compare_searches(objective, grid, seed)
        table, studies = _pair(result, "compare_searches", "(table, studies)")
        expect(isinstance(table, pd.DataFrame), "the table must be a pandas DataFrame.")
        expect_equal(list(table.index), ["grid", "random", "optuna"], f"the table's index ({label})")
        for column in ["best_score", "evaluations"]:
            expect(column in table.columns, f"the table needs a column {column!r}.")
        expect(isinstance(studies, dict), "studies must be a dict {strategy: study}.")
        expect_equal(sorted(studies), ["grid", "optuna", "random"], "the strategies of studies (keys)")
        budget = int(np.prod([len(values) for values in grid.values()]))
        sampler_classes = {"grid": optuna.samplers.GridSampler, "random": optuna.samplers.RandomSampler,
                           "optuna": optuna.samplers.TPESampler}
        for name in sampler_classes:
            study, wanted = studies[name], sampler_classes[name]
            expect(isinstance(study, optuna.Study), f"studies[{name!r}] must be an optuna.Study.")
            expect(isinstance(study.sampler, wanted),
                   f"the {name} study needs a {wanted.__name__}, got {type(study.sampler).__name__}.")
            expect(study.direction == optuna.study.StudyDirection.MAXIMIZE, f"the {name} study must maximise.")
            expect_equal(len(study.trials), budget, f"trials of the {name} study: the grid's size ({label})")
            expect_equal(table.loc[name, "evaluations"], budget, f"evaluations of {name} ({label})")
            expect_close(table.loc[name, "best_score"], study.best_value,
                         f"best_score of {name}: the study's best_value ({label})")
        combos = sorted(tuple(trial.params[k] for k in grid) for trial in studies["grid"].trials)
        want_combos = sorted(itertools.product(*grid.values()))
        expect(combos == want_combos, f"the grid study must try every combination of the grid once ({label}).")
        with quiet():
            again, _ = compare_searches(objective, grid, seed)
        expect_close(again["best_score"].to_numpy(dtype=float), table["best_score"].to_numpy(dtype=float),
                     f"the same seed must give the same table: seed every sampler ({label})")
        if oracle is not None:
            with quiet():
                want_table, want_studies = oracle(objective, grid, seed)
            expect_close(table["best_score"].to_numpy(dtype=float), want_table["best_score"].to_numpy(dtype=float),
                         f"best scores against the reference ({label})")
            for name in sampler_classes:
                expect(_trial_params(studies[name]) == _trial_params(want_studies[name]),
                       f"the {name} study's trials differ from the reference's with the same seed ({label}).")
