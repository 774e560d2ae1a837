"""helpers.tracking keeps trackio's files in the course folder and reads runs back through trackio.

The tests that depend on *where* trackio writes run in a fresh Python process
(trackio reads ``TRACKIO_DIR`` once, at import) with ``HOME`` pointed at an
empty temporary folder, so that a write to ``~/.cache/huggingface/trackio``
would be seen, not made in the real home.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import tracking
from helpers.data import REPO_ROOT

SOLUTION = REPO_ROOT / "solutions" / "week08" / "04_experiment_tracking.ipynb"


def _env(home: Path, store: Path | None) -> dict[str, str]:
    """An environment with an empty HOME and, if given, WEEK08_TRACKIO_DIR=store."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"TRACKIO_DIR", "HF_HOME", "XDG_CACHE_HOME", "WEEK08_TRACKIO_DIR", "MPLBACKEND"}}
    env["HOME"] = str(home)
    env["MPLCONFIGDIR"] = str(home / ".mpl")
    if store is not None:
        env["WEEK08_TRACKIO_DIR"] = str(store)
    return env


def _python(code: str, env: dict[str, str], cwd: Path = REPO_ROOT, timeout: int = 300):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def _trackio_files(home: Path) -> list[str]:
    """Paths under ``home`` that trackio (or the Hugging Face cache it defaults to) wrote."""
    return [str(p.relative_to(home)) for p in home.rglob("*")
            if "trackio" in p.name.lower() or p.name == "huggingface"]


# -- where the files go -------------------------------------------------------------------


def test_tracking_dir_defaults_to_the_course_folder(monkeypatch):
    monkeypatch.delenv(tracking.ENV_VARIABLE, raising=False)
    assert tracking.tracking_dir() == REPO_ROOT / ".trackio"


def test_tracking_dir_follows_the_override(monkeypatch, tmp_path):
    monkeypatch.setenv(tracking.ENV_VARIABLE, str(tmp_path / "scratch"))
    assert tracking.tracking_dir() == (tmp_path / "scratch").resolve()


def test_git_ignores_the_default_folder():
    lines = (REPO_ROOT / ".gitignore").read_text().splitlines()
    assert "/.trackio/" in lines or ".trackio/" in lines


def test_trackio_in_a_fresh_process_uses_the_course_folder(tmp_path):
    home, store = tmp_path / "home", tmp_path / "store"
    home.mkdir()
    result = _python("""
        import helpers.tracking
        import trackio, trackio.utils
        print(trackio.utils.TRACKIO_DIR)
        """, _env(home, store))
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip().splitlines()[-1]) == store.resolve()


def test_refuses_a_trackio_imported_with_another_folder(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = _python(f"""
        import os
        os.environ["TRACKIO_DIR"] = {str(tmp_path / "elsewhere")!r}
        import trackio
        try:
            import helpers.tracking
        except Exception as error:
            print(type(error).__name__, error)
        """, _env(home, tmp_path / "store"))
    assert result.returncode == 0, result.stderr
    assert "TrackioDirError" in result.stdout and "Restart the kernel" in result.stdout


# -- reading back -------------------------------------------------------------------------------


def test_read_back_runs_metrics_and_artifacts(tmp_path):
    trackio = tracking.import_trackio()
    model_file = tmp_path / "model.txt"
    model_file.write_text("weights")
    with tracking.scratch_projects() as new:
        project = new("read-back")
        with tracking.quiet():
            for value in (1, 2):
                trackio.init(project=project, name="same-name", config={"value": value, "tags": ["a"]},
                             embed=False, auto_log_cpu=False)
                trackio.log({"loss": 1.0 / value, "acc": 0.5})
                trackio.log({"loss": 0.5 / value})
                if value == 2:
                    trackio.log_artifact(model_file, name="model", type="model")
                trackio.finish()
        runs = tracking.read_runs(project)
        assert [r["name"] for r in runs] == ["same-name", "same-name"]
        assert runs[0]["id"] != runs[1]["id"]
        assert [r["config"] for r in runs] == [{"value": 1, "tags": ["a"]}, {"value": 2, "tags": ["a"]}]
        assert runs[0]["logs"] == [{"loss": 1.0, "acc": 0.5, "step": 0}, {"loss": 0.5, "step": 1}]
        assert tracking.metric_history(project, "same-name")["loss"].tolist() == [0.5, 0.25]
        assert tracking.run_artifacts(project, "same-name", runs[0]["id"]) == []
        (artifact,) = tracking.run_artifacts(project, "same-name", runs[1]["id"])
        assert (artifact["name"], artifact["type"]) == ("model", "model")
        assert artifact["files"]["model.txt"].read_text() == "weights"
        folder = Path(os.environ["TRACKIO_DIR"])
        assert (folder / f"{project}.db").exists()
    assert not list(folder.glob(f"{project}*")), "scratch project files left behind"
    assert not (folder / "artifacts" / project).exists()
    assert tracking.read_runs(project) == []


def test_scratch_projects_finish_a_run_left_open():
    trackio = tracking.import_trackio()
    with tracking.scratch_projects() as new:
        project = new("left-open")
        with tracking.quiet():
            trackio.init(project=project, name="open", embed=False, auto_log_cpu=False)
            trackio.log({"x": 1})
    assert tracking.open_run() is None


def test_cli_path_is_the_environment_s_trackio():
    path = Path(tracking.cli_path())
    assert path.name == "trackio"
    assert path.exists()


# -- nothing lands in the home cache ------------------------------------------------------------


def test_checks_and_cli_write_nothing_to_the_home_cache(tmp_path):
    """Every check (public and hidden) on the reference, a notebook-style run and the CLI."""
    home, store = tmp_path / "home", tmp_path / "store"
    home.mkdir()
    env = _env(home, store)
    result = _python("""
        import helpers.tracking
        import trackio
        import helpers.checks.nb04 as public
        import autograde.checks.nb04 as hidden
        from helpers.tracking import PROJECT

        ref = hidden.ref()
        for name in dir(public):
            if name.startswith("check_"):
                function = getattr(ref, name.removeprefix("check_"))
                getattr(public, name)(function)
                getattr(hidden, name)(function)
        ref.log_run(PROJECT, "first-run", {"model": "tree"}, {"test_accuracy": 0.9})
        print("RUNS", [r["name"] for r in helpers.tracking.read_runs(PROJECT)])
        """, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RUNS ['first-run']" in result.stdout
    cli = subprocess.run([tracking.cli_path(), "list", "runs", "--project", tracking.PROJECT],
                         env={**env, "TRACKIO_DIR": str(store)}, capture_output=True, text=True, timeout=120)
    assert "first-run" in cli.stdout, cli.stdout + cli.stderr
    assert sorted(p.name for p in store.glob("*.db")) == [f"{tracking.PROJECT}.db"], "check projects left behind"
    assert _trackio_files(home) == []


@pytest.mark.slow
def test_solution_notebook_logs_only_to_the_course_folder(tmp_path):
    """Run the solution notebook (fast mode) with an empty HOME; read its runs back."""
    home, store = tmp_path / "home", tmp_path / "store"
    home.mkdir()
    env = {**_env(home, store), "WEEK08_FAST": "1"}
    out = tmp_path / "executed.ipynb"
    result = _python(f"""
        import nbformat
        from nbclient import NotebookClient
        nb = nbformat.read({str(SOLUTION)!r}, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={{"metadata": {{"path": {str(tmp_path)!r}}}}}).execute()
        nbformat.write(nb, {str(out)!r})
        """, env, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = _python("""
        import json
        import helpers.tracking
        runs = helpers.tracking.read_runs(helpers.tracking.PROJECT)
        print(json.dumps([r["name"] for r in runs]))
        """, env)
    assert summary.returncode == 0, summary.stderr
    names = json.loads(summary.stdout.strip().splitlines()[-1])
    assert names == ["first-run", "LogisticRegression", "RandomForest", "GradientBoosting",
                     "rf-n-estimators-sweep", "gb-lr-0.01", "gb-lr-0.1", "gb-lr-0.5",
                     "GradientBoosting_lr0.1_depth3", "GradientBoosting_lr0.5_depth2", "optuna-rf"]
    assert sorted(p.name for p in store.glob("*.db")) == [f"{tracking.PROJECT}.db"]
    assert _trackio_files(home) == []
