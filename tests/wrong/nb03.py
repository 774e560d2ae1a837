"""Wrong implementations for notebook 03 (Bayesian optimisation from scratch, then Optuna).

The loops and studies below reuse small *correct* helpers (``_posterior``, ``_ei``, ...)
so that each wrong implementation has exactly one mistake.
"""

import itertools
import math

import numpy as np
import optuna
import pandas as pd
from scipy.stats import norm
from sklearn.ensemble import RandomForestClassifier
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import cross_val_score

PRIOR_MEAN, PRIOR_STD = 5.0, 2.5
GRID_2D = np.array(list(itertools.product(np.linspace(0, 6, 41), repeat=2)))


def _gp():
    kernel = (ConstantKernel(PRIOR_STD**2, constant_value_bounds="fixed")
              * Matern(length_scale=1.0, length_scale_bounds="fixed", nu=2.5))
    return GaussianProcessRegressor(kernel=kernel, alpha=1e-6, optimizer=None)


def _rows(x):
    x = np.asarray(x, dtype=float)
    return x.reshape(len(x), -1)


def _posterior(x_obs, y_obs, x_grid, prior_mean=PRIOR_MEAN):
    gp = _gp()
    if len(x_obs):
        gp.fit(_rows(x_obs), np.asarray(y_obs, dtype=float) - prior_mean)
    mu, sigma = gp.predict(_rows(x_grid), return_std=True)
    return mu + prior_mean, sigma


def _ei(mu, sigma, best, xi=0.01):
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    improvement = mu - best - xi
    safe = np.where(sigma > 0, sigma, 1.0)
    z = improvement / safe
    return np.where(sigma > 0, improvement * norm.cdf(z) + safe * norm.pdf(z), np.maximum(improvement, 0.0))


def _pi(mu, sigma, best, xi=0.01):
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    improvement = mu - best - xi
    return np.where(sigma > 0, norm.cdf(improvement / np.where(sigma > 0, sigma, 1.0)),
                    (improvement > 0).astype(float))


def _ucb(mu, sigma, kappa=2.0):
    return np.asarray(mu, dtype=float) + kappa * np.asarray(sigma, dtype=float)


def _loop(f, x_init, x_grid, n_iter, pick):
    x_grid = np.asarray(x_grid, dtype=float)
    x_obs = np.asarray(x_init, dtype=float)
    y_obs = np.asarray(f(x_obs), dtype=float)
    for _ in range(n_iter):
        mu, sigma = _posterior(x_obs, y_obs, x_grid)
        i = int(np.argmax(pick(mu, sigma, y_obs)))
        x_obs = np.concatenate([x_obs, x_grid[i:i + 1]])
        y_obs = np.concatenate([y_obs, f(x_grid[i:i + 1])])
    return x_obs, y_obs


def _bayes_opt(f, x_init, x_grid, n_iter, acquisition=_ei):
    return _loop(f, x_init, x_grid, n_iter, lambda mu, sigma, y: acquisition(mu, sigma, y.max()))


def _active_learning(f, x_init, x_grid, n_iter):
    return _loop(f, x_init, x_grid, n_iter, lambda mu, sigma, y: sigma)


# -- 1. gp_posterior ---------------------------------------------------------------------------


def gp_posterior_no_prior_mean(x_obs, y_obs, x_grid, prior_mean=PRIOR_MEAN):
    """Ignores the prior guess: fits y_obs directly, so the map falls back to 0 far from drills."""
    gp = _gp()
    if len(x_obs):
        gp.fit(_rows(x_obs), np.asarray(y_obs, dtype=float))
    return gp.predict(_rows(x_grid), return_std=True)


def gp_posterior_forgets_to_add_back(x_obs, y_obs, x_grid, prior_mean=PRIOR_MEAN):
    """Fits y_obs - prior_mean but returns the mean without adding prior_mean back."""
    mu, sigma = _posterior(x_obs, y_obs, x_grid, prior_mean)
    return mu - prior_mean, sigma


def gp_posterior_variance(x_obs, y_obs, x_grid, prior_mean=PRIOR_MEAN):
    """Returns the variance instead of the standard deviation."""
    mu, sigma = _posterior(x_obs, y_obs, x_grid, prior_mean)
    return mu, sigma**2


def gp_posterior_default_kernel(x_obs, y_obs, x_grid, prior_mean=PRIOR_MEAN):
    """Uses scikit-learn's default GP (RBF kernel, optimised) instead of make_gp()."""
    gp = GaussianProcessRegressor(random_state=0)
    if len(x_obs):
        gp.fit(_rows(x_obs), np.asarray(y_obs, dtype=float) - prior_mean)
    mu, sigma = gp.predict(_rows(x_grid), return_std=True)
    return mu + prior_mean, sigma


# -- 2. acquisition functions --------------------------------------------------------------------


def expected_improvement_sign_flipped(mu, sigma, best, xi=0.01):
    """Improvement written as best - mu: rewards locations *worse* than the best."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    improvement = best - mu - xi
    safe = np.where(sigma > 0, sigma, 1.0)
    z = improvement / safe
    return np.where(sigma > 0, improvement * norm.cdf(z) + safe * norm.pdf(z), np.maximum(improvement, 0.0))


def expected_improvement_divides_by_zero(mu, sigma, best, xi=0.01):
    """Divides by sigma everywhere: inf/nan and a RuntimeWarning at sigma = 0."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    improvement = mu - best - xi
    z = improvement / sigma
    return improvement * norm.cdf(z) + sigma * norm.pdf(z)


def expected_improvement_silent_nan(mu, sigma, best, xi=0.01):
    """Silences the warning but still divides by zero: nan where the improvement is exactly 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return expected_improvement_divides_by_zero(mu, sigma, best, xi)


def expected_improvement_no_exploration(mu, sigma, best, xi=0.01):
    """Forgets the sigma * pdf(z) term (the exploration bonus)."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    improvement = mu - best - xi
    z = improvement / np.where(sigma > 0, sigma, 1.0)
    return np.where(sigma > 0, improvement * norm.cdf(z), np.maximum(improvement, 0.0))


def expected_improvement_ignores_xi(mu, sigma, best, xi=0.01):
    """Never subtracts xi."""
    return _ei(mu, sigma, best, xi=0.0)


def probability_of_improvement_divides_by_zero(mu, sigma, best, xi=0.01):
    """Divides by sigma everywhere: nan (and a warning) at sigma = 0 and no improvement."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    return norm.cdf((mu - best - xi) / sigma)


def probability_of_improvement_sign_flipped(mu, sigma, best, xi=0.01):
    """P(Y < best + xi) instead of P(Y > best + xi)."""
    return 1.0 - _pi(mu, sigma, best, xi)


def probability_of_improvement_half_at_zero(mu, sigma, best, xi=0.01):
    """Gives 0.5 at sigma = 0 (the limit of Phi(0)) instead of 0 or 1."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    return np.where(sigma > 0, _pi(mu, sigma, best, xi), 0.5)


def upper_confidence_bound_minus(mu, sigma, kappa=2.0):
    """Lower confidence bound: minus instead of plus."""
    return np.asarray(mu, dtype=float) - kappa * np.asarray(sigma, dtype=float)


def upper_confidence_bound_fixed_kappa(mu, sigma, kappa=2.0):
    """Ignores kappa."""
    return _ucb(mu, sigma, 2.0)


def upper_confidence_bound_variance(mu, sigma, kappa=2.0):
    """Adds kappa * sigma**2."""
    return np.asarray(mu, dtype=float) + kappa * np.asarray(sigma, dtype=float) ** 2


# -- Thompson sampling -------------------------------------------------------------------------------


def thompson_sample_mean(x_obs, y_obs, x_grid, seed, prior_mean=PRIOR_MEAN):
    """Returns the mean curve, not a sample: no exploration at all."""
    mu, _ = _posterior(x_obs, y_obs, x_grid, prior_mean)
    return np.asarray(x_grid)[int(np.argmax(mu))], mu


def thompson_sample_prior(x_obs, y_obs, x_grid, seed, prior_mean=PRIOR_MEAN):
    """Samples from the prior: forgets to fit the drills."""
    sample = _gp().sample_y(_rows(x_grid), random_state=seed).ravel() + prior_mean
    return np.asarray(x_grid)[int(np.argmax(sample))], sample


def thompson_sample_no_prior_mean(x_obs, y_obs, x_grid, seed, prior_mean=PRIOR_MEAN):
    """Forgets to add prior_mean back to the sample."""
    gp = _gp()
    if len(x_obs):
        gp.fit(_rows(x_obs), np.asarray(y_obs, dtype=float) - prior_mean)
    sample = gp.sample_y(_rows(x_grid), random_state=seed).ravel()
    return np.asarray(x_grid)[int(np.argmax(sample))], sample


# -- 3. loops ----------------------------------------------------------------------------------------


def active_learning_same_point(f, x_init, x_grid, n_iter):
    """Never refits: the map of the starting drills picks the same point every time."""
    x_grid = np.asarray(x_grid, dtype=float)
    x_obs = np.asarray(x_init, dtype=float)
    y_obs = np.asarray(f(x_obs), dtype=float)
    mu, sigma = _posterior(x_obs, y_obs, x_grid)
    for _ in range(n_iter):
        i = int(np.argmax(sigma))
        x_obs = np.concatenate([x_obs, x_grid[i:i + 1]])
        y_obs = np.concatenate([y_obs, f(x_grid[i:i + 1])])
    return x_obs, y_obs


def active_learning_argmin(f, x_init, x_grid, n_iter):
    """Drills where the map is *most* sure (argmin sigma): on top of an old drill."""
    return _loop(f, x_init, x_grid, n_iter, lambda mu, sigma, y: -sigma)


def active_learning_argmax_mu(f, x_init, x_grid, n_iter):
    """Drills where the mean is highest: that is not active learning."""
    return _loop(f, x_init, x_grid, n_iter, lambda mu, sigma, y: mu + 1e-9 * sigma)


def bayes_opt_same_point(f, x_init, x_grid, n_iter, acquisition=_ei):
    """Scores the grid once, with the starting drills only: picks the same point every time."""
    x_grid = np.asarray(x_grid, dtype=float)
    x_obs = np.asarray(x_init, dtype=float)
    y_obs = np.asarray(f(x_obs), dtype=float)
    mu, sigma = _posterior(x_obs, y_obs, x_grid)
    scores = acquisition(mu, sigma, y_obs.max())
    for _ in range(n_iter):
        i = int(np.argmax(scores))
        x_obs = np.concatenate([x_obs, x_grid[i:i + 1]])
        y_obs = np.concatenate([y_obs, f(x_grid[i:i + 1])])
    return x_obs, y_obs


def bayes_opt_last_not_best(f, x_init, x_grid, n_iter, acquisition=_ei):
    """Passes the last drill's gold as `best` instead of the most gold so far."""
    return _loop(f, x_init, x_grid, n_iter, lambda mu, sigma, y: acquisition(mu, sigma, y[-1]))


def bayes_opt_greedy(f, x_init, x_grid, n_iter, acquisition=_ei):
    """Ignores the acquisition and drills where the mean is highest (pure exploitation)."""
    return _loop(f, x_init, x_grid, n_iter, lambda mu, sigma, y: mu)


def bayes_opt_argmin(f, x_init, x_grid, n_iter, acquisition=_ei):
    """Drills where the acquisition is lowest."""
    return _loop(f, x_init, x_grid, n_iter, lambda mu, sigma, y: -acquisition(mu, sigma, y.max()))


# -- 4. compare_strategies ---------------------------------------------------------------------------


def _curves(f, x_grid, n_drills, seeds, n_init, own_start=False, cumulative=True, kappa=2.0, average=True):
    x_grid = np.asarray(x_grid, dtype=float)
    curves = {"random": [], "active learning": [], "EI": [], "PI": [], "UCB": []}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        drills = rng.choice(x_grid, size=n_drills, replace=False)
        x_init, n_iter = drills[:n_init], n_drills - n_init
        if own_start:
            x_init = rng.choice(x_grid, size=n_init, replace=False)
        found = {
            "random": f(drills),
            "active learning": _active_learning(f, x_init, x_grid, n_iter)[1],
            "EI": _bayes_opt(f, x_init, x_grid, n_iter, _ei)[1],
            "PI": _bayes_opt(f, x_init, x_grid, n_iter, _pi)[1],
            "UCB": _bayes_opt(f, x_init, x_grid, n_iter, lambda mu, sigma, best: _ucb(mu, sigma, kappa))[1],
        }
        for name, gold in found.items():
            curves[name].append(np.maximum.accumulate(gold) if cumulative else gold)
    if not average:
        return {name: runs[-1] for name, runs in curves.items()}
    return {name: np.mean(runs, axis=0) for name, runs in curves.items()}


def compare_strategies_last_seed(f, x_grid, n_drills, seeds, n_init=2):
    """Returns the last seed's curves instead of the mean over seeds."""
    return _curves(f, x_grid, n_drills, seeds, n_init, average=False)


def compare_strategies_own_start(f, x_grid, n_drills, seeds, n_init=2):
    """Draws separate starting drills for the model-based strategies."""
    return _curves(f, x_grid, n_drills, seeds, n_init, own_start=True)


def compare_strategies_raw_gold(f, x_grid, n_drills, seeds, n_init=2):
    """Averages the gold of each drill, not the most gold found so far."""
    return _curves(f, x_grid, n_drills, seeds, n_init, cumulative=False)


def compare_strategies_ucb_kappa(f, x_grid, n_drills, seeds, n_init=2):
    """Uses kappa = 1 for UCB."""
    return _curves(f, x_grid, n_drills, seeds, n_init, kappa=1.0)


# -- 5. search_2d ------------------------------------------------------------------------------------


def _search_2d(f, budget, seed, n_init, grid_axis=None, legacy_random=False, candidates=None):
    k = math.isqrt(budget)
    axis = np.linspace(0, 6, k) if grid_axis is None else grid_axis(k)
    grid_points = np.array(list(itertools.product(axis, axis)))
    if legacy_random:
        np.random.seed(seed)
        random_points = np.random.uniform(0, 6, size=(budget, 2))
    else:
        random_points = np.random.default_rng(seed).uniform(0, 6, size=(budget, 2))
    pool = GRID_2D if candidates is None else candidates
    bayes = _bayes_opt(f, random_points[:n_init], pool, budget - n_init)
    return {"grid": (grid_points, f(grid_points)), "random": (random_points, f(random_points)), "bayes": bayes}


def search_2d_cell_centres(f, budget, seed, n_init=5):
    """Puts the grid at cell centres instead of np.linspace(0, 6, k)."""
    return _search_2d(f, budget, seed, n_init, grid_axis=lambda k: (np.arange(k) + 0.5) * 6 / k)


def search_2d_legacy_random(f, budget, seed, n_init=5):
    """Uses np.random.seed + np.random.uniform instead of default_rng(seed)."""
    return _search_2d(f, budget, seed, n_init, legacy_random=True)


def search_2d_coarse_candidates(f, budget, seed, n_init=5):
    """Lets BO choose among a coarse 11 x 11 grid instead of GRID_2D."""
    coarse = np.array(list(itertools.product(np.linspace(0, 6, 11), repeat=2)))
    return _search_2d(f, budget, seed, n_init, candidates=coarse)


def search_2d_full_budget_bo(f, budget, seed, n_init=5):
    """Runs BO for `budget` iterations after the start: more drills than the others."""
    result = _search_2d(f, budget, seed, n_init)
    random_points = result["random"][0]
    result["bayes"] = _bayes_opt(f, random_points[:n_init], GRID_2D, budget)
    return result


def search_2d_bo_without_start(f, budget, seed, n_init=5):
    """Returns only BO's own drills: the starting drills, which count toward the budget, are left out."""
    result = _search_2d(f, budget, seed, n_init)
    points, gold = result["bayes"]
    result["bayes"] = (points[n_init:], gold[n_init:])
    return result


# -- 6. words ----------------------------------------------------------------------------------------

_WORDS = {
    "one drill location": "trial",
    "how much gold a drill finds": "objective",
    "the map of all drills so far": "study",
    "the richest spot found": "best_params",
    "the rule that picks the next drill": "sampler",
    "giving up on a hole that is clearly barren": "pruner",
}


def optuna_words_trial_study_swapped():
    """Confuses the trial (one drill) with the study (all drills)."""
    return {**_WORDS, "one drill location": "study", "the map of all drills so far": "trial"}


def optuna_words_sampler_pruner_swapped():
    """Confuses the sampler with the pruner."""
    return {**_WORDS, "the rule that picks the next drill": "pruner",
            "giving up on a hole that is clearly barren": "sampler"}


# -- 7. Optuna objective and study -------------------------------------------------------------------


def _rf_score(params, X, y, cv):
    return float(cross_val_score(RandomForestClassifier(**params, random_state=0), X, y, cv=cv).mean())


def rf_objective_linear_features(trial, X, y, cv):
    """Suggests max_features on a linear scale (log=True forgotten)."""
    params = {
        "n_estimators": trial.suggest_int("n_estimators", 10, 80, step=10),
        "max_depth": trial.suggest_int("max_depth", 2, 12),
        "max_features": trial.suggest_float("max_features", 0.05, 1.0),
        "criterion": trial.suggest_categorical("criterion", ["gini", "entropy"]),
    }
    return _rf_score(params, X, y, cv)


def rf_objective_no_step(trial, X, y, cv):
    """Suggests n_estimators without step=10."""
    params = {
        "n_estimators": trial.suggest_int("n_estimators", 10, 80),
        "max_depth": trial.suggest_int("max_depth", 2, 12),
        "max_features": trial.suggest_float("max_features", 0.05, 1.0, log=True),
        "criterion": trial.suggest_categorical("criterion", ["gini", "entropy"]),
    }
    return _rf_score(params, X, y, cv)


def rf_objective_own_folds(trial, X, y, cv):
    """Ignores the given cv and uses 5 unshuffled folds."""
    params = {
        "n_estimators": trial.suggest_int("n_estimators", 10, 80, step=10),
        "max_depth": trial.suggest_int("max_depth", 2, 12),
        "max_features": trial.suggest_float("max_features", 0.05, 1.0, log=True),
        "criterion": trial.suggest_categorical("criterion", ["gini", "entropy"]),
    }
    return _rf_score(params, X, y, 5)


def rf_objective_no_criterion(trial, X, y, cv):
    """Forgets the categorical knob."""
    params = {
        "n_estimators": trial.suggest_int("n_estimators", 10, 80, step=10),
        "max_depth": trial.suggest_int("max_depth", 2, 12),
        "max_features": trial.suggest_float("max_features", 0.05, 1.0, log=True),
    }
    return _rf_score(params, X, y, cv)


def run_study_unseeded(objective, n_trials, seed, pruner=None):
    """A study without a seed: different trials on every call."""
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(), pruner=pruner)
    study.optimize(objective, n_trials=n_trials)
    return study


def run_study_minimize(objective, n_trials, seed, pruner=None):
    """Minimises the score (Optuna's default direction)."""
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed), pruner=pruner)
    study.optimize(objective, n_trials=n_trials)
    return study


def run_study_random_sampler(objective, n_trials, seed, pruner=None):
    """Seeded, but random search instead of TPE."""
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(seed=seed),
                                pruner=pruner)
    study.optimize(objective, n_trials=n_trials)
    return study


def run_study_fixed_seed(objective, n_trials, seed, pruner=None):
    """Always seeds with 42, whatever seed it is given."""
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=42), pruner=pruner)
    study.optimize(objective, n_trials=n_trials)
    return study


def run_study_drops_pruner(objective, n_trials, seed, pruner=None):
    """Ignores the pruner it is given (Optuna then uses its default MedianPruner)."""
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=n_trials)
    return study


# -- 9. pruning --------------------------------------------------------------------------------------


def _sgd(trial, X_train, y_train, X_val, y_val, n_epochs, report=True, prune=True, train_score=False,
         first_step=0, return_best=False):
    alpha = trial.suggest_float("alpha", 1e-5, 1.0, log=True)
    eta0 = trial.suggest_float("eta0", 1e-5, 1e-1, log=True)
    model = SGDClassifier(alpha=alpha, learning_rate="constant", eta0=eta0, random_state=0)
    classes = np.unique(y_train)
    scores = []
    for epoch in range(n_epochs):
        model.partial_fit(X_train, y_train, classes=classes)
        score = model.score(X_train, y_train) if train_score else model.score(X_val, y_val)
        scores.append(score)
        if report:
            trial.report(score, step=epoch + first_step)
        if prune and trial.should_prune():
            raise optuna.TrialPruned()
    return float(max(scores) if return_best else scores[-1])


def sgd_objective_never_reports(trial, X_train, y_train, X_val, y_val, n_epochs):
    """Pruning that never reports: should_prune has nothing to compare, nothing is pruned."""
    return _sgd(trial, X_train, y_train, X_val, y_val, n_epochs, report=False)


def sgd_objective_never_prunes(trial, X_train, y_train, X_val, y_val, n_epochs):
    """Reports every epoch but never asks should_prune."""
    return _sgd(trial, X_train, y_train, X_val, y_val, n_epochs, prune=False)


def sgd_objective_train_accuracy(trial, X_train, y_train, X_val, y_val, n_epochs):
    """Reports the training accuracy instead of the validation accuracy."""
    return _sgd(trial, X_train, y_train, X_val, y_val, n_epochs, train_score=True)


def sgd_objective_steps_from_one(trial, X_train, y_train, X_val, y_val, n_epochs):
    """Numbers the steps 1, 2, ... instead of 0, 1, ..."""
    return _sgd(trial, X_train, y_train, X_val, y_val, n_epochs, first_step=1)


def sgd_objective_best_epoch(trial, X_train, y_train, X_val, y_val, n_epochs):
    """Returns the best epoch's accuracy instead of the last one."""
    return _sgd(trial, X_train, y_train, X_val, y_val, n_epochs, return_best=True)


def pruning_summary_counts_failed(study, n_epochs):
    """Counts every trial that did not complete as pruned (failed ones too)."""
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    others = [t for t in study.trials if t.state != optuna.trial.TrialState.COMPLETE]
    return {"complete": len(complete), "pruned": len(others),
            "epochs_run": sum(len(t.intermediate_values) for t in study.trials),
            "epochs_saved": sum(n_epochs - len(t.intermediate_values) for t in others)}


def pruning_summary_completed_epochs_only(study, n_epochs):
    """Counts only the epochs of completed trials as run."""
    states = optuna.trial.TrialState
    complete = [t for t in study.trials if t.state == states.COMPLETE]
    pruned = [t for t in study.trials if t.state == states.PRUNED]
    return {"complete": len(complete), "pruned": len(pruned),
            "epochs_run": sum(len(t.intermediate_values) for t in complete),
            "epochs_saved": sum(n_epochs - len(t.intermediate_values) for t in pruned)}


def pruning_summary_epochs_reported(study, n_epochs):
    """Gives the epochs the pruned trials *ran* as the epochs saved."""
    states = optuna.trial.TrialState
    pruned = [t for t in study.trials if t.state == states.PRUNED]
    return {"complete": sum(t.state == states.COMPLETE for t in study.trials), "pruned": len(pruned),
            "epochs_run": sum(len(t.intermediate_values) for t in study.trials),
            "epochs_saved": sum(len(t.intermediate_values) for t in pruned)}


# -- 10. three strategies ----------------------------------------------------------------------------


def _compare(objective, param_grid, seed, samplers, budget=None):
    budget = budget or math.prod(len(v) for v in param_grid.values())
    studies, rows = {}, {}
    for name, sampler in samplers.items():
        study = optuna.create_study(direction="maximize", sampler=sampler)
        study.optimize(objective, n_trials=budget)
        studies[name] = study
        rows[name] = {"best_score": study.best_value, "evaluations": len(study.trials)}
    return pd.DataFrame.from_dict(rows, orient="index"), studies


def compare_searches_unseeded_random(objective, param_grid, seed):
    """Forgets the random sampler's seed."""
    return _compare(objective, param_grid, seed, {
        "grid": optuna.samplers.GridSampler(param_grid, seed=seed),
        "random": optuna.samplers.RandomSampler(),
        "optuna": optuna.samplers.TPESampler(seed=seed)})


def compare_searches_random_as_grid(objective, param_grid, seed):
    """Uses a RandomSampler where the grid should be."""
    return _compare(objective, param_grid, seed, {
        "grid": optuna.samplers.RandomSampler(seed=seed + 1),
        "random": optuna.samplers.RandomSampler(seed=seed),
        "optuna": optuna.samplers.TPESampler(seed=seed)})


def compare_searches_fixed_budget(objective, param_grid, seed):
    """Gives every strategy 10 trials, whatever the grid's size."""
    return _compare(objective, param_grid, seed, {
        "grid": optuna.samplers.GridSampler(param_grid, seed=seed),
        "random": optuna.samplers.RandomSampler(seed=seed),
        "optuna": optuna.samplers.TPESampler(seed=seed)}, budget=10)


def compare_searches_seed_zero(objective, param_grid, seed):
    """Always uses seed 0."""
    return _compare(objective, param_grid, 0, {
        "grid": optuna.samplers.GridSampler(param_grid, seed=0),
        "random": optuna.samplers.RandomSampler(seed=0),
        "optuna": optuna.samplers.TPESampler(seed=0)})


WRONG = {
    "gp_posterior": [gp_posterior_no_prior_mean, gp_posterior_forgets_to_add_back, gp_posterior_variance,
                     gp_posterior_default_kernel],
    "expected_improvement": [expected_improvement_sign_flipped, expected_improvement_divides_by_zero,
                             expected_improvement_silent_nan, expected_improvement_no_exploration,
                             expected_improvement_ignores_xi],
    "probability_of_improvement": [probability_of_improvement_divides_by_zero,
                                   probability_of_improvement_sign_flipped,
                                   probability_of_improvement_half_at_zero],
    "upper_confidence_bound": [upper_confidence_bound_minus, upper_confidence_bound_fixed_kappa,
                               upper_confidence_bound_variance],
    "thompson_sample": [thompson_sample_mean, thompson_sample_prior, thompson_sample_no_prior_mean],
    "active_learning": [active_learning_same_point, active_learning_argmin, active_learning_argmax_mu],
    "bayes_opt": [bayes_opt_same_point, bayes_opt_last_not_best, bayes_opt_greedy, bayes_opt_argmin],
    "compare_strategies": [compare_strategies_last_seed, compare_strategies_own_start,
                           compare_strategies_raw_gold, compare_strategies_ucb_kappa],
    "search_2d": [search_2d_cell_centres, search_2d_legacy_random, search_2d_coarse_candidates,
                  search_2d_full_budget_bo, search_2d_bo_without_start],
    "optuna_words": [optuna_words_trial_study_swapped, optuna_words_sampler_pruner_swapped],
    "rf_objective": [rf_objective_linear_features, rf_objective_no_step, rf_objective_own_folds,
                     rf_objective_no_criterion],
    "run_study": [run_study_unseeded, run_study_minimize, run_study_random_sampler, run_study_fixed_seed,
                  run_study_drops_pruner],
    "sgd_objective": [sgd_objective_never_reports, sgd_objective_never_prunes, sgd_objective_train_accuracy,
                      sgd_objective_steps_from_one, sgd_objective_best_epoch],
    "pruning_summary": [pruning_summary_counts_failed, pruning_summary_completed_epochs_only,
                        pruning_summary_epochs_reported],
    "compare_searches": [compare_searches_unseeded_random, compare_searches_random_as_grid,
                         compare_searches_fixed_budget, compare_searches_seed_zero],
}
