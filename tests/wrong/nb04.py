"""Wrong implementations for notebook 04 (experiment tracking with trackio)."""

import itertools
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import optuna
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import cross_val_score

from autograde.trusted.reference import solution
from helpers.tracking import import_trackio

trackio = import_trackio()


def _ref():
    return solution("04_experiment_tracking")


# -- 1. what to track ------------------------------------------------------------------


def _move(item, to):
    answer = {k: [i for i in v if i != item] for k, v in _ref().what_to_track().items()}
    answer[to].append(item)
    return answer


def what_to_track_git_in_metadata():
    """Files the git hash under metadata instead of environment."""
    return _move("git commit hash", "metadata")


def what_to_track_dataset_in_environment():
    """Files the dataset version under environment instead of config."""
    return _move("dataset version", "environment")


def what_to_track_model_file_in_config():
    """Files the saved model under config instead of artifacts."""
    return _move("saved model file", "config")


# -- 2. the three calls --------------------------------------------------------------------


def log_run_no_finish(project, name, config, metrics):
    """Forgets trackio.finish()."""
    trackio.init(project=project, name=name, config=config, embed=False)
    trackio.log(metrics)


def log_run_one_by_one(project, name, config, metrics):
    """Logs each metric with its own call: one step per metric."""
    trackio.init(project=project, name=name, config=config, embed=False)
    for key, value in metrics.items():
        trackio.log({key: value})
    trackio.finish()


def log_run_no_config(project, name, config, metrics):
    """Does not pass the config."""
    trackio.init(project=project, name=name, embed=False)
    trackio.log(metrics)
    trackio.finish()


def log_run_fixed_name(project, name, config, metrics):
    """Copies the slide: always names the run RandomForest."""
    trackio.init(project=project, name="RandomForest", config=config, embed=False)
    trackio.log(metrics)
    trackio.finish()


# -- 3. three models ------------------------------------------------------------------------


def _metrics(model, X_train, y_train, X_test, y_test, cv, cv_X=None, cv_y=None):
    fitted = clone(model).fit(X_train, y_train)
    cv_X = X_train if cv_X is None else cv_X
    cv_y = y_train if cv_y is None else cv_y
    return {"train_accuracy": float(fitted.score(X_train, y_train)),
            "test_accuracy": float(fitted.score(X_test, y_test)),
            "cv_accuracy": float(cross_val_score(model, cv_X, cv_y, cv=cv).mean())}


def compare_models_one_run(project, models, X_train, y_train, X_test, y_test, cv):
    """Logs all three models as steps of one run."""
    rows = {}
    trackio.init(project=project, name="model-comparison",
                 config={"experiment": "model-comparison"}, embed=False)
    for name, model in models.items():
        rows[name] = _metrics(model, X_train, y_train, X_test, y_test, cv)
        trackio.log(rows[name])
    trackio.finish()
    return pd.DataFrame.from_dict(rows, orient="index")


def compare_models_cv_on_test(project, models, X_train, y_train, X_test, y_test, cv):
    """Cross-validates on the test set."""
    rows = {}
    for name, model in models.items():
        trackio.init(project=project, name=name, config={"model": name, "experiment": "model-comparison"},
                     embed=False)
        rows[name] = _metrics(model, X_train, y_train, X_test, y_test, cv, X_test, y_test)
        trackio.log(rows[name])
        trackio.finish()
    return pd.DataFrame.from_dict(rows, orient="index")


def compare_models_default_cv(project, models, X_train, y_train, X_test, y_test, cv):
    """Ignores the given folds (cv=5)."""
    rows = {}
    for name, model in models.items():
        trackio.init(project=project, name=name, config={"model": name, "experiment": "model-comparison"},
                     embed=False)
        rows[name] = _metrics(model, X_train, y_train, X_test, y_test, 5)
        trackio.log(rows[name])
        trackio.finish()
    return pd.DataFrame.from_dict(rows, orient="index")


def compare_models_no_experiment(project, models, X_train, y_train, X_test, y_test, cv):
    """Config without the experiment, so the runs cannot be grouped."""
    rows = {}
    for name, model in models.items():
        trackio.init(project=project, name=name, config={"model": name}, embed=False)
        rows[name] = _metrics(model, X_train, y_train, X_test, y_test, cv)
        trackio.log(rows[name])
        trackio.finish()
    return pd.DataFrame.from_dict(rows, orient="index")


# -- 4. the sweep ------------------------------------------------------------------------------

_SWEEP_CONFIG = {"model": "RandomForest", "experiment": "n_estimators_sweep", "max_depth": 10}


def _forest_step(n, X_train, y_train, X_test, y_test):
    forest = RandomForestClassifier(n_estimators=n, max_depth=10, random_state=42).fit(X_train, y_train)
    return {"n_estimators": n, "train_accuracy": forest.score(X_train, y_train),
            "test_accuracy": forest.score(X_test, y_test)}


def sweep_separate_runs(project, n_values, X_train, y_train, X_test, y_test):
    """Logs every sweep point as a separate run."""
    for n in n_values:
        trackio.init(project=project, name=f"rf-n-{n}", config=_SWEEP_CONFIG, embed=False)
        trackio.log(_forest_step(n, X_train, y_train, X_test, y_test))
        trackio.finish()


def sweep_separate_runs_same_name(project, n_values, X_train, y_train, X_test, y_test):
    """Calls init inside the loop: one run per point, all with the sweep's name."""
    for n in n_values:
        trackio.init(project=project, name="rf-n-estimators-sweep", config=_SWEEP_CONFIG, embed=False)
        trackio.log(_forest_step(n, X_train, y_train, X_test, y_test))
    trackio.finish()


def sweep_only_last(project, n_values, X_train, y_train, X_test, y_test):
    """log() outside the loop: only the last point is logged."""
    trackio.init(project=project, name="rf-n-estimators-sweep", config=_SWEEP_CONFIG, embed=False)
    for n in n_values:
        step = _forest_step(n, X_train, y_train, X_test, y_test)
    trackio.log(step)
    trackio.finish()


def sweep_sorted(project, n_values, X_train, y_train, X_test, y_test):
    """Sweeps the values in sorted order, not the given order."""
    trackio.init(project=project, name="rf-n-estimators-sweep", config=_SWEEP_CONFIG, embed=False)
    for n in sorted(n_values):
        trackio.log(_forest_step(n, X_train, y_train, X_test, y_test))
    trackio.finish()


# -- 5. learning rates ---------------------------------------------------------------------------


def _gb_steps(lr, n_values, X_train, y_train, X_test, y_test):
    model = GradientBoostingClassifier(n_estimators=max(n_values), learning_rate=lr, random_state=42)
    model.fit(X_train, y_train)
    train = [float(np.mean(p == y_train)) for p in model.staged_predict(X_train)]
    test = [float(np.mean(p == y_test)) for p in model.staged_predict(X_test)]
    return [{"n_estimators": n, "train_accuracy": train[n - 1], "test_accuracy": test[n - 1]}
            for n in n_values]


def lr_one_run(project, learning_rates, n_values, X_train, y_train, X_test, y_test):
    """All learning rates as steps of a single run."""
    trackio.init(project=project, name="gb-lr-comparison",
                 config={"model": "GradientBoosting", "experiment": "lr_comparison"}, embed=False)
    for lr in learning_rates:
        for step in _gb_steps(lr, n_values, X_train, y_train, X_test, y_test):
            trackio.log(step)
    trackio.finish()


def lr_same_name(project, learning_rates, n_values, X_train, y_train, X_test, y_test):
    """One run per learning rate, but every run named 'gb'."""
    for lr in learning_rates:
        trackio.init(project=project, name="gb", embed=False,
                     config={"model": "GradientBoosting", "experiment": "lr_comparison", "learning_rate": lr})
        for step in _gb_steps(lr, n_values, X_train, y_train, X_test, y_test):
            trackio.log(step)
        trackio.finish()


def lr_default_rate(project, learning_rates, n_values, X_train, y_train, X_test, y_test):
    """Logs the learning rate but trains with the default 0.1."""
    for lr in learning_rates:
        trackio.init(project=project, name=f"gb-lr-{lr}", embed=False,
                     config={"model": "GradientBoosting", "experiment": "lr_comparison", "learning_rate": lr})
        for step in _gb_steps(0.1, n_values, X_train, y_train, X_test, y_test):
            trackio.log(step)
        trackio.finish()


def lr_no_final_finish(project, learning_rates, n_values, X_train, y_train, X_test, y_test):
    """The slide's indentation: finish() after the loop only (init ends the earlier runs)."""
    for lr in learning_rates:
        trackio.init(project=project, name=f"gb-lr-{lr}", embed=False,
                     config={"model": "GradientBoosting", "experiment": "lr_comparison", "learning_rate": lr})
        for step in _gb_steps(lr, n_values, X_train, y_train, X_test, y_test):
            trackio.log(step)


# -- 6. run names ------------------------------------------------------------------------------------

_counter = itertools.count(42)


def run_name_counter(config, short_names):
    """A name that ignores the config: run_42, run_43, ..."""
    return f"run_{next(_counter)}"


def run_name_sorted(config, short_names):
    """Sorts the keys instead of keeping the config's order."""
    return "_".join(f"{short_names.get(k, k)}{config[k]}" for k in sorted(config))


def run_name_full_keys(config, short_names):
    """Ignores the short names."""
    return "_".join(f"{k}{v}" for k, v in config.items())


def run_name_values_only(config, short_names):
    """Values only: 0.01_10 says nothing about which is which."""
    return "_".join(str(v) for v in config.values())


# -- 7. environment ------------------------------------------------------------------------------------


def _versions(packages):
    import importlib.metadata
    import platform

    return {"python": platform.python_version(),
            **{p: importlib.metadata.version(p) for p in packages}}


def _head(path, *extra):
    try:
        out = subprocess.run(["git", "-C", str(path), "rev-parse", *extra, "HEAD"],
                             capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def environment_sys_version(packages, path):
    """sys.version (a long string with the build date) instead of the version number."""
    return {**_versions(packages), "python": sys.version, "git_commit": _head(path)}


def environment_ignores_path(packages, path):
    """Asks git about the current folder, not about `path`."""
    return {**_versions(packages), "git_commit": _head(Path.cwd())}


def environment_short_hash(packages, path):
    """The 7-character short hash."""
    return {**_versions(packages), "git_commit": _head(path, "--short")}


def environment_empty_string(packages, path):
    """An empty string instead of None outside a repository."""
    return {**_versions(packages), "git_commit": _head(path) or ""}


def environment_fixed_packages(packages, path):
    """Ignores `packages` and records a fixed list."""
    return {**_versions(["numpy", "pandas", "scikit-learn", "optuna", "trackio"]), "git_commit": _head(path)}


# -- 8. best-practice run -------------------------------------------------------------------------------


def _tracked(project, model, config, metrics, tags, *, name=None, extra=None, artifact=True):
    ref = _ref()
    name = name or ref.run_name(config, ref.SHORT_NAMES)
    full = {**config, **(extra if extra is not None else
                         {"tags": list(tags), "environment": ref.environment_record(ref.PACKAGES, Path.cwd())})}
    trackio.init(project=project, name=name, config=full, embed=False)
    trackio.log(metrics)
    if artifact:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.pkl"
            path.write_bytes(pickle.dumps(model))
            trackio.log_artifact(path, name="model", type="model")
    trackio.finish()
    return name


def tracked_name_ignores_config(project, model, config, metrics, tags):
    """A run name that ignores the config."""
    return _tracked(project, model, config, metrics, tags, name=f"run_{next(_counter)}")


def tracked_no_tags(project, model, config, metrics, tags):
    """Forgets the tags."""
    env = _ref().environment_record(_ref().PACKAGES, Path.cwd())
    return _tracked(project, model, config, metrics, tags, extra={"environment": env})


def tracked_tags_as_string(project, model, config, metrics, tags):
    """Joins the tags into one string."""
    env = _ref().environment_record(_ref().PACKAGES, Path.cwd())
    return _tracked(project, model, config, metrics, tags, extra={"tags": ",".join(tags), "environment": env})


def tracked_no_environment(project, model, config, metrics, tags):
    """Forgets the environment."""
    return _tracked(project, model, config, metrics, tags, extra={"tags": list(tags)})


def tracked_no_model_file(project, model, config, metrics, tags):
    """Logs the metrics but not the model file."""
    return _tracked(project, model, config, metrics, tags, artifact=False)


# -- 9. reading back -------------------------------------------------------------------------------------


def runs_table_first_value(project):
    """Keeps the first logged value of each metric instead of the last."""
    rows = []
    for run in trackio.Api().runs(project):
        row = {"run": run.name, **{k: v for k, v in run.config.items() if not k.startswith("_")}}
        for entry in trackio.SQLiteStorage.get_logs(project, run.name, run_id=run.id):
            for k, v in entry.items():
                if k not in ("step", "timestamp") and k not in row:
                    row[k] = v
        rows.append(row)
    return pd.DataFrame(rows)


def runs_table_by_name(project):
    """Asks for the logs by name only: runs sharing a name all get the latest one's metrics."""
    rows = []
    for run in trackio.Api().runs(project):
        row = {"run": run.name, **{k: v for k, v in run.config.items() if not k.startswith("_")}}
        for entry in trackio.SQLiteStorage.get_logs(project, run.name):
            row.update({k: v for k, v in entry.items() if k not in ("step", "timestamp")})
        rows.append(row)
    return pd.DataFrame(rows)


def runs_table_private_keys(project):
    """Keeps trackio's own config keys (_Username, _Created, _Group)."""
    rows = []
    for run in trackio.Api().runs(project):
        row = {"run": run.name, **run.config}
        for entry in trackio.SQLiteStorage.get_logs(project, run.name, run_id=run.id):
            row.update({k: v for k, v in entry.items() if k not in ("step", "timestamp")})
        rows.append(row)
    return pd.DataFrame(rows)


def runs_table_per_step(project):
    """One row per logged step instead of one per run."""
    rows = []
    for run in trackio.Api().runs(project):
        config = {k: v for k, v in run.config.items() if not k.startswith("_")}
        for entry in trackio.SQLiteStorage.get_logs(project, run.name, run_id=run.id):
            rows.append({"run": run.name, **config,
                         **{k: v for k, v in entry.items() if k not in ("step", "timestamp")}})
    return pd.DataFrame(rows)


def runs_table_config_wins(project):
    """Lets the config override a metric of the same name."""
    rows = []
    for run in trackio.Api().runs(project):
        row = {"run": run.name}
        for entry in trackio.SQLiteStorage.get_logs(project, run.name, run_id=run.id):
            row.update({k: v for k, v in entry.items() if k not in ("step", "timestamp")})
        row.update({k: v for k, v in run.config.items() if not k.startswith("_")})
        rows.append(row)
    return pd.DataFrame(rows)


# -- 10. best run ------------------------------------------------------------------------------------------


def best_run_always_max(table, metric, maximize=True):
    """Ignores `maximize`."""
    return table.loc[table[metric].idxmax(), "run"]


def best_run_argmax_label(table, metric, maximize=True):
    """Uses a position from np.argmax as an index label (and NaN breaks argmax)."""
    values = table[metric].to_numpy()
    position = np.argmax(values) if maximize else np.argmin(values)
    return table["run"].get(position, table["run"].iloc[0])


def best_run_sort_last(table, metric, maximize=True):
    """Sorts and takes the last row: NaN sorts last, and ties pick the later row."""
    ordered = table.sort_values(metric, ascending=maximize)
    return ordered["run"].iloc[-1]


# -- 11. Optuna callback ----------------------------------------------------------------------------------


def log_trial_all_states(study, trial):
    """Logs pruned trials too (value None)."""
    best = study.best_value if any(t.state == optuna.trial.TrialState.COMPLETE for t in study.trials) else None
    trackio.log({"trial": trial.number, "value": trial.value, "best_value": best, **trial.params})


def log_trial_if_it_has_a_value(study, trial):
    """Decides by the value, not the state: Optuna 5's pruned trials keep their last reported value."""
    if trial.value is None:
        return
    trackio.log({"trial": trial.number, "value": trial.value, "best_value": study.best_value, **trial.params})


def log_trial_best_is_max(study, trial):
    """Best so far = the maximum, whatever the study's direction."""
    if trial.state != optuna.trial.TrialState.COMPLETE:
        return
    values = [t.value for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    trackio.log({"trial": trial.number, "value": trial.value, "best_value": max(values), **trial.params})


def log_trial_no_params(study, trial):
    """Logs the values but not the hyperparameters."""
    if trial.state != optuna.trial.TrialState.COMPLETE:
        return
    trackio.log({"trial": trial.number, "value": trial.value, "best_value": study.best_value})


def log_trial_run_per_trial(study, trial):
    """Starts (and finishes) a new run for every trial, inside the callback."""
    if trial.state != optuna.trial.TrialState.COMPLETE:
        return
    trackio.init(project=trackio.context_vars.current_project.get(), name=f"trial-{trial.number}",
                 embed=False)
    trackio.log({"trial": trial.number, "value": trial.value, "best_value": study.best_value, **trial.params})
    trackio.finish()


WRONG = {
    "what_to_track": [what_to_track_git_in_metadata, what_to_track_dataset_in_environment,
                      what_to_track_model_file_in_config],
    "log_run": [log_run_no_finish, log_run_one_by_one, log_run_no_config, log_run_fixed_name],
    "compare_models": [compare_models_one_run, compare_models_cv_on_test, compare_models_default_cv,
                       compare_models_no_experiment],
    "sweep_n_estimators": [sweep_separate_runs, sweep_separate_runs_same_name, sweep_only_last, sweep_sorted],
    "compare_learning_rates": [lr_one_run, lr_same_name, lr_default_rate, lr_no_final_finish],
    "run_name": [run_name_counter, run_name_sorted, run_name_full_keys, run_name_values_only],
    "environment_record": [environment_sys_version, environment_ignores_path, environment_short_hash,
                           environment_empty_string, environment_fixed_packages],
    "log_tracked_run": [tracked_name_ignores_config, tracked_no_tags, tracked_tags_as_string,
                        tracked_no_environment, tracked_no_model_file],
    "runs_table": [runs_table_first_value, runs_table_by_name, runs_table_private_keys, runs_table_per_step,
                   runs_table_config_wins],
    "best_run": [best_run_always_max, best_run_argmax_label, best_run_sort_last],
    "log_trial": [log_trial_all_states, log_trial_if_it_has_a_value, log_trial_best_is_max, log_trial_no_params, log_trial_run_per_trial],
}
