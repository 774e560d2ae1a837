"""Hidden checks for notebook 03, Bayesian optimisation from scratch, then Optuna.

Each check calls the public check of ``helpers.checks.nb03`` on inputs the
student never sees (other gold fields, other drills, seeds, data sets and
objectives, 2-D cases) with the reference solution as the oracle.

The student's function runs in the student's process, and nothing defined in this
module is ever sent there: the unseen fields, acquisition functions and Optuna
objectives are :class:`helpers.checks.nb03.Formula` and
:class:`helpers.checks.nb03.Objective` objects, public code holding the hidden
expressions below as data.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from sklearn.model_selection import KFold

from autograde.trusted.reference import memoized
from helpers.checks import nb03 as public
from helpers.checks.core import check
from helpers.checks.nb03 import Formula, Objective, field_2d, pruning_data, quietly
from helpers.data import load_dataset

NOTEBOOK = "03_optuna_bayesopt"


def ref():
    """The reference solution's functions."""
    return memoized(NOTEBOOK)


#: An unseen 1-D field with its peak in the middle.
hill = Formula("4 + 3 * np.sin(1.7 * x) * np.exp(-0.15 * (x - 3) ** 2) + 0.2 * x")

#: An unseen 2-D field.
hill_2d = field_2d("5 + 2 * np.cos(x1 - 2) * np.exp(-0.2 * (x2 - 4) ** 2) + 0.1 * x2")

#: The acquisition functions the unseen loops use, with the reference's formulas (safe at sigma = 0).
_ACQUISITION = ("mu", "sigma", "best")
_GAIN = {"gain": "mu - best - xi", "safe": "np.where(sigma > 0, sigma, 1.0)", "z": "gain / safe"}
EI = Formula("np.where(sigma > 0, gain * norm.cdf(z) + safe * norm.pdf(z), np.maximum(gain, 0.0))",
             arguments=_ACQUISITION, steps=_GAIN, xi=0.01)
PI = Formula("np.where(sigma > 0, norm.cdf(z), (gain > 0).astype(np.float64))",
             arguments=_ACQUISITION, steps=_GAIN, xi=0.01)
UCB_1_5 = Formula("mu + kappa * sigma", arguments=_ACQUISITION, kappa=1.5)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


@check
@quietly
def check_gp_posterior(gp_posterior: Callable) -> None:
    drills = _rng(1).uniform(0, 6, 5)
    plane = _rng(2).uniform(0, 6, (6, 2))
    plane_grid = np.vstack([plane, _rng(3).uniform(-2, 14, (40, 2))])
    cases = [
        ("five unseen drills, prior mean 3", (drills, hill(drills), np.linspace(-1, 12, 131), 3.0), None),
        ("no drill, prior mean 1.5", (np.array([]), np.array([]), np.linspace(0, 6, 37), 1.5), None),
        ("six unseen drills in 2-D", (plane, hill_2d(plane), plane_grid, 5.0), None),
    ]
    public.check_gp_posterior(gp_posterior, cases=cases, oracle=ref().gp_posterior)


def _acquisition_cases() -> list:
    rng = _rng(4)
    mu = rng.normal(1.0, 1.0, (3, 4))
    sigma = rng.uniform(0.0, 2.0, (3, 4))
    sigma[0, 1] = sigma[2, 3] = 0.0
    mu[2, 3] = 1.5  # exactly best + xi: no improvement
    return [
        ("a 3 x 4 array with two sigma = 0, best = 1.25, xi = 0.25", (mu, sigma, 1.25), {"xi": 0.25}),
        ("a 3 x 4 array, best = 0.2, default xi", (mu, sigma + 0.1, 0.2), {}),
        ("sigma = 0 everywhere, xi = 0", (np.array([0.5, 1.0, 1.5]), np.zeros(3), 1.0), {"xi": 0.0}),
        ("far below the best, z from -8.45 to -8.05, sigma = 0.5",
         (2.3 + 0.5 * np.linspace(-8.45, -8.05, 9), np.full(9, 0.5), 2.0), {"xi": 0.3}),
    ]


@check
@quietly
def check_expected_improvement(expected_improvement: Callable) -> None:
    public.check_expected_improvement(expected_improvement, cases=_acquisition_cases(),
                                      oracle=ref().expected_improvement)


@check
@quietly
def check_probability_of_improvement(probability_of_improvement: Callable) -> None:
    public.check_probability_of_improvement(probability_of_improvement, cases=_acquisition_cases(),
                                            oracle=ref().probability_of_improvement)


@check
@quietly
def check_upper_confidence_bound(upper_confidence_bound: Callable) -> None:
    rng = _rng(5)
    mu, sigma = rng.normal(0, 2, (4, 3)), rng.uniform(0, 1, (4, 3))
    cases = [("a 4 x 3 array, kappa = 3.7", (mu, sigma), {"kappa": 3.7}, None),
             ("a 4 x 3 array, kappa = 0", (mu, sigma), {"kappa": 0.0}, None),
             ("a 4 x 3 array, the default kappa", (mu, sigma), {}, None)]
    public.check_upper_confidence_bound(upper_confidence_bound, cases=cases, oracle=ref().upper_confidence_bound)


@check
@quietly
def check_thompson_sample(thompson_sample: Callable) -> None:
    drills = _rng(6).uniform(0, 6, 4)
    plane = _rng(7).uniform(0, 6, (3, 2))
    plane_grid = np.vstack([plane, _rng(8).uniform(0, 6, (37, 2))])
    cases = [
        ("four unseen drills", (drills, hill(drills), np.linspace(0, 6, 90)), [3, 11]),
        ("no drill (a curve from the prior)", (np.array([]), np.array([]), np.linspace(0, 6, 50)), [5, 6]),
        ("three drills in 2-D", (plane, hill_2d(plane), plane_grid), [1, 2]),
    ]
    public.check_thompson_sample(thompson_sample, cases=cases, oracle=ref().thompson_sample)


def _square(k: int) -> np.ndarray:
    return np.array(list(itertools.product(np.linspace(0, 6, k), repeat=2)))


@check
@quietly
def check_active_learning(active_learning: Callable) -> None:
    cases = [
        ("an unseen field from one drill, 8 iterations", (hill, np.array([3.3]), np.linspace(0, 6, 301), 8), None),
        ("an unseen 2-D field, 6 iterations", (hill_2d, np.array([[1.1, 4.2], [5.0, 0.7]]), _square(15), 6), None),
    ]
    public.check_active_learning(active_learning, cases=cases, oracle=ref().active_learning)


@check
@quietly
def check_bayes_opt(bayes_opt: Callable) -> None:
    grid = np.linspace(0, 6, 301)
    start = np.array([0.7, 5.6])
    cases = [
        ("an unseen field, EI", (hill, start, grid, 8, EI), None),
        ("an unseen field, PI", (hill, start, grid, 6, PI), None),
        ("an unseen field, UCB with kappa = 1.5", (hill, start, grid, 6, UCB_1_5), None),
        ("an unseen 2-D field, EI", (hill_2d, np.array([[0.5, 0.5], [5.5, 2.0]]), _square(15), 6, EI), None),
    ]
    public.check_bayes_opt(bayes_opt, cases=cases, oracle=ref().bayes_opt)


@check
@quietly
def check_compare_strategies(compare_strategies: Callable) -> None:
    cases = [("an unseen field, 6 drills from 3, seeds 4 and 9", (hill, np.linspace(0, 6, 120), 6, [4, 9], 3),
              None)]
    public.check_compare_strategies(compare_strategies, cases=cases, oracle=ref().compare_strategies)


@check
@quietly
def check_search_2d(search_2d: Callable) -> None:
    cases = [("an unseen 2-D field, 25 drills from 4, seed 3", (hill_2d, 25, 3, 4), None)]
    public.check_search_2d(search_2d, cases=cases, oracle=ref().search_2d)


@check
@quietly
def check_optuna_words(optuna_words: Callable) -> None:
    public.check_optuna_words(optuna_words, oracle=ref().optuna_words)


@check
@quietly
def check_rf_objective(rf_objective: Callable) -> None:
    X, y = load_dataset("wine")
    cv = KFold(3, shuffle=True, random_state=2)
    cases = [
        ("wine, shallow trees", (X, y, cv),
         {"n_estimators": 20, "max_depth": 2, "max_features": 0.15, "criterion": "gini"}),
        ("wine, many features", (X, y, cv),
         {"n_estimators": 10, "max_depth": 7, "max_features": 0.9, "criterion": "entropy"}),
    ]
    public.check_rf_objective(rf_objective, cases=cases)


#: An unseen objective with a float, an int and a categorical knob.
mixed_objective = Objective({"a": ("float", -2, 2), "b": ("int", 0, 5), "c": ("categorical", ["up", "down"])},
                            '-(a - 0.7) ** 2 - 0.3 * (b - 3) ** 2 + (0.5 if c == "up" else 0.0)')


@check
@quietly
def check_run_study(run_study: Callable) -> None:
    cases = [("an unseen objective, 15 trials, seed 7", (mixed_objective, 15, 7), None),
             ("the 2-D gold field, 12 trials, seed 3", (public.gold_objective_2d, 12, 3), None)]
    public.check_run_study(run_study, cases=cases, oracle=ref().run_study)


@check
@quietly
def check_sgd_objective(sgd_objective: Callable) -> None:
    cases = [("wine, 6 epochs, 12 trials", (pruning_data("wine", seed=3), 6, 12, 2), None)]
    public.check_sgd_objective(sgd_objective, cases=cases, oracle=ref().sgd_objective)


@check
@quietly
def check_pruning_summary(pruning_summary: Callable) -> None:
    mixed = [("COMPLETE", 12), ("PRUNED", 2), ("FAIL", 4), ("PRUNED", 11), ("COMPLETE", 12), ("PRUNED", 1)]
    cases = [
        ("completed, pruned and failed trials, 12 epochs", (public.make_study(mixed), 12), None),
        ("no pruned trial, 4 epochs", (public.make_study([("COMPLETE", 4), ("COMPLETE", 4)]), 4), None),
    ]
    public.check_pruning_summary(pruning_summary, cases=cases, oracle=ref().pruning_summary)


#: An unseen objective for the three-strategy comparison.
wave_objective = Objective({"x": ("float", -1, 1), "k": ("int", 1, 3), "kind": ("categorical", ["sin", "cos"])},
                           '(np.sin if kind == "sin" else np.cos)(k * x) - 0.1 * x')


@check
@quietly
def check_compare_searches(compare_searches: Callable) -> None:
    grid = {"x": [-0.5, 0.0, 0.7], "k": [1, 3], "kind": ["sin", "cos"]}
    cases = [("an unseen objective, a 3 x 2 x 2 grid, seed 5", (wave_objective, grid, 5), None)]
    public.check_compare_searches(compare_searches, cases=cases, oracle=ref().compare_searches)
