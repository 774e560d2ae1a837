"""Experiment tracking with trackio, kept inside the course directory.

trackio stores every project in one SQLite file, ``<TRACKIO_DIR>/<project>.db``.
It reads the environment variable ``TRACKIO_DIR`` once, when ``trackio`` is
imported, and falls back to the user's cache (``~/.cache/huggingface/trackio``).
This module points it at a folder of the course instead, so importing it must
come **before** ``import trackio``::

    import helpers.tracking   # sets TRACKIO_DIR (see tracking_dir())
    import trackio            # now logs to <course>/.trackio/

or, in a script, ``trackio = helpers.tracking.import_trackio()``.

The folder is :func:`tracking_dir`: ``$WEEK08_TRACKIO_DIR`` when set (the grader
sets it to a scratch folder per submission; tests set it to a temporary folder),
otherwise ``<course root>/.trackio`` (ignored by git).

The module also reads runs back through trackio's own interface
(``trackio.Api`` for runs and configs, ``trackio.SQLiteStorage`` for logged
metrics and artifacts, the functions behind trackio's CLI and dashboard), which
the checks of notebook 04 use to see what a student's code actually logged.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import sys
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from helpers.data import REPO_ROOT

#: Environment variable that overrides where this course keeps trackio's data.
ENV_VARIABLE = "WEEK08_TRACKIO_DIR"
#: The variable trackio itself reads (once, at import time).
TRACKIO_VARIABLE = "TRACKIO_DIR"
#: The project the notebook logs to and ``make dashboard`` shows.
PROJECT = "cs203-week08-lab"


class TrackioDirError(RuntimeError):
    """trackio was imported before this module, with another storage folder."""


def tracking_dir() -> Path:
    """Return the folder where trackio keeps this course's projects.

    ``$WEEK08_TRACKIO_DIR`` when set, otherwise ``<course root>/.trackio``.
    """
    override = os.environ.get(ENV_VARIABLE, "").strip()
    return Path(override).expanduser().resolve() if override else REPO_ROOT / ".trackio"


def _imported_dir() -> Path | None:
    """The storage folder of an already imported trackio, or None if not imported."""
    utils = sys.modules.get("trackio.utils")
    if utils is None or not hasattr(utils, "TRACKIO_DIR"):
        return None
    return Path(utils.TRACKIO_DIR).expanduser().resolve()


def configure() -> Path:
    """Point trackio at :func:`tracking_dir` by setting ``TRACKIO_DIR``.

    Returns the folder. Raises :class:`TrackioDirError` when trackio was
    already imported with another folder: it would ignore the new value and keep
    writing elsewhere (often the home cache), so restart the kernel and import
    ``helpers.tracking`` before ``trackio``.
    """
    folder = tracking_dir()
    imported = _imported_dir()
    if imported is not None and imported != folder.resolve():
        raise TrackioDirError(
            f"trackio was imported before helpers.tracking and logs to {imported}, "
            f"not to the course folder {folder}. Restart the kernel (or the Python "
            "process) and run `import helpers.tracking` before `import trackio`."
        )
    os.environ[TRACKIO_VARIABLE] = str(folder)
    return folder


def import_trackio() -> ModuleType:
    """Configure the storage folder, then import and return the ``trackio`` module."""
    configure()
    import trackio

    configure()  # verify: the imported module really uses the course folder
    return trackio


# -- reading back what was logged ------------------------------------------------------


def read_runs(project: str) -> list[dict[str, Any]]:
    """Every run of a project, in creation order, read from trackio's database.

    Each run is a dict with ``name``, ``id``, ``config`` (the user's config: keys
    starting with ``_`` are trackio's own and are left out) and ``logs`` (one dict
    per logged step: ``step`` and the metrics logged at that step). Two runs can
    share a name; ``id`` tells them apart. Read only after ``trackio.finish()``:
    logging is asynchronous. A project that does not exist has no runs.
    """
    trackio = import_trackio()
    try:
        runs = list(trackio.Api().runs(project))
    except ValueError:  # "Project ... does not exist"
        return []
    out = []
    for run in runs:
        config = {k: v for k, v in (run.config or {}).items() if not k.startswith("_")}
        logs = trackio.SQLiteStorage.get_logs(project, run.name, run_id=run.id)
        steps = [{k: v for k, v in entry.items() if k != "timestamp"} for entry in logs]
        out.append({"name": run.name, "id": run.id, "config": config, "logs": steps})
    return out


def metric_history(project: str, run: str, run_id: str | None = None):
    """The logged steps of one run as a ``pandas.DataFrame`` (one row per step).

    When several runs share the name ``run``, the latest one is used unless
    ``run_id`` says which.
    """
    import pandas as pd

    matching = [r for r in read_runs(project) if r["name"] == run
                and (run_id is None or r["id"] == run_id)]
    if not matching:
        raise ValueError(f"no run named {run!r} in trackio project {project!r}")
    return pd.DataFrame(matching[-1]["logs"])


def run_artifacts(project: str, run_name: str, run_id: str) -> list[dict[str, Any]]:
    """The artifacts a run logged as outputs, with the paths of their stored files.

    Each entry: ``name``, ``type``, ``version`` and ``files`` (``{logical path:
    path of the stored blob under the tracking folder}``).
    """
    trackio = import_trackio()
    from trackio import cas

    storage = trackio.SQLiteStorage
    links = storage.get_run_artifacts(project, run_name, run_id)["output"]
    out = []
    for link in links:
        manifest = storage.get_artifact_manifest(project, link["name"], f"v{link['version']}")
        files = {} if manifest is None else {
            entry["path"]: cas.blob_path(project, entry["digest"]) for entry in manifest["manifest"]
        }
        out.append({"name": link["name"], "type": link["type"], "version": link["version"],
                    "files": files})
    return out


def open_run() -> Any | None:
    """The run that ``trackio.init`` started and no ``trackio.finish`` ended, or None."""
    trackio = import_trackio()
    return trackio.context_vars.current_run.get()


def finish_open_run() -> str | None:
    """Finish a run left open (quietly); return its name, or None if none was open."""
    trackio = import_trackio()
    run = open_run()
    if run is None:
        return None
    with quiet():
        try:
            trackio.finish()
        except Exception:  # noqa: BLE001 - cleanup must not hide the real problem
            trackio.context_vars.current_run.set(None)
    return run.name


# -- scratch projects for checks and tests ---------------------------------------------


def scratch_project(label: str) -> str:
    """A fresh, unique project name such as ``check-log-run-1a2b3c4d``."""
    safe = "".join(c if c.isalnum() else "-" for c in label).strip("-")
    return f"check-{safe}-{uuid.uuid4().hex[:8]}"


def delete_project(project: str) -> None:
    """Delete a project's database, media, artifacts and lock file (quietly)."""
    trackio = import_trackio()
    with quiet():
        trackio.delete_project(project, force=True)
    from trackio.utils import canonical_project_name

    folder = Path(os.environ[TRACKIO_VARIABLE])
    stem = canonical_project_name(project)
    for suffix in (".lock", ".hash"):
        (folder / f"{stem}{suffix}").unlink(missing_ok=True)
    for sub in ("media", "artifacts"):
        shutil.rmtree(folder / sub / stem, ignore_errors=True)
        with contextlib.suppress(OSError):  # remove the parent too once it is empty
            (folder / sub).rmdir()


@contextlib.contextmanager
def scratch_projects() -> Iterator[Any]:
    """Yield a function ``new(label) -> project name``; delete those projects on exit.

    A run left open before or inside the block is finished.
    """
    trackio = import_trackio()
    created: list[str] = []
    finish_open_run()
    # trackio prints a banner whenever init() switches project; put the student's back.
    project_before = trackio.context_vars.current_project.get()

    def new(label: str) -> str:
        name = scratch_project(label)
        created.append(name)
        return name

    try:
        yield new
    finally:
        finish_open_run()
        for project in created:
            delete_project(project)
        trackio.context_vars.current_project.set(project_before)


@contextlib.contextmanager
def quiet() -> Iterator[io.StringIO]:
    """Silence stdout, stderr, warnings and Optuna's per-trial log lines.

    nbgrader gives a test cell 0 points when it writes anything to stderr, and
    trackio prints several lines per run: the checks call students' code inside
    this block. Yields the buffer that received the output.
    """
    buffer = io.StringIO()
    optuna_logger = logging.getLogger("optuna")
    level = optuna_logger.level
    optuna_logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(buffer), \
                contextlib.redirect_stderr(buffer):
            warnings.simplefilter("ignore")
            yield buffer
    finally:
        optuna_logger.setLevel(level)


def cli_path() -> str:
    """Path of the ``trackio`` command-line tool of this Python environment."""
    candidate = Path(sys.executable).parent / "trackio"
    if candidate.exists():
        return str(candidate)
    return shutil.which("trackio") or "trackio"


configure()
