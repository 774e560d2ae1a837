"""Wrong implementations for notebook 02 (grid search vs random search)."""

import itertools
import math

import numpy as np
import pandas as pd
from scipy.stats import uniform
from sklearn.base import clone
from sklearn.model_selection import (
    GridSearchCV,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
    cross_val_score,
)

# -- peak_search_1d ----------------------------------------------------------------------


def peak_search_1d_last_not_best(f, budget, seeds):
    """Keeps the value at the last evaluated point instead of the best one."""
    grid = f(np.linspace(0, 1, budget))[-1]
    rand = [f(np.random.default_rng(s).uniform(0, 1, budget))[-1] for s in seeds]
    return {"grid": float(grid), "random": float(np.mean(rand))}


def peak_search_1d_unseeded(f, budget, seeds):
    """Draws with a fresh unseeded generator for every seed."""
    grid = np.max(f(np.linspace(0, 1, budget)))
    rand = [np.max(f(np.random.default_rng().uniform(0, 1, budget))) for _ in seeds]
    return {"grid": float(grid), "random": float(np.mean(rand))}


def peak_search_1d_best_over_seeds(f, budget, seeds):
    """Takes the best over all seeds instead of the average of each seed's best."""
    grid = np.max(f(np.linspace(0, 1, budget)))
    rand = [np.max(f(np.random.default_rng(s).uniform(0, 1, budget))) for s in seeds]
    return {"grid": float(grid), "random": float(np.max(rand))}


def peak_search_1d_grid_without_end(f, budget, seeds):
    """Grid from np.arange(budget) / budget, which never reaches x = 1."""
    grid = np.max(f(np.arange(budget) / budget))
    rand = [np.max(f(np.random.default_rng(s).uniform(0, 1, budget))) for s in seeds]
    return {"grid": float(grid), "random": float(np.mean(rand))}


# -- sample_layouts ----------------------------------------------------------------------

COLUMNS = ["important", "unimportant"]


def sample_layouts_linspace(budget, seed):
    """Grid values from np.linspace(0, 1, k) instead of the cell centres."""
    k = math.isqrt(budget)
    values = np.linspace(0, 1, k)
    grid = pd.DataFrame(list(itertools.product(values, values)), columns=COLUMNS)
    return grid, pd.DataFrame(np.random.default_rng(seed).uniform(size=(budget, 2)), columns=COLUMNS)


def sample_layouts_unseeded(budget, seed):
    """Random layout from a fresh unseeded generator."""
    k = math.isqrt(budget)
    values = (np.arange(k) + 0.5) / k
    grid = pd.DataFrame(list(itertools.product(values, values)), columns=COLUMNS)
    return grid, pd.DataFrame(np.random.default_rng().uniform(size=(budget, 2)), columns=COLUMNS)


def sample_layouts_important_inner(budget, seed):
    """Loops over the important parameter in the inner loop (columns swapped in product order)."""
    k = math.isqrt(budget)
    values = (np.arange(k) + 0.5) / k
    rows = [(imp, unimp) for unimp, imp in itertools.product(values, values)]
    grid = pd.DataFrame(rows, columns=COLUMNS)
    return grid, pd.DataFrame(np.random.default_rng(seed).uniform(size=(budget, 2)), columns=COLUMNS)


# -- count_distinct ----------------------------------------------------------------------


def count_distinct_rows(samples, name):
    """Counts the evaluations (grid points), not the distinct values of the parameter."""
    return len(samples)


def count_distinct_first_column(samples, name):
    """Always counts the first column, whatever `name` says."""
    return int(pd.DataFrame(samples).iloc[:, 0].nunique())


def count_distinct_unique_rows(samples, name):
    """Counts distinct combinations instead of distinct values of one parameter."""
    return int(len(pd.DataFrame(samples).drop_duplicates()))


def count_distinct_skips_none(samples, name):
    """nunique()'s default dropna=True: a None value (NaN in the frame) is not counted."""
    return int(pd.DataFrame(samples)[name].nunique())


# -- best_so_far -------------------------------------------------------------------------


def best_so_far_last(scores):
    """Keeps the last score instead of the best so far."""
    return np.asarray(scores, dtype=float)


def best_so_far_axis0(scores):
    """Running maximum down the columns (across runs) instead of along each run."""
    return np.maximum.accumulate(np.asarray(scores, dtype=float), axis=0)


def best_so_far_sorted(scores):
    """Sorts the scores: also non-decreasing, but not the best after each trial."""
    return np.sort(np.asarray(scores, dtype=float), axis=-1)


# -- sample_params -----------------------------------------------------------------------


def _draw(values, rng):
    if hasattr(values, "rvs"):
        return values.rvs(random_state=rng)
    return values[rng.integers(len(values))]


def sample_params_unseeded(space, n_iter, seed):
    """Samples with a fresh unseeded generator: not reproducible."""
    rng = np.random.default_rng()
    return [{name: _draw(values, rng) for name, values in space.items()} for _ in range(n_iter)]


def sample_params_loguniform_as_uniform(space, n_iter, seed):
    """Draws a loguniform parameter uniformly between its bounds."""
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(n_iter):
        params = {}
        for name, values in space.items():
            if getattr(getattr(values, "dist", None), "name", "") in ("loguniform", "reciprocal"):
                low, high = values.support()
                values = uniform(low, high - low)
            params[name] = _draw(values, rng)
        samples.append(params)
    return samples


def sample_params_new_generator_each_iteration(space, n_iter, seed):
    """Creates the generator inside the loop: every sample is the same."""
    samples = []
    for _ in range(n_iter):
        rng = np.random.default_rng(seed)
        samples.append({name: _draw(values, rng) for name, values in space.items()})
    return samples


def sample_params_parameter_major(space, n_iter, seed):
    """Draws all n_iter values of one parameter before the next parameter."""
    rng = np.random.default_rng(seed)
    columns = {name: [_draw(values, rng) for _ in range(n_iter)] for name, values in space.items()}
    return [{name: columns[name][i] for name in space} for i in range(n_iter)]


def sample_params_sklearn(space, n_iter, seed):
    """Uses scikit-learn's ParameterSampler: reproducible, but not this protocol."""
    return [dict(p) for p in ParameterSampler(space, n_iter, random_state=seed)]


# -- random_search -----------------------------------------------------------------------


def _evaluate(estimator, candidates, X, y, cv):
    rows = []
    for params in candidates:
        scores = cross_val_score(clone(estimator).set_params(**params), X, y, cv=cv)
        rows.append({**params, "mean_score": scores.mean(), "std_score": scores.std()})
    return rows


def _best(rows, names):
    best = max(rows, key=lambda r: r["mean_score"])
    return {n: best[n] for n in names}, best["mean_score"]


def random_search_last_not_best(estimator, space, X, y, cv, n_iter, seed):
    """Returns the last candidate evaluated instead of the best."""
    candidates = sample_params_reference(space, n_iter, seed)
    rows = _evaluate(estimator, candidates, X, y, cv)
    return candidates[-1], rows[-1]["mean_score"], pd.DataFrame(rows)


def random_search_unseeded(estimator, space, X, y, cv, n_iter, seed):
    """Samples with a fresh unseeded generator."""
    candidates = sample_params_unseeded(space, n_iter, seed)
    rows = _evaluate(estimator, candidates, X, y, cv)
    params, score = _best(rows, list(space))
    return params, score, pd.DataFrame(rows)


def random_search_default_folds(estimator, space, X, y, cv, n_iter, seed):
    """Ignores cv and uses 5 unshuffled folds."""
    candidates = sample_params_reference(space, n_iter, seed)
    rows = _evaluate(estimator, candidates, X, y, 5)
    params, score = _best(rows, list(space))
    return params, score, pd.DataFrame(rows)


def random_search_via_sklearn(estimator, space, X, y, cv, n_iter, seed):
    """Wraps RandomizedSearchCV: another sampling order than the protocol."""
    search = RandomizedSearchCV(clone(estimator), space, n_iter=n_iter, cv=cv, random_state=seed).fit(X, y)
    table = pd.DataFrame(search.cv_results_["params"])
    table["mean_score"] = search.cv_results_["mean_test_score"]
    table["std_score"] = search.cv_results_["std_test_score"]
    return search.best_params_, search.best_score_, table


def sample_params_reference(space, n_iter, seed):
    """The protocol, for the wrong searches that get only one other thing wrong."""
    rng = np.random.default_rng(seed)
    return [{name: _draw(values, rng) for name, values in space.items()} for _ in range(n_iter)]


# -- scale_distributions and fraction_below ------------------------------------------------


def scale_samples_natural_log(low, high, n, seed):
    """Takes natural logs of the bounds but raises 10 to the exponent."""
    rng = np.random.default_rng(seed)
    return {"uniform": rng.uniform(low, high, n), "log-uniform": 10 ** rng.uniform(np.log(low), np.log(high), n)}


def scale_samples_forgot_log(low, high, n, seed):
    """Raises 10 to a uniform sample of the bounds themselves, not of their logs."""
    rng = np.random.default_rng(seed)
    return {"uniform": rng.uniform(low, high, n), "log-uniform": 10 ** rng.uniform(low, high, n)}


def scale_samples_logspace(low, high, n, seed):
    """An evenly spaced log grid instead of random log-uniform samples."""
    rng = np.random.default_rng(seed)
    return {"uniform": rng.uniform(low, high, n), "log-uniform": np.logspace(np.log10(low), np.log10(high), n)}


def scale_samples_log_first(low, high, n, seed):
    """Draws the log-uniform samples first (another order of draws)."""
    rng = np.random.default_rng(seed)
    logs = 10 ** rng.uniform(np.log10(low), np.log10(high), n)
    return {"uniform": rng.uniform(low, high, n), "log-uniform": logs}


def scale_samples_two_generators(low, high, n, seed):
    """Creates a second generator from the same seed: both samples come from the same numbers."""
    flat = np.random.default_rng(seed).uniform(low, high, n)
    logs = 10 ** np.random.default_rng(seed).uniform(np.log10(low), np.log10(high), n)
    return {"uniform": flat, "log-uniform": logs}


def fraction_below_at_or_below(dist, threshold, n, seed):
    """Counts samples at or below the threshold (<=): wrong for integer distributions."""
    return float(np.mean(dist.rvs(size=n, random_state=np.random.default_rng(seed)) <= threshold))


def fraction_below_above(dist, threshold, n, seed):
    """Returns the fraction above the threshold."""
    return float(np.mean(dist.rvs(size=n, random_state=np.random.default_rng(seed)) > threshold))


def fraction_below_legacy_seed(dist, threshold, n, seed):
    """Passes the int seed to rvs (legacy RandomState), not a Generator."""
    return float(np.mean(dist.rvs(size=n, random_state=seed) < threshold))


def fraction_below_count(dist, threshold, n, seed):
    """Returns the number of samples below, not the fraction."""
    return float(np.sum(dist.rvs(size=n, random_state=np.random.default_rng(seed)) < threshold))


# -- same_budget_searches ------------------------------------------------------------------


def same_budget_searches_default_n_iter(estimator, param_grid, param_distributions, cv, random_state):
    """Leaves n_iter at RandomizedSearchCV's default (10)."""
    return {"grid": GridSearchCV(clone(estimator), param_grid, cv=cv, n_jobs=-1),
            "random": RandomizedSearchCV(clone(estimator), param_distributions, cv=cv, n_jobs=-1,
                                         random_state=random_state)}


def same_budget_searches_sum_of_lengths(estimator, param_grid, param_distributions, cv, random_state):
    """Budget = sum of the list lengths instead of the number of combinations."""
    n_iter = sum(len(v) for v in param_grid.values())
    return {"grid": GridSearchCV(clone(estimator), param_grid, cv=cv, n_jobs=-1),
            "random": RandomizedSearchCV(clone(estimator), param_distributions, n_iter=n_iter, cv=cv,
                                         n_jobs=-1, random_state=random_state)}


def same_budget_searches_unseeded(estimator, param_grid, param_distributions, cv, random_state):
    """Forgets random_state: the random search changes from run to run."""
    n_iter = len(ParameterGrid(param_grid))
    return {"grid": GridSearchCV(clone(estimator), param_grid, cv=cv, n_jobs=-1),
            "random": RandomizedSearchCV(clone(estimator), param_distributions, n_iter=n_iter, cv=cv,
                                         n_jobs=-1)}


def same_budget_searches_one_core(estimator, param_grid, param_distributions, cv, random_state):
    """Leaves n_jobs at its default (one core)."""
    n_iter = len(ParameterGrid(param_grid))
    return {"grid": GridSearchCV(clone(estimator), param_grid, cv=cv),
            "random": RandomizedSearchCV(clone(estimator), param_distributions, n_iter=n_iter, cv=cv,
                                         random_state=random_state)}


# -- budget_table ----------------------------------------------------------------------------


def _table(searches, seconds, *, distinct, evaluations, best):
    rows = {}
    for key, search in searches.items():
        params = search.cv_results_["params"]
        row = {"best_score": best(search), "evaluations": evaluations(search)}
        for name in params[0]:
            row[f"distinct {name}"] = distinct(params, name)
        row["seconds"] = seconds[key]
        rows[key] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def budget_table_counts_evaluations(searches, seconds):
    """'distinct' counts the evaluations, so the grid looks as diverse as random search."""
    return _table(searches, seconds, distinct=lambda params, name: len(params),
                  evaluations=lambda s: len(s.cv_results_["params"]), best=lambda s: s.best_score_)


def budget_table_counts_fits(searches, seconds):
    """'evaluations' counts model fits (candidates x folds)."""
    return _table(searches, seconds, distinct=lambda params, name: len({p[name] for p in params}),
                  evaluations=lambda s: len(s.cv_results_["params"]) * s.n_splits_,
                  best=lambda s: s.best_score_)


def budget_table_last_score(searches, seconds):
    """'best_score' is the last candidate's score."""
    return _table(searches, seconds, distinct=lambda params, name: len({p[name] for p in params}),
                  evaluations=lambda s: len(s.cv_results_["params"]),
                  best=lambda s: s.cv_results_["mean_test_score"][-1])


# -- recommend_strategy ----------------------------------------------------------------------


def recommend_strategy_strict(space):
    """Grid only for fewer than 3 parameters (off by one)."""
    all_lists = all(not hasattr(v, "rvs") for v in space.values())
    return "grid" if len(space) < 3 and all_lists else "random"


def recommend_strategy_ignores_distributions(space):
    """Counts parameters only, even when a distribution cannot be gridded."""
    return "grid" if len(space) <= 3 else "random"


def recommend_strategy_always_random(space):
    """Random search for everything."""
    return "random"


def recommend_strategy_lists_only(space):
    """Only a Python list counts as values: a tuple, a range or a NumPy array is taken for a distribution."""
    all_lists = all(isinstance(v, list) for v in space.values())
    return "grid" if len(space) <= 3 and all_lists else "random"


WRONG = {
    "peak_search_1d": [peak_search_1d_last_not_best, peak_search_1d_unseeded, peak_search_1d_best_over_seeds,
                       peak_search_1d_grid_without_end],
    "sample_layouts": [sample_layouts_linspace, sample_layouts_unseeded, sample_layouts_important_inner],
    "count_distinct": [count_distinct_rows, count_distinct_first_column, count_distinct_unique_rows,
                       count_distinct_skips_none],
    "best_so_far": [best_so_far_last, best_so_far_axis0, best_so_far_sorted],
    "sample_params": [sample_params_unseeded, sample_params_loguniform_as_uniform,
                      sample_params_new_generator_each_iteration, sample_params_parameter_major,
                      sample_params_sklearn],
    "random_search": [random_search_last_not_best, random_search_unseeded, random_search_default_folds,
                      random_search_via_sklearn],
    "scale_samples": [scale_samples_natural_log, scale_samples_forgot_log, scale_samples_logspace,
                      scale_samples_log_first, scale_samples_two_generators],
    "fraction_below": [fraction_below_at_or_below, fraction_below_above, fraction_below_legacy_seed,
                       fraction_below_count],
    "same_budget_searches": [same_budget_searches_default_n_iter, same_budget_searches_sum_of_lengths,
                             same_budget_searches_unseeded, same_budget_searches_one_core],
    "budget_table": [budget_table_counts_evaluations, budget_table_counts_fits, budget_table_last_score],
    "recommend_strategy": [recommend_strategy_strict, recommend_strategy_ignores_distributions,
                           recommend_strategy_always_random, recommend_strategy_lists_only],
}
