"""Notebook 02: correct implementations written differently from the reference pass the checks.

``tests/test_checks.py`` proves that the hidden checks pass on the reference and fail on
plausible wrong implementations; this file guards the other side: a student who follows
the exercise's protocol another reasonable way (``rng.choice`` for a list, explicit loops,
``np.meshgrid`` for the grid, plain Python values instead of NumPy scalars, ...) must not
lose points. Each alternative is named like the exercise's function, with a suffix.
"""

import itertools
import math
import statistics

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, cross_validate

from autograde.checks import nb02 as hidden
from helpers.checks import nb02 as public
from tests.alternatives import check_name, check_names


def peak_search_1d_loops(f, budget, seeds):
    grid_best = max(float(v) for v in f(np.linspace(0.0, 1.0, num=budget)))
    bests = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        bests.append(float(np.max(f(rng.uniform(low=0.0, high=1.0, size=budget)))))
    return {"random": statistics.fmean(bests), "grid": grid_best}


def sample_layouts_meshgrid(budget, seed):
    k = int(round(math.sqrt(budget)))
    centres = np.linspace(1 / (2 * k), 1 - 1 / (2 * k), k)
    imp, unimp = np.meshgrid(centres, centres, indexing="ij")
    grid = pd.DataFrame({"important": imp.ravel(), "unimportant": unimp.ravel()})
    points = np.random.default_rng(seed).random((budget, 2))
    rand = pd.DataFrame({"important": points[:, 0], "unimportant": points[:, 1]})
    return grid, rand


def count_distinct_set(samples, name):
    """A set of the dicts' values (None once); drop_duplicates for a frame (NaN once, where a set keeps each)."""
    if isinstance(samples, pd.DataFrame):
        return len(samples[name].drop_duplicates())
    return len({params[name] for params in samples})


def best_so_far_loop(scores):
    scores = np.array(scores, dtype=float)
    out = np.empty_like(scores)
    for row_in, row_out in zip(np.atleast_2d(scores), np.atleast_2d(out)):
        best = -np.inf
        for i, value in enumerate(row_in):
            best = max(best, value)
            row_out[i] = best
    return out


def sample_params_choice(space, n_iter, seed):
    """rng.choice for lists, .item() to plain Python values, tuples accepted."""
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(n_iter):
        params = {}
        for name, values in space.items():
            if isinstance(values, (list, tuple)):
                value = rng.choice(values)
            else:
                value = values.rvs(size=1, random_state=rng)[0]
            params[name] = value.item() if hasattr(value, "item") else value
        samples.append(params)
    return samples


def random_search_cross_validate(estimator, space, X, y, cv, n_iter, seed):
    """Samples inline with rng.integers(0, n), scores with cross_validate, picks with np.argmax."""
    rng = np.random.default_rng(seed)
    candidates = []
    for _ in range(n_iter):
        candidates.append({name: (values.rvs(random_state=rng) if hasattr(values, "rvs")
                                  else values[rng.integers(0, len(values))])
                           for name, values in space.items()})
    means, stds = [], []
    for params in candidates:
        scores = cross_validate(clone(estimator).set_params(**params), X, y, cv=cv)["test_score"]
        means.append(scores.mean())
        stds.append(scores.std())
    table = pd.DataFrame(candidates)
    table["mean_score"], table["std_score"] = means, stds
    best = int(np.argmax(means))
    return candidates[best], float(means[best]), table


def scale_samples_power(low, high, n, seed):
    rng = np.random.default_rng(seed)
    flat = rng.uniform(low=low, high=high, size=n)
    exponents = rng.uniform(low=math.log10(low), high=math.log10(high), size=n)
    return {"log-uniform": np.power(10.0, exponents), "uniform": flat}


def fraction_below_count(dist, threshold, n, seed):
    samples = dist.rvs(size=n, random_state=np.random.default_rng(seed))
    return np.count_nonzero(samples < threshold) / n


def same_budget_searches_prod(estimator, param_grid, param_distributions, cv, random_state):
    n_iter = int(np.prod([len(values) for values in param_grid.values()]))
    return {"random": RandomizedSearchCV(estimator=clone(estimator), param_distributions=param_distributions,
                                         n_iter=n_iter, n_jobs=-1, cv=cv, random_state=random_state),
            "grid": GridSearchCV(estimator=clone(estimator), param_grid=param_grid, n_jobs=-1, cv=cv)}


def budget_table_rows(searches, seconds):
    rows = []
    for key, search in searches.items():
        params = search.cv_results_["params"]
        row = {"search": key, "seconds": seconds[key], "best_score": float(search.best_score_),
               "evaluations": len(params)}
        for name in sorted(params[0]):
            row["distinct " + name] = len({p[name] for p in params})
        rows.append(row)
    return pd.DataFrame(rows).set_index("search")


def recommend_strategy_loop(space):
    """Lists, tuples, ranges and arrays by type (the statement's values), anything else is a distribution."""
    if len(space) > 3:
        return "random"
    for values in space.values():
        if not isinstance(values, (list, tuple, range, np.ndarray)):
            return "random"
    return "grid"


ALTERNATIVES = [peak_search_1d_loops, sample_layouts_meshgrid, count_distinct_set, best_so_far_loop,
                sample_params_choice, random_search_cross_validate, scale_samples_power, fraction_below_count,
                same_budget_searches_prod, budget_table_rows, recommend_strategy_loop]


@pytest.mark.parametrize("fn", ALTERNATIVES, ids=[f.__name__ for f in ALTERNATIVES])
def test_public_and_hidden_checks_accept_an_alternative_correct_implementation(fn):
    check = check_name(fn, hidden)
    getattr(public, check)(fn)
    getattr(hidden, check)(fn)


def test_every_exercise_has_an_alternative():
    assert check_names(hidden) == {check_name(fn, hidden) for fn in ALTERNATIVES}


def test_sample_params_choice_is_the_same_stream_as_integers():
    """``rng.choice(values)`` and ``values[rng.integers(len(values))]`` draw the same value."""
    a, b = np.random.default_rng(3), np.random.default_rng(3)
    values = ["x", "y", "z", "w"]
    assert [values[a.integers(len(values))] for _ in range(50)] == [str(b.choice(values)) for _ in range(50)]


def test_sample_layouts_grid_order_is_itertools_product():
    grid, _ = sample_layouts_meshgrid(9, 0)
    centres = (np.arange(3) + 0.5) / 3
    assert np.allclose(grid.to_numpy(), list(itertools.product(centres, centres)))


def count_distinct_unique(samples, name):
    """Series.unique keeps one NaN: None counts once."""
    return len(pd.DataFrame(samples)[name].unique())


@pytest.mark.parametrize("fn", [count_distinct_unique, count_distinct_set], ids=lambda fn: fn.__name__)
def test_counting_none_once_passes_public_and_hidden(fn):
    public.check_count_distinct(fn)
    hidden.check_count_distinct(fn)


@pytest.mark.parametrize("check, wrong", [
    ("check_count_distinct", "count_distinct_skips_none"),
    ("check_recommend_strategy", "recommend_strategy_lists_only"),
], ids=lambda value: value)
def test_the_public_check_already_rejects_what_the_hidden_check_rejects(check, wrong):
    """Issue 14: these passed the public check and then lost the point to an unstated choice."""
    from helpers.checks.core import CheckFailed
    from tests.wrong import nb02 as wrongs

    with pytest.raises(CheckFailed):
        getattr(public, check)(getattr(wrongs, wrong))
    with pytest.raises(CheckFailed):
        getattr(hidden, check)(getattr(wrongs, wrong))
