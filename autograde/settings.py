"""Every ``WEEK08_*`` setting of the grader, with its default and what it does: read once, passed down.

``make grade`` reads :class:`Settings` from the environment once (:meth:`Settings.from_environ`)
and hands it to the stages that need it, as nbgrader's traitlets and otter-grader's
configuration keys do. ``python -m autograde.settings`` prints the table.

The student package (:mod:`helpers`) reads its own four variables where they are
used (students set them before starting JupyterLab); they are listed here too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields


def _setting(default: object, help: str) -> object:  # noqa: A002 - the traitlets word
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """The grader's settings; each field is the variable ``WEEK08_<FIELD NAME IN CAPITALS>``."""

    cell_timeout: int = _setting(60, "seconds one notebook cell, and one call of a student's function by the "
                                     "grader, may take")
    submission_timeout: int = _setting(900, "seconds one student's whole nbgrader run may take")
    memory_mb: int = _setting(6144, "address-space limit of every sandboxed process (RLIMIT_AS), in MB")
    max_processes: int = _setting(128, "processes one submission may have at once (pids cgroup)")
    max_file_mb: int = _setting(1024, "largest file a submission may write (RLIMIT_FSIZE), in MB")
    max_output_mb: int = _setting(50, "largest graded notebook copied back from a sandbox, in MB")
    jobs: int = _setting(0, "students graded at once (0: one per core)")
    scheduler: str = _setting("", "address of a Dask scheduler (tcp://HOST:8786): grade each student on its workers "
                                  "(docs/scaling.md); empty: on this machine")
    sandbox: str = _setting("bwrap", "isolation: bwrap (bubblewrap: own PID namespace, private /tmp and /dev/shm; "
                                     "used when installed) or unshare (the older fallback, no PID namespace)")
    lms: str = _setting("", "canvas or moodle: make grade also writes grades_<lms>.csv (the LMS's gradebook import) "
                            "and feedback_<lms>.zip (for its bulk upload); make collect reads that LMS's download")
    roster: str = _setting("", "CSV mapping LMS ids to student ids (columns student_id, lms_id, name, email, ...; "
                               "default: roster.csv in the course folder when there is one)")
    lms_assignment: str = _setting("Week 8 labs", "title of the grade column in the LMS export (Canvas: "
                                                  "'Name (id)' updates that existing assignment)")
    lms_columns: str = _setting("total", "total (one grade column) or notebooks (one per notebook) in the LMS export")
    # Read by helpers/ (the student package), listed for completeness:
    fast: str = _setting("", "helpers: 1 for the small budgets the grader uses")
    data_dir: str = _setting("", "helpers: another folder for the datasets")
    trackio_dir: str = _setting("", "helpers: where trackio keeps its projects (default <course>/.trackio)")
    deferred_checks: str = _setting("", "helpers: 1 (set by the grader in the sandbox) makes a check cell only say "
                                        "that the grader runs the check itself")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f"WEEK08_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            try:
                values[f.name] = type(f.default)(raw)
            except ValueError:
                raise SystemExit(f"WEEK08_{f.name.upper()}={raw!r}: expected {type(f.default).__name__} "
                                 f"({f.metadata['help']})") from None
        return cls(**values)

    def limits(self):  # noqa: ANN201 - autograde.sandbox.Limits
        from autograde.sandbox import Limits

        return Limits(memory_mb=self.memory_mb, max_processes=self.max_processes, max_file_mb=self.max_file_mb)

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1

    def table(self) -> str:
        rows = [f"WEEK08_{f.name.upper():<20} {getattr(self, f.name)!s:<8} {f.metadata['help']}" for f in fields(self)]
        return "\n".join(rows)


if __name__ == "__main__":
    print(Settings.from_environ().table())
