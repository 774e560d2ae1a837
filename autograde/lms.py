"""From the LMS and back: ``make collect`` turns an LMS download into ``submitted/``.

The route a TA takes with Canvas or Moodle (README, "For TAs"):

1. download every submission of the assignment as one zip (Canvas: *Download Submissions*;
   Moodle: *Download all submissions*) and export a roster (``roster.csv``, below);
2. ``make collect ZIP=download.zip LMS=canvas ROSTER=roster.csv``: nbgrader's ``zip_collect``
   extracts the zip into ``downloaded/week08/extracted/`` and copies each notebook to
   ``submitted/<student id>/week08/`` (:class:`LmsCollector` reads the LMS's file names);
3. ``make grade LMS=canvas ROSTER=roster.csv``: grades, and writes ``grades_canvas.csv`` (the
   LMS's gradebook import) and ``feedback_canvas.zip`` (one file per student, named so the LMS
   attaches it to that student's submission) next to ``grades.csv``
   (:mod:`autograde.outputs.lms_export`).

**The roster** (CSV, one row per student) maps LMS ids to the student ids the grader uses:
``student_id`` and ``lms_id`` are required (Canvas: the numeric user id in its file names; Moodle:
the participant id), and ``name``, ``email``, ``username``, ``sis_user_id``, ``sis_login_id``,
``section`` fill the identity columns of the grade exports. Without a roster the LMS id is the
student id.

**File names** are untrusted: a student chooses the file's name (Canvas and Moodle keep it) and,
in Moodle, the display name that prefixes it. So the patterns are pinned to the end of the name:
the *first* id-like part of a name is the LMS's id (the name before it may not hold one), and it
must be followed directly by one of the assignment's notebooks (or its copy: Canvas's ``-1`` for a
second upload of the same name, a browser's `` (1)``). So a display name such as
``Eve_99999_assignsubmission_file_``, or an uploaded file named ``x_99999_501_01_x.ipynb``,
claims nobody: the file is skipped, and the skip is reported to the TA. nbgrader matches ``named_regexp`` against the *full path* of each extracted
file (``re.match``), so every pattern starts with ``^(?:.*/)?``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin
from traitlets import Unicode

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.submissions import NOT_STUDENTS, student_id_problem

#: The LMS formats ``make collect`` and the exports know.
LMS_NAMES = ("canvas", "moodle")
#: A notebook's copy suffix: Canvas's ``-1`` (the same name uploaded again), a browser's `` (1)``.
COPY = r"(?:-(?P<resubmission>\d+)|\s\((?P<copy>\d+)\))?"
#: Patterns (nbgrader's ``FileNameCollectorPlugin.named_regexp``), ``{notebooks}`` being the
#: alternation of the assignment's notebook names. Canvas: ``doejane_12345_67890_01_x.ipynb``
#: (``doejane_late_...`` when late). Moodle: ``Jane Doe_12345_assignsubmission_file_01_x.ipynb``,
#: or the same prefix as a folder (``..._file_/01_x.ipynb``, "download submissions in folders").
PATTERNS = {
    "canvas": r"^(?:.*/)?(?P<name>(?:(?!(?:_late)?_\d+_\d+_)[^/])+)(?P<late>_late)?_(?P<lms_id>\d+)_(?P<submission_id>\d+)_"
              r"(?P<file_id>{notebooks})" + COPY + r"\.ipynb$",
    "moodle": r"^(?:.*/)?(?P<name>(?:(?!_\d+_assignsubmission_)[^/])+)_(?P<lms_id>\d+)_assignsubmission_file_/?"
              r"(?P<file_id>{notebooks})" + COPY + r"\.ipynb$",
}
#: Largest LMS download ``make collect`` unpacks (sum of its files' sizes), and largest single file.
MAX_DOWNLOAD_BYTES = 4 * 1024**3
MAX_FILE_BYTES = 64 * 1024**2


def named_regexp(lms: str, notebooks: list[str]) -> str:
    """The ``named_regexp`` for ``lms`` over the assignment's ``notebooks`` (names without ``.ipynb``)."""
    if lms not in PATTERNS:
        raise SystemExit(f"LMS={lms!r}: expected one of {', '.join(LMS_NAMES)}")
    return PATTERNS[lms].format(notebooks="|".join(re.escape(n) for n in sorted(notebooks, key=len, reverse=True)))


def check_export_settings(settings, root: Path = COURSE_ROOT) -> None:  # noqa: ANN001 - Settings
    """Stop with one line when ``WEEK08_LMS``, ``WEEK08_LMS_COLUMNS`` or the roster is wrong."""
    named_regexp(settings.lms, [])
    if settings.lms_columns not in ("total", "notebooks"):
        raise SystemExit(f"WEEK08_LMS_COLUMNS={settings.lms_columns!r}: expected total or notebooks")
    read_roster(settings.roster, root)


# -- the roster -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterEntry:
    """One student of the roster: the grader's id, the LMS's id, and identity fields for the exports."""

    student_id: str
    lms_id: str
    name: str = ""
    email: str = ""
    username: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""


@dataclass(frozen=True)
class Roster:
    """The students of a class, by LMS id (``roster.csv``)."""

    entries: tuple[RosterEntry, ...]

    @classmethod
    def read(cls, path: Path) -> Roster:
        """Read and check ``path``; a problem stops with one line naming the row."""
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"student_id", "lms_id"} - set(reader.fieldnames or ())
            if missing:
                raise SystemExit(f"{path}: the roster needs the columns student_id and lms_id "
                                 f"(missing: {', '.join(sorted(missing))})")
            known = set(RosterEntry.__dataclass_fields__)
            entries = []
            for line, row in enumerate(reader, start=2):
                entry = RosterEntry(**{k: (v or "").strip() for k, v in row.items() if k in known})
                problem = student_id_problem(entry.student_id) or ("" if entry.lms_id else "lms_id is empty")
                if problem:
                    raise SystemExit(f"{path}, line {line}: {problem} ({entry.student_id!r})")
                entries.append(entry)
        for attribute in ("student_id", "lms_id"):
            values = [getattr(e, attribute) for e in entries]
            twice = sorted({v for v in values if values.count(v) > 1})
            if twice:
                raise SystemExit(f"{path}: {attribute} {', '.join(twice)} appears more than once")
        return cls(tuple(entries))

    @classmethod
    def none(cls) -> Roster:
        return cls(())

    def by_lms_id(self, lms_id: str) -> RosterEntry | None:
        """The roster's entry, or without a roster one whose student id is the LMS id."""
        if not self.entries:
            return RosterEntry(student_id=lms_id, lms_id=lms_id)
        return next((e for e in self.entries if e.lms_id == lms_id), None)

    def by_student(self, student: str) -> RosterEntry | None:
        if not self.entries:
            return RosterEntry(student_id=student, lms_id=student)
        return next((e for e in self.entries if e.student_id == student), None)


def read_roster(path: str | Path | None, root: Path = COURSE_ROOT) -> Roster:
    """The roster at ``path`` (relative to ``root``), ``roster.csv`` in ``root`` when it exists, or none."""
    if path:
        path = Path(path) if Path(path).is_absolute() else root / path
        if not path.is_file():
            raise SystemExit(f"no roster at {path}")
        return Roster.read(path)
    default = root / "roster.csv"
    return Roster.read(default) if default.is_file() else Roster.none()


# -- what was collected (downloaded/week08/collected.json) ----------------------------------------


@dataclass(frozen=True)
class CollectedFile:
    """One notebook copied into ``submitted/``, and the LMS file it came from."""

    notebook: str  # "01_manual_grid_search.ipynb"
    source: str  # path inside the download


@dataclass(frozen=True)
class CollectedStudent:
    """One student's part of an LMS download."""

    student_id: str
    lms_id: str
    name: str  # as the LMS wrote it in the file names
    late: bool
    upload_prefix: str  # the start of the LMS's file names for this student, for feedback sent back
    files: tuple[CollectedFile, ...]


@dataclass(frozen=True)
class Skipped:
    """A file of the download that was not collected, and why (the grader's words)."""

    source: str
    reason: str


@dataclass(frozen=True)
class Collection:
    """What one ``make collect`` did: the manifest written next to the download."""

    lms: str
    students: tuple[CollectedStudent, ...] = ()
    skipped: tuple[Skipped, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Collection:
        data = json.loads(text)
        students = tuple(CollectedStudent(**{**s, "files": tuple(CollectedFile(**f) for f in s["files"])})
                         for s in data["students"])
        return cls(data["lms"], students, tuple(Skipped(**s) for s in data["skipped"]))

    def student(self, student_id: str) -> CollectedStudent | None:
        return next((s for s in self.students if s.student_id == student_id), None)


def manifest_path(root: Path) -> Path:
    return root / "downloaded" / ASSIGNMENT / "collected.json"


def read_collection(root: Path) -> Collection | None:
    path = manifest_path(root)
    return Collection.from_json(path.read_text()) if path.is_file() else None


# -- nbgrader plugins -----------------------------------------------------------------------------


def plan(files: list[Path], extracted: Path, lms: str, notebooks: list[str], roster: Roster) -> Collection:
    """Decide, for every extracted file, whether it is collected and for whom.

    When one student's download holds the same notebook more than once (``01_x.ipynb`` and
    ``01_x-1.ipynb``), the highest copy number is the newest upload and is kept.
    """
    pattern = re.compile(named_regexp(lms, notebooks))
    skipped: list[Skipped] = []
    best: dict[tuple[str, str], tuple[int, str, dict, RosterEntry]] = {}
    for path in sorted(files):
        relative = path.relative_to(extracted).as_posix()
        parts = relative.split("/")
        if any(p in NOT_STUDENTS or p.startswith("._") for p in parts):
            continue  # a tool's leftovers (macOS resource forks, checkpoints): not a submission
        match = pattern.match(str(path))
        if not match:
            reason = ("not a notebook" if path.suffix != ".ipynb" else
                      f"the name does not look like a {lms.capitalize()} download of one of this "
                      f"assignment's notebooks ({', '.join(sorted(notebooks))})")
            skipped.append(Skipped(relative, reason))
            continue
        groups = match.groupdict()
        entry = roster.by_lms_id(groups["lms_id"])
        if entry is None:
            skipped.append(Skipped(relative, f"LMS id {groups['lms_id']} is not in the roster"))
            continue
        number = int(groups.get("resubmission") or groups.get("copy") or 0)
        key = (entry.student_id, groups["file_id"])
        if key in best and best[key][0] >= number:
            skipped.append(Skipped(relative, f"an older copy of {groups['file_id']}.ipynb (kept {best[key][1]})"))
            continue
        if key in best:
            skipped.append(Skipped(best[key][1], f"an older copy of {groups['file_id']}.ipynb (kept {relative})"))
        best[key] = (number, relative, groups, entry)
    students: dict[str, CollectedStudent] = {}
    for (student, file_id), (_, relative, groups, entry) in sorted(best.items()):
        end = match_end_of_prefix(relative, groups, lms)
        old = students.get(student)
        files = (old.files if old else ()) + (CollectedFile(f"{file_id}.ipynb", relative),)
        students[student] = CollectedStudent(student, entry.lms_id, groups["name"], bool(groups.get("late")),
                                             end, files)
    return Collection(lms, tuple(students.values()), tuple(sorted(skipped, key=lambda s: s.source)))


def match_end_of_prefix(relative: str, groups: dict, lms: str) -> str:
    """The start of the LMS's own file name for this student (``doejane_12345_67890_``)."""
    if lms == "canvas":
        return f"{groups['name']}{groups.get('late') or ''}_{groups['lms_id']}_{groups['submission_id']}_"
    return f"{groups['name']}_{groups['lms_id']}_assignsubmission_file_"


class LmsCollector(FileNameCollectorPlugin):
    """nbgrader's file-name collector for Canvas and Moodle downloads, with a roster.

    On its first file it plans the whole extracted folder (:func:`plan`): LMS ids become student
    ids, only the newest copy of a notebook is collected, and each notebook's name loses its copy
    suffix. The plan is written to ``plan_file`` for ``make collect`` to keep once nbgrader is done.
    """

    lms = Unicode("canvas", help="canvas or moodle").tag(config=True)
    roster = Unicode("", help="roster.csv mapping LMS ids to student ids (empty: the LMS id is the id)").tag(
        config=True)
    extracted = Unicode("", help="the extracted folder nbgrader collects from").tag(config=True)
    plan_file = Unicode("", help="where the plan (a Collection as JSON) is written").tag(config=True)

    _decided: dict[str, tuple[str, str]] | None = None

    def _plan(self) -> dict[str, tuple[str, str]]:
        extracted = Path(self.extracted)
        notebooks = [p.stem for p in (Path(self.parent.coursedir.format_path(
            self.parent.coursedir.release_directory, ".", self.parent.coursedir.assignment_id))).glob("*.ipynb")]
        roster = Roster.read(Path(self.roster)) if self.roster else Roster.none()
        collection = plan([p for p in extracted.rglob("*") if p.is_file()], extracted, self.lms, notebooks, roster)
        if self.plan_file:
            Path(self.plan_file).write_text(collection.to_json())
        return {str(extracted / f.source): (s.student_id, f.notebook) for s in collection.students for f in s.files}

    def collect(self, submitted_file: str) -> dict | None:
        if self._decided is None:
            self._decided = self._plan()
        decided = self._decided.get(str(Path(submitted_file)))
        if decided is None:
            return None
        student, notebook = decided
        return {"student_id": student, "file_id": notebook}


class CheckedExtractor(ExtractorPlugin):
    """nbgrader's extractor, refusing what no LMS download holds: a zip bomb, a huge file.

    Archives students uploaded inside the download are not unpacked (they are reported as
    skipped): only the LMS's own zip is.
    """

    def extract(self, archive_path: str, extracted_path: str) -> None:
        for archive in sorted(Path(archive_path).rglob("*.zip")):
            zip_problem = download_problem(archive)
            if zip_problem:
                raise SystemExit(f"{archive.name}: {zip_problem}")
        from nbgrader.utils import unzip

        for archive in sorted(Path(archive_path).rglob("*")):
            if archive.suffix == ".zip":
                unzip(str(archive), extracted_path, zip_ext=[".zip"], create_own_folder=True, tree=False)
            elif archive.is_file():
                shutil.copy(archive, extracted_path)


def download_problem(archive: Path) -> str | None:
    """Why ``archive`` is not unpacked (None when it may be): too large, or not a zip."""
    try:
        with zipfile.ZipFile(archive) as handle:
            infos = handle.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        return f"not a zip file that can be read ({error})"
    total = sum(i.file_size for i in infos)
    if total > MAX_DOWNLOAD_BYTES:
        return f"unpacks to {total / 1024**3:.1f} GB (more than {MAX_DOWNLOAD_BYTES / 1024**3:.0f} GB): not unpacked"
    big = next((i for i in infos if i.file_size > MAX_FILE_BYTES), None)
    if big:
        return f"holds {big.filename!r} of {big.file_size / 1024**2:.0f} MB: not unpacked"
    return None


# -- make collect ---------------------------------------------------------------------------------


def collect(download: Path, lms: str, roster_path: str | Path | None = None, root: Path = COURSE_ROOT,
            submitted: Path | None = None) -> Collection:
    """Copy the notebooks of an LMS ``download`` (a zip) into ``submitted/<student>/week08/``.

    Runs ``nbgrader zip_collect`` with :class:`CheckedExtractor` and :class:`LmsCollector`; the
    download goes to ``downloaded/week08/archive/`` first (replacing an earlier one). Students in the
    download have their submitted folder replaced; others are left as they were. Returns the
    :class:`Collection`, also written to ``downloaded/week08/collected.json``.
    """
    from autograde.nbgrader_cli import run_nbgrader

    named_regexp(lms, [])  # a wrong LMS stops here, in one line
    roster = read_roster(roster_path, root)  # checked before anything is copied
    if not download.is_file():
        raise SystemExit(f"ZIP={download}: no such file")
    problem = download_problem(download)
    if problem:
        raise SystemExit(f"{download}: {problem}")
    base = root / "downloaded" / ASSIGNMENT
    archive = base / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir(parents=True)
    shutil.copyfile(download, archive / download.name)
    (base / "extracted").mkdir(exist_ok=True)
    plan_file = base / "plan.json"
    plan_file.unlink(missing_ok=True)
    roster_file = ""
    if roster.entries:
        roster_file = str(Path(roster_path) if roster_path and Path(roster_path).is_absolute()
                          else root / (roster_path or "roster.csv"))
    submitted = (submitted or root / "submitted").resolve()
    outcome = run_nbgrader([
        "zip_collect", ASSIGNMENT, "--force",
        "--ZipCollectApp.extractor_plugin=autograde.lms.CheckedExtractor",
        "--ZipCollectApp.collector_plugin=autograde.lms.LmsCollector",
        f"--LmsCollector.lms={lms}", f"--LmsCollector.roster={roster_file}",
        f"--LmsCollector.extracted={base / 'extracted'}", f"--LmsCollector.plan_file={plan_file}",
        f"--CourseDirectory.submitted_directory={submitted}",
    ], course_root=root, check=False, capture=True)
    if outcome.returncode != 0 or not plan_file.is_file():
        last = [line for line in (outcome.stderr or "").splitlines() if line.strip()][-3:]
        raise SystemExit("nbgrader zip_collect failed:\n  " + "\n  ".join(last))
    collection = Collection.from_json(plan_file.read_text())
    plan_file.replace(manifest_path(root))
    return collection


def summary(collection: Collection, submitted: Path) -> str:
    lines = [f"collected {sum(len(s.files) for s in collection.students)} notebooks of "
             f"{len(collection.students)} students into {submitted}"]
    late = [s.student_id for s in collection.students if s.late]
    if late:
        lines.append(f"marked late by the LMS: {', '.join(late)}")
    for item in collection.skipped:
        lines.append(f"skipped {item.source}: {item.reason}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograde.lms",
                                     description="LMS download to submitted/ (collect); grade exports (export).")
    verbs = parser.add_subparsers(dest="verb", required=True)
    take = verbs.add_parser("collect", help="an LMS download (zip) into submitted/<student>/week08/")
    take.add_argument("zip", type=Path)
    give = verbs.add_parser("export", help="the LMS's grade import and feedback files, from the gradebook")
    for verb in (take, give):
        verb.add_argument("--lms", default=os.environ.get("WEEK08_LMS") or "canvas", choices=LMS_NAMES)
        verb.add_argument("--roster", default=os.environ.get("WEEK08_ROSTER") or None,
                          help="roster.csv (default: roster.csv in the course folder, when there is one)")
    take.add_argument("--submitted", type=Path, default=None, help="default: submitted/")
    args = parser.parse_args(argv)
    if args.verb == "collect":
        submitted = (args.submitted or COURSE_ROOT / "submitted").resolve()
        print(summary(collect(args.zip.resolve(), args.lms, args.roster, submitted=submitted), submitted))
        print(f"next: make grade LMS={args.lms}" + (f" ROSTER={args.roster}" if args.roster else "")
              + (f" SUBMITTED={submitted}" if args.submitted else ""))
        return 0
    from autograde.outputs.lms_export import export
    from autograde.settings import Settings

    settings = Settings.from_environ()
    for line in export(COURSE_ROOT, args.lms, read_roster(args.roster), settings):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
