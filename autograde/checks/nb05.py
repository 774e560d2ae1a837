"""Hidden checks for notebook 05, reproducibility.

Every hidden check runs the public check on unseen inputs with the reference
solution as the oracle: the public module carries only the expected values of
its own inputs, never an implementation of the answer.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier

from autograde.trusted.reference import solution
from helpers.checks import nb05 as public
from helpers.checks.core import check
from helpers.data import load_dataset

NOTEBOOK = "05_reproducibility"


def ref():
    """The reference solution's functions."""
    return solution(NOTEBOOK)


def _wine_split(seed: int = 3):
    X, y = load_dataset("wine")
    return train_test_split(X, y, test_size=0.4, stratify=y, random_state=seed)


@check
def check_repeat_runs(repeat_runs: Callable) -> None:
    data = tuple(_wine_split())
    cases = [
        ("wine, unseeded, 4 runs of 5 trees", (*data, None, 4, 5), None),
        ("wine, random_state=7, 3 runs of 5 trees", (*data, 7, 3, 5), None),
        ("wine, random_state=0, 2 runs of 8 trees", (*data, 0, 2, 8), None),
    ]
    public.check_repeat_runs(repeat_runs, cases=cases, oracle=ref().repeat_runs, global_seed=11)


@check
def check_set_seed(set_seed: Callable) -> None:
    cases = [(f"seed {seed}", (seed,), None) for seed in (0, 2024, 123456)]
    public.check_set_seed(set_seed, cases=cases)


#: An experiment with a private third generator and a result that needs two seeds.
THREE_SOURCES = {
    "gpu": ("private", "random"),
    "table": ("numpy", "rand", 2, 2),
    "both": ("list", [("random", "randint", 0, 10**9), ("numpy", "rand")]),
    "labels": ("value", ["a", "b"]),
    "arange": ("value", np.arange(4)),
}
#: An experiment that uses only NumPy.
ONLY_NUMPY = {"split": ("numpy", "permutation", 10), "size": ("value", 10)}


def _three_source_case():
    experiment = public.Experiment(THREE_SOURCES)
    seeders = {"numpy": public.seed_numpy, "random": public.seed_random, "gpu": experiment.private_seeder()}
    return ("a private third generator and a result that needs two seeds", (experiment, seeders, 5), None)


def _only_numpy_case():
    seeders = {"random": public.seed_random, "numpy": public.seed_numpy}
    return ("an experiment that uses only NumPy", (public.Experiment(ONLY_NUMPY), seeders, 0), None)


@check
def check_skip_each_seed(skip_each_seed: Callable) -> None:
    cases = [_three_source_case(), _only_numpy_case()]
    public.check_skip_each_seed(skip_each_seed, cases=cases, oracle=ref().skip_each_seed,
                                global_seed=3)


@check
def check_split_and_score(split_and_score: Callable) -> None:
    X, y = load_dataset("wine")
    cases = [("wine, split seed 11, model seed 5, 5 trees", (X, y, 11, 5, 5), None),
             ("wine, split seed 5, model seed 11, 5 trees", (X, y, 5, 11, 5), None),
             ("wine, split seed 4, model seed 4, 3 trees", (X, y, 4, 4, 3), None)]
    public.check_split_and_score(split_and_score, cases=cases, oracle=ref().split_and_score)


@check
def check_mean_std_report(mean_std_report: Callable) -> None:
    cases = [("two scores", ([0.8, 0.9],), None),
             ("a single score", ([0.9],), None),
             ("a NumPy array of six scores", (np.array([0.71, 0.74, 0.69, 0.75, 0.70, 0.77]),), None),
             ("scores that round up", ([0.9125, 0.9135, 0.9155],), None)]
    public.check_mean_std_report(mean_std_report, cases=cases, oracle=ref().mean_std_report)


@check
def check_variance_by_source(variance_by_source: Callable) -> None:
    rng = np.random.default_rng(5)
    split_effect = rng.normal(0, 0.03, size=(4, 1))
    grid = 0.9 + split_effect + rng.normal(0, 0.005, size=(4, 6))
    cases = [("4 split seeds x 6 model seeds", (grid,), None),
             ("2 split seeds x 3 model seeds", ([[0.5, 0.6, 0.7], [0.9, 0.9, 0.8]],), None)]
    public.check_variance_by_source(variance_by_source, cases=cases, oracle=ref().variance_by_source)


@check
def check_fold_class_counts(fold_class_counts: Callable) -> None:
    labels = np.repeat(np.array(["setosa", "versicolor", "virginica"]), [12, 7, 5])
    rng = np.random.default_rng(1)
    mixed = rng.permutation(np.repeat([3, 7], [10, 14]))
    cases = [("string labels sorted, KFold(4): folds miss classes", (labels, KFold(4)), None),
             ("labels 3 and 7, StratifiedKFold(3)", (mixed, StratifiedKFold(3, shuffle=True,
                                                                             random_state=2)), None),
             ("labels 3 and 7, KFold(5, shuffle=True)", (mixed, KFold(5, shuffle=True,
                                                                      random_state=8)), None)]
    public.check_fold_class_counts(fold_class_counts, cases=cases, oracle=ref().fold_class_counts)


@check
def check_kfold_trap(kfold_trap: Callable) -> None:
    X, y = public.sorted_wine()
    public.check_kfold_trap(kfold_trap, cases=[("sorted wine, Gaussian naive Bayes, 3 folds, seed 5",
                                                (GaussianNB(), X, y, 3, 5), None)],
                            oracle=ref().kfold_trap)
    Xb, yb = load_dataset("breast_cancer")
    order = np.argsort(yb, kind="stable")
    tree = DecisionTreeClassifier(max_depth=3, random_state=0)
    public.check_kfold_trap(kfold_trap, cases=[("sorted breast cancer, a tree, 4 folds, seed 1",
                                                (tree, Xb[order], yb[order], 4, 1), None)],
                            oracle=ref().kfold_trap, sorted_data=False)
