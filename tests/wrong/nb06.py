"""Wrong implementations for notebook 06 (DIY AutoML)."""

import time

import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def _scaled(model):
    return Pipeline([("scale", StandardScaler()), ("model", model)])


def _configs(n_trees, random_state, *, scale=True, prefix="model__", seed_trees=True):
    wrap = _scaled if scale else (lambda model: model)
    p = prefix if scale else ""
    seed = random_state if seed_trees else None
    return {
        "LogReg": (wrap(LogisticRegression(max_iter=1000)), {f"{p}C": [0.01, 0.1, 1, 10]}),
        "KNN": (wrap(KNeighborsClassifier()), {f"{p}n_neighbors": [3, 5, 11]}),
        "SVM": (wrap(SVC()), {f"{p}C": [0.1, 1, 10], f"{p}kernel": ["rbf", "poly"]}),
        "RF": (RandomForestClassifier(random_state=seed), {"n_estimators": [n_trees, 2 * n_trees]}),
        "GB": (GradientBoostingClassifier(n_estimators=n_trees, random_state=seed),
               {"learning_rate": [0.01, 0.1]}),
        "ET": (ExtraTreesClassifier(random_state=seed), {"n_estimators": [n_trees, 2 * n_trees]}),
    }


def make_model_configs_unscaled(n_trees=100, random_state=0):
    """The lecture's slide copied literally: no scaler in front of LogReg, KNN and SVM."""
    return _configs(n_trees, random_state, scale=False)


def make_model_configs_no_prefix(n_trees=100, random_state=0):
    """Pipelines, but grid names without the 'model__' step prefix (GridSearchCV would crash)."""
    configs = _configs(n_trees, random_state)
    for family in ["LogReg", "KNN", "SVM"]:
        estimator, grid = configs[family]
        configs[family] = (estimator, {name.split("__")[-1]: values for name, values in grid.items()})
    return configs


def make_model_configs_fixed_trees(n_trees=100, random_state=0):
    """Ignores n_trees: always the lecture's 100 and 200 trees."""
    return _configs(100, random_state)


def make_model_configs_unseeded(n_trees=100, random_state=0):
    """Forgets random_state on the tree ensembles."""
    return _configs(n_trees, random_state, seed_trees=False)


def _rows(model_configs, X, y, cv, n_jobs, score="best", combos="product", use_cv=True):
    rows = []
    for family, (estimator, grid) in model_configs.items():
        start = time.perf_counter()
        search = GridSearchCV(estimator, grid, cv=cv if use_cv else 5, n_jobs=n_jobs).fit(X, y)
        n = len(search.cv_results_["params"]) if combos == "product" else sum(len(v) for v in grid.values())
        best = search.best_score_ if score == "best" else float(np.mean(search.cv_results_["mean_test_score"]))
        rows.append({"family": family, "combinations": n, "best_cv": best,
                     "seconds": time.perf_counter() - start, "best_params": search.best_params_})
    return pd.DataFrame(rows)


def diy_automl_ascending(model_configs, X, y, cv, n_jobs=-1):
    """Sorts the leaderboard ascending: the worst family on top and named the winner."""
    board = _rows(model_configs, X, y, cv, n_jobs).sort_values("best_cv").reset_index(drop=True)
    return board, board["family"].iloc[0]


def diy_automl_winner_last(model_configs, X, y, cv, n_jobs=-1):
    """Sorts correctly but reports the last row as the winner."""
    board = _rows(model_configs, X, y, cv, n_jobs).sort_values("best_cv", ascending=False).reset_index(drop=True)
    return board, board["family"].iloc[-1]


def diy_automl_reversed_ties(model_configs, X, y, cv, n_jobs=-1):
    """Sorts ascending and reverses: best first, but ties come out in reverse order."""
    board = _rows(model_configs, X, y, cv, n_jobs).sort_values("best_cv", kind="stable")
    board = board.iloc[::-1].reset_index(drop=True)
    return board, board["family"].iloc[0]


def diy_automl_sum_combos(model_configs, X, y, cv, n_jobs=-1):
    """Counts combinations as the sum of the grid lengths instead of their product."""
    board = _rows(model_configs, X, y, cv, n_jobs, combos="sum")
    board = board.sort_values("best_cv", ascending=False, kind="stable").reset_index(drop=True)
    return board, board["family"].iloc[0]


def diy_automl_mean_score(model_configs, X, y, cv, n_jobs=-1):
    """Reports each family's average over its grid instead of its best score."""
    board = _rows(model_configs, X, y, cv, n_jobs, score="mean")
    board = board.sort_values("best_cv", ascending=False, kind="stable").reset_index(drop=True)
    return board, board["family"].iloc[0]


def diy_automl_own_folds(model_configs, X, y, cv, n_jobs=-1):
    """Ignores the given cv and uses GridSearchCV's default 5 unshuffled folds."""
    board = _rows(model_configs, X, y, cv, n_jobs, use_cv=False)
    board = board.sort_values("best_cv", ascending=False, kind="stable").reset_index(drop=True)
    return board, board["family"].iloc[0]


def _workflow(X, y, cv, rf_space, n_iter, leaderboard, random_state, n_jobs, *, scale=True,
              ceiling="best", search="random"):
    floor = cross_val_score(DummyClassifier(), X, y, cv=cv).mean()
    lr = LogisticRegression(max_iter=1000)
    simple = cross_val_score(_scaled(lr) if scale else lr, X, y, cv=cv).mean()
    forest = RandomForestClassifier(random_state=random_state)
    if search == "random":
        tuned = RandomizedSearchCV(forest, rf_space, n_iter=n_iter, cv=cv, random_state=random_state,
                                   n_jobs=n_jobs).fit(X, y).best_score_
    else:
        tuned = GridSearchCV(forest, rf_space, cv=cv, n_jobs=n_jobs).fit(X, y).best_score_
    row = leaderboard.iloc[0] if ceiling == "best" else leaderboard.iloc[-1]
    return pd.DataFrame({"step": ["floor", "simple", "tuned", "ceiling"],
                         "model": ["dummy", "logreg", "forest", f"AutoML winner: {row['family']}"],
                         "cv_score": [floor, simple, tuned, row["best_cv"]]})


def tuning_workflow_unscaled(X, y, cv, rf_space, n_iter, leaderboard, random_state=0, n_jobs=-1):
    """The simple model without its scaler."""
    return _workflow(X, y, cv, rf_space, n_iter, leaderboard, random_state, n_jobs, scale=False)


def tuning_workflow_last_row_ceiling(X, y, cv, rf_space, n_iter, leaderboard, random_state=0, n_jobs=-1):
    """Takes the ceiling from the last row, as if the leaderboard were sorted ascending."""
    return _workflow(X, y, cv, rf_space, n_iter, leaderboard, random_state, n_jobs, ceiling="last")


def tuning_workflow_full_grid(X, y, cv, rf_space, n_iter, leaderboard, random_state=0, n_jobs=-1):
    """Searches the whole space with GridSearchCV instead of n_iter random draws."""
    return _workflow(X, y, cv, rf_space, n_iter, leaderboard, random_state, n_jobs, search="grid")


def choose_model_wrong_side(scores, simple, tolerance=0.01):
    """Tolerance on the wrong side: simple - best <= tolerance is always true."""
    best = max(scores, key=scores.get)
    return simple if scores[simple] - scores[best] <= tolerance else best


def choose_model_inverted(scores, simple, tolerance=0.01):
    """Keeps the simple model when the gap is at LEAST the tolerance."""
    best = max(scores, key=scores.get)
    return simple if scores[best] - scores[simple] >= tolerance else best


def choose_model_strict(scores, simple, tolerance=0.01):
    """A strict < : a gap exactly equal to the tolerance no longer counts as within it."""
    best = max(scores, key=scores.get)
    return simple if scores[best] - scores[simple] < tolerance else best


def choose_model_relative(scores, simple, tolerance=0.01):
    """Uses the relative gap (gap / best) instead of the absolute one."""
    best = max(scores, key=scores.get)
    return simple if (scores[best] - scores[simple]) / scores[best] <= tolerance else best


def choose_model_always_best(scores, simple, tolerance=0.01):
    """Ignores the tolerance: always deploys the best."""
    return max(scores, key=scores.get)


def flaml_leaderboard_losses(automl, names):
    """Reports FLAML's losses as if they were accuracies."""
    rows = [{"family": names.get(k, k), "best_cv": float(v)}
            for k, v in automl.best_loss_per_estimator.items() if np.isfinite(v)]
    return pd.DataFrame(rows).sort_values("best_cv", ascending=False).reset_index(drop=True)


def flaml_leaderboard_ascending(automl, names):
    """Sorts worst first."""
    rows = [{"family": names.get(k, k), "best_cv": 1 - float(v)}
            for k, v in automl.best_loss_per_estimator.items() if np.isfinite(v)]
    return pd.DataFrame(rows).sort_values("best_cv").reset_index(drop=True)


def flaml_leaderboard_keeps_untried(automl, names):
    """Keeps learners that were never tried (loss inf, so best_cv -inf)."""
    rows = [{"family": names.get(k, k), "best_cv": 1 - float(v)}
            for k, v in automl.best_loss_per_estimator.items()]
    return pd.DataFrame(rows).sort_values("best_cv", ascending=False).reset_index(drop=True)


def flaml_leaderboard_unmapped(automl, names):
    """Forgets to translate FLAML's learner names into our family names."""
    rows = [{"family": k, "best_cv": 1 - float(v)}
            for k, v in automl.best_loss_per_estimator.items() if np.isfinite(v)]
    return pd.DataFrame(rows).sort_values("best_cv", ascending=False).reset_index(drop=True)


def automl_red_flags_images_only(project):
    """Counts only images as non-tabular (text and audio slip through)."""
    flags = [f for f, key in [("interpretability", "must_explain"), ("latency", "realtime"), ("edge", "edge")]
             if project[key]]
    return flags + (["non_tabular"] if project["data"] == "images" else [])


def automl_red_flags_no_latency(project):
    """Forgets latency."""
    flags = [f for f, key in [("interpretability", "must_explain"), ("edge", "edge")] if project[key]]
    return flags + (["non_tabular"] if project["data"] != "tabular" else [])


def automl_red_flags_sorted(project):
    """Right flags, alphabetical order instead of the lecture's."""
    flags = [f for f, key in [("interpretability", "must_explain"), ("latency", "realtime"), ("edge", "edge")]
             if project[key]]
    return sorted(flags + (["non_tabular"] if project["data"] != "tabular" else []))


WRONG = {
    "make_model_configs": [make_model_configs_unscaled, make_model_configs_no_prefix,
                           make_model_configs_fixed_trees, make_model_configs_unseeded],
    "diy_automl": [diy_automl_ascending, diy_automl_winner_last, diy_automl_reversed_ties, diy_automl_sum_combos,
                   diy_automl_mean_score, diy_automl_own_folds],
    "tuning_workflow": [tuning_workflow_unscaled, tuning_workflow_last_row_ceiling, tuning_workflow_full_grid],
    "choose_model": [choose_model_wrong_side, choose_model_inverted, choose_model_strict,
                     choose_model_relative, choose_model_always_best],
    "flaml_leaderboard": [flaml_leaderboard_losses, flaml_leaderboard_ascending,
                          flaml_leaderboard_keeps_untried, flaml_leaderboard_unmapped],
    "automl_red_flags": [automl_red_flags_images_only, automl_red_flags_no_latency, automl_red_flags_sorted],
}
