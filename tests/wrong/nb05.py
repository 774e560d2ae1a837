"""Wrong implementations for notebook 05 (reproducibility)."""

import os
import random

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score, train_test_split

try:  # the mistake the exercise warns about: torch imported once, outside set_seed
    import torch as _TORCH_AT_IMPORT
except ImportError:
    _TORCH_AT_IMPORT = None


# -- repeat_runs -------------------------------------------------------------------------------


def repeat_runs_one_fit(X_train, X_test, y_train, y_test, random_state, n_runs=2, n_estimators=25):
    """Fits one forest and scores it n_runs times: never a second run."""
    model = RandomForestClassifier(n_estimators=n_estimators, random_state=random_state).fit(X_train, y_train)
    return [model.score(X_test, y_test) for _ in range(n_runs)]


def repeat_runs_hardcoded_seed(X_train, X_test, y_train, y_test, random_state, n_runs=2, n_estimators=25):
    """Always uses random_state=42, so the unseeded runs are identical too."""
    return [RandomForestClassifier(n_estimators=n_estimators, random_state=42)
            .fit(X_train, y_train).score(X_test, y_test) for _ in range(n_runs)]


def repeat_runs_ignores_seed(X_train, X_test, y_train, y_test, random_state, n_runs=2, n_estimators=25):
    """Forgets to pass random_state, so the seeded runs differ."""
    return [RandomForestClassifier(n_estimators=n_estimators)
            .fit(X_train, y_train).score(X_test, y_test) for _ in range(n_runs)]


def repeat_runs_default_trees(X_train, X_test, y_train, y_test, random_state, n_runs=2, n_estimators=25):
    """Ignores n_estimators (sklearn's default of 100 trees)."""
    return [RandomForestClassifier(random_state=random_state)
            .fit(X_train, y_train).score(X_test, y_test) for _ in range(n_runs)]


# -- set_seed ----------------------------------------------------------------------------------


def _torch_part(torch, seed):
    os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.use_deterministic_algorithms(True)


def set_seed_forgets_numpy(seed=42):
    """Seeds Python and torch but not NumPy."""
    random.seed(seed)
    try:
        import torch
    except ImportError:
        print("torch not installed, skipped")
        return ["random", "numpy"]
    _torch_part(torch, seed)
    return ["random", "numpy", "torch"]


def set_seed_default_rng(seed=42):
    """Makes a new NumPy Generator instead of seeding the global one."""
    random.seed(seed)
    np.random.default_rng(seed)
    try:
        import torch
    except ImportError:
        print("torch not installed, skipped")
        return ["random", "numpy"]
    _torch_part(torch, seed)
    return ["random", "numpy", "torch"]


def set_seed_forgets_python(seed=42):
    """Seeds NumPy and torch but not Python's random."""
    np.random.seed(seed)
    try:
        import torch
    except ImportError:
        print("torch not installed, skipped")
        return ["random", "numpy"]
    _torch_part(torch, seed)
    return ["random", "numpy", "torch"]


def set_seed_unguarded_torch(seed=42):
    """The lecture's code as is: fails when torch is not installed."""
    import torch

    random.seed(seed)
    np.random.seed(seed)
    _torch_part(torch, seed)
    return ["random", "numpy", "torch"]


def set_seed_torch_imported_outside(seed=42):
    """Uses a torch imported at the top of the notebook, so it never sees torch installed later."""
    random.seed(seed)
    np.random.seed(seed)
    if _TORCH_AT_IMPORT is None:
        print("torch not installed, skipped")
        return ["random", "numpy"]
    _torch_part(_TORCH_AT_IMPORT, seed)
    return ["random", "numpy", "torch"]


def set_seed_only_manual_seed(seed=42):
    """Seeds torch but skips the GPU seed and the determinism switches."""
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:
        print("torch not installed, skipped")
        return ["random", "numpy"]
    torch.manual_seed(seed)
    return ["random", "numpy", "torch"]


def set_seed_forgets_cublas(seed=42):
    """Everything but the CUBLAS_WORKSPACE_CONFIG environment variable."""
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:
        print("torch not installed, skipped")
        return ["random", "numpy"]
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.use_deterministic_algorithms(True)
    return ["random", "numpy", "torch"]


def set_seed_silent_skip(seed=42):
    """Skips torch silently: the student never learns that PyTorch was not seeded."""
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:
        return ["random", "numpy"]
    _torch_part(torch, seed)
    return ["random", "numpy", "torch"]


def set_seed_fixed_42(seed=42):
    """Ignores its argument and always seeds 42."""
    random.seed(42)
    np.random.seed(42)
    try:
        import torch
    except ImportError:
        print("torch not installed, skipped")
        return ["random", "numpy"]
    _torch_part(torch, 42)
    return ["random", "numpy", "torch"]


# -- skip_each_seed --------------------------------------------------------------------------


def _two_runs(experiment, seeders, seed, seed_this):
    runs = []
    for _ in range(2):
        for name, seed_source in seeders.items():
            if seed_this(name):
                seed_source(seed)
        runs.append(experiment())
    return runs


def skip_each_seed_never_skips(experiment, seeders, seed):
    """Seeds every source in every row: nothing ever changes."""
    report = {}
    for skipped in ["none", *seeders]:
        first, second = _two_runs(experiment, seeders, seed, lambda name: True)
        report[skipped] = [k for k in first if not np.array_equal(first[k], second[k])]
    return report


def skip_each_seed_only_the_skipped(experiment, seeders, seed):
    """Inverted: seeds only the source that should be skipped."""
    report = {}
    for skipped in ["none", *seeders]:
        first, second = _two_runs(experiment, seeders, seed, lambda name, s=skipped: name == s)
        report[skipped] = [k for k in first if not np.array_equal(first[k], second[k])]
    return report


def skip_each_seed_reports_unchanged(experiment, seeders, seed):
    """Lists the results that stayed the same instead of those that changed."""
    report = {}
    for skipped in ["none", *seeders]:
        first, second = _two_runs(experiment, seeders, seed, lambda name, s=skipped: name != s)
        report[skipped] = [k for k in first if np.array_equal(first[k], second[k])]
    return report


def skip_each_seed_no_baseline(experiment, seeders, seed):
    """Forgets the 'none' row (the run with every seed set)."""
    report = {}
    for skipped in seeders:
        first, second = _two_runs(experiment, seeders, seed, lambda name, s=skipped: name != s)
        report[skipped] = [k for k in first if not np.array_equal(first[k], second[k])]
    return report


def skip_each_seed_not_equal(experiment, seeders, seed):
    """Compares with != , which is ambiguous for arrays."""
    report = {}
    for skipped in ["none", *seeders]:
        first, second = _two_runs(experiment, seeders, seed, lambda name, s=skipped: name != s)
        report[skipped] = [k for k in first if first[k] != second[k]]
    return report


# -- split_and_score ---------------------------------------------------------------------------


def split_and_score_swapped(X, y, split_seed, model_seed, n_estimators=25):
    """Swaps the two seeds."""
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=model_seed)
    return RandomForestClassifier(n_estimators=n_estimators, random_state=split_seed).fit(X_tr, y_tr).score(X_te, y_te)


def split_and_score_not_stratified(X, y, split_seed, model_seed, n_estimators=25):
    """Forgets stratify=y."""
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=split_seed)
    return RandomForestClassifier(n_estimators=n_estimators, random_state=model_seed).fit(X_tr, y_tr).score(X_te, y_te)


def split_and_score_one_seed(X, y, split_seed, model_seed, n_estimators=25):
    """Uses the split seed for the forest too."""
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=split_seed)
    return RandomForestClassifier(n_estimators=n_estimators, random_state=split_seed).fit(X_tr, y_tr).score(X_te, y_te)


# -- mean_std_report ---------------------------------------------------------------------------


def mean_std_report_sample_std(scores):
    """Sample standard deviation (ddof=1) instead of the lecture's np.std."""
    mean, std = float(np.mean(scores)), float(np.std(scores, ddof=1))
    return mean, std, f"{mean:.3f} ± {std:.3f}"


def mean_std_report_pandas(scores):
    """pandas' Series.std, which is the sample std (ddof=1) by default."""
    import pandas as pd

    series = pd.Series(scores, dtype=float)
    mean, std = float(series.mean()), float(series.std())
    return mean, std, f"{mean:.3f} ± {std:.3f}"


def mean_std_report_two_decimals(scores):
    """Formats with two decimals."""
    mean, std = float(np.mean(scores)), float(np.std(scores))
    return mean, std, f"{mean:.2f} ± {std:.2f}"


def mean_std_report_ascii(scores):
    """Writes +/- instead of ±."""
    mean, std = float(np.mean(scores)), float(np.std(scores))
    return mean, std, f"{mean:.3f} +/- {std:.3f}"


def mean_std_report_variance(scores):
    """Reports the variance instead of the standard deviation."""
    mean, var = float(np.mean(scores)), float(np.var(scores))
    return mean, var, f"{mean:.3f} ± {var:.3f}"


# -- variance_by_source --------------------------------------------------------------------------


def variance_by_source_swapped(grid):
    """Uses the wrong axis for each source."""
    grid = np.asarray(grid, dtype=float)
    return {"split": float(grid.std(axis=1).mean()), "model": float(grid.std(axis=0).mean())}


def variance_by_source_sample_std(grid):
    """ddof=1 instead of ddof=0."""
    grid = np.asarray(grid, dtype=float)
    return {"split": float(grid.std(axis=0, ddof=1).mean()), "model": float(grid.std(axis=1, ddof=1).mean())}


def variance_by_source_std_of_means(grid):
    """The std of the row/column means instead of the mean of the stds."""
    grid = np.asarray(grid, dtype=float)
    return {"split": float(grid.mean(axis=1).std()), "model": float(grid.mean(axis=0).std())}


# -- fold_class_counts ---------------------------------------------------------------------------


def fold_class_counts_bincount(y, cv):
    """np.bincount without minlength: rows are short when a fold misses the last class."""
    rows = [np.bincount(np.asarray(y)[test]) for _, test in cv.split(np.zeros((len(y), 1)), y)]
    return np.array(rows, dtype=object) if len({len(r) for r in rows}) > 1 else np.array(rows)


def fold_class_counts_train(y, cv):
    """Counts the training folds instead of the test folds."""
    y = np.asarray(y)
    classes = np.unique(y)
    return np.array([[int(np.sum(y[train] == c)) for c in classes]
                     for train, _ in cv.split(np.zeros((len(y), 1)), y)])


def fold_class_counts_present_only(y, cv):
    """np.unique per fold: a fold that misses a class gets a shorter row."""
    y = np.asarray(y)
    rows = [np.unique(y[test], return_counts=True)[1] for _, test in cv.split(np.zeros((len(y), 1)), y)]
    try:
        return np.array(rows)
    except ValueError:
        return np.array(rows, dtype=object)


# -- kfold_trap ---------------------------------------------------------------------------------


def kfold_trap_integer_cv(model, X, y, n_splits, seed):
    """cv=n_splits for the trap: for a classifier that is StratifiedKFold, so no trap."""
    return {"unshuffled": cross_val_score(model, X, y, cv=n_splits),
            "shuffled": cross_val_score(model, X, y, cv=KFold(n_splits, shuffle=True, random_state=seed)),
            "stratified": cross_val_score(model, X, y, cv=StratifiedKFold(n_splits, shuffle=True,
                                                                          random_state=seed))}


def kfold_trap_unseeded_shuffle(model, X, y, n_splits, seed):
    """Shuffles without random_state: a fix that is not reproducible."""
    return {"unshuffled": cross_val_score(model, X, y, cv=KFold(n_splits)),
            "shuffled": cross_val_score(model, X, y, cv=KFold(n_splits, shuffle=True)),
            "stratified": cross_val_score(model, X, y, cv=StratifiedKFold(n_splits, shuffle=True))}


def kfold_trap_stratified_unshuffled(model, X, y, n_splits, seed):
    """Forgets shuffle=True on the StratifiedKFold."""
    return {"unshuffled": cross_val_score(model, X, y, cv=KFold(n_splits)),
            "shuffled": cross_val_score(model, X, y, cv=KFold(n_splits, shuffle=True, random_state=seed)),
            "stratified": cross_val_score(model, X, y, cv=StratifiedKFold(n_splits))}


WRONG = {
    "repeat_runs": [repeat_runs_one_fit, repeat_runs_hardcoded_seed, repeat_runs_ignores_seed,
                    repeat_runs_default_trees],
    "set_seed": [set_seed_forgets_numpy, set_seed_default_rng, set_seed_forgets_python,
                 set_seed_unguarded_torch, set_seed_torch_imported_outside, set_seed_only_manual_seed,
                 set_seed_forgets_cublas, set_seed_silent_skip, set_seed_fixed_42],
    "skip_each_seed": [skip_each_seed_never_skips, skip_each_seed_only_the_skipped,
                       skip_each_seed_reports_unchanged, skip_each_seed_no_baseline,
                       skip_each_seed_not_equal],
    "split_and_score": [split_and_score_swapped, split_and_score_not_stratified, split_and_score_one_seed],
    "mean_std_report": [mean_std_report_sample_std, mean_std_report_pandas, mean_std_report_two_decimals,
                        mean_std_report_ascii, mean_std_report_variance],
    "variance_by_source": [variance_by_source_swapped, variance_by_source_sample_std,
                           variance_by_source_std_of_means],
    "fold_class_counts": [fold_class_counts_bincount, fold_class_counts_train, fold_class_counts_present_only],
    "kfold_trap": [kfold_trap_integer_cv, kfold_trap_unseeded_shuffle, kfold_trap_stratified_unshuffled],
}
