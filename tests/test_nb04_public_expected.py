"""The public checks of notebook 04 hold no solution, and every value they store is the reference's.

``helpers/checks/nb04.py`` ships to students, so the scikit-learn numbers of its
public cases are stored constants instead of an oracle. These tests recompute
them with the reference solution (and with the hidden oracles), and show that
what the public checks read another way (the git commit by ``rev-list``, the
steps of a study from Optuna's records, the rows of the logged runs) agrees with
the reference and the hidden oracles.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import optuna
import pytest

import autograde.checks.nb04 as hidden
import helpers.checks.nb04 as public
from helpers import tracking
from helpers.data import REPO_ROOT

NOTEBOOK = "04_experiment_tracking"


def _rounded(value):
    """Floats rounded to 4 decimals, like the stored constants; ints and names kept."""
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def _logged_steps(project: str) -> dict[str, list[dict]]:
    """``{run name: steps without the step number}`` of a project."""
    return {run["name"]: [{k: v for k, v in entry.items() if k != "step"} for entry in run["logs"]]
            for run in tracking.read_runs(project)}


def _case(cases):
    ((label, args, expected),) = cases
    return args, expected


@pytest.fixture(scope="module")
def ref():
    return hidden.ref()


def test_public_compare_models_values_are_the_reference_s(ref):
    args, expected = _case(public.public_compare_models_cases())
    assert expected == public.PUBLIC_COMPARE
    with tracking.scratch_projects() as new:
        project = new("expected-compare")
        with tracking.quiet():
            table = ref.compare_models(project, *args)
        logged = _logged_steps(project)
    assert _rounded({name: table.loc[name].to_dict() for name in table.index}) == expected
    assert _rounded({name: steps[0] for name, steps in logged.items()}) == expected
    assert _rounded(hidden.compare_models_oracle(*args)) == expected


def test_public_sweep_values_are_the_reference_s(ref):
    args, expected = _case(public.public_sweep_cases())
    assert expected == public.PUBLIC_SWEEP
    with tracking.scratch_projects() as new:
        project = new("expected-sweep")
        with tracking.quiet():
            ref.sweep_n_estimators(project, *args)
        logged = _logged_steps(project)
    assert _rounded(logged) == {public.SWEEP_RUN: expected}
    assert _rounded(hidden.sweep_oracle(*args)) == expected


def test_public_learning_rate_values_are_the_reference_s(ref):
    args, expected = _case(public.public_lr_cases())
    assert expected == public.PUBLIC_LR
    with tracking.scratch_projects() as new:
        project = new("expected-lr")
        with tracking.quiet():
            ref.compare_learning_rates(project, *args)
        logged = _logged_steps(project)
    assert _rounded(logged) == expected
    assert _rounded(hidden.lr_oracle(*args)) == expected


def test_public_runs_table_rows_are_the_reference_s(ref):
    (specs,), expected = _case(public.public_runs_table_cases())
    assert hidden.rows_of(specs) == expected
    with tracking.scratch_projects() as new:
        project = new("expected-table")
        public.log_runs(project, specs)
        with tracking.quiet():
            table = ref.runs_table(project)
    rows = [{k: v for k, v in row.items() if not (isinstance(v, float) and math.isnan(v))}
            for row in table.to_dict("records")]
    assert rows == expected


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.com",
                    "-c", "commit.gpgsign=false", *args], capture_output=True, check=True)


def test_public_environment_agrees_with_the_reference_and_the_oracle(ref, tmp_path):
    repo, empty, plain = tmp_path / "repo", tmp_path / "empty", tmp_path / "plain"
    for folder in (repo / "sub", empty, plain):
        folder.mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "first")
    _git(empty, "init", "-q")
    for folder in (REPO_ROOT, repo / "sub", empty, plain):
        want = ref.environment_record(list(ref.PACKAGES), folder)
        assert public.expected_environment(public.PACKAGES, folder) == want, folder
        assert hidden.environment_oracle(ref.PACKAGES, folder) == want, folder
    assert public.expected_versions(public.PACKAGES) == hidden.versions_oracle(ref.PACKAGES)
    assert public.head_by_rev_list(repo / "sub") is not None
    assert public.head_by_rev_list(empty) is None
    assert public.PACKAGES == ref.PACKAGES


def _pruning(trial) -> float:
    x = trial.suggest_float("x", -3.0, 3.0)
    if x > 1.0:
        raise optuna.TrialPruned()
    return x * x


@pytest.mark.parametrize("direction, objective, seed", [
    ("maximize", public.PUBLIC_OBJECTIVE, 0),
    ("minimize", _pruning, 3),
    ("maximize", _pruning, 5),
    ("minimize", hidden.MINIMISE_WITH_PRUNING, 3),
])
def test_public_study_steps_agree_with_the_hidden_oracle(direction, objective, seed):
    with tracking.quiet():
        study = optuna.create_study(direction=direction, sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(objective, n_trials=12)
    assert public.steps_from_records(study) == hidden.study_steps(study)


def test_public_checks_fail_without_expected_results():
    with pytest.raises(ValueError, match="no expected result"):
        public.given(None, "a case")


def test_objectives_are_data_that_recompute_their_trials():
    """The objectives the checks send are :class:`public.Objective` (data, from the public module)."""
    assert public.PUBLIC_OBJECTIVE(optuna.trial.FixedTrial({"x": 3.0, "n": 2})) == -((3.0 - 1.0) ** 2) - 2
    hidden_case = hidden.MINIMISE_WITH_PRUNING
    assert type(hidden_case) is public.Objective
    with tracking.quiet():
        study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=3))
        study.optimize(hidden_case, n_trials=12)
    states = {trial.state for trial in study.trials}
    assert optuna.trial.TrialState.PRUNED in states and optuna.trial.TrialState.COMPLETE in states
    assert len({trial.params["kind"] for trial in study.trials}) == 2
    public.expect_study_of(study, "minimize", hidden_case, 12, "a test")
