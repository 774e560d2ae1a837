"""From the LMS and back: a Canvas or Moodle download into submitted/, grades and feedback back out."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograde import ASSIGNMENT
from autograde.grade import grade_class
from autograde.lms import (
    Collection,
    Roster,
    RosterEntry,
    collect,
    download_problem,
    plan,
    read_collection,
)
from autograde.outputs.export import Column
from autograde.outputs.lms_export import GradeColumn, grade_rows
from autograde.settings import Settings
from tests.corpus import NOTEBOOK, make_tiny_course, submission

NOTEBOOKS = ["01_manual_grid_search", "02_grid_vs_random"]
ROSTER = ("student_id,lms_id,name,email,username,sis_user_id,sis_login_id,section\n"
          "ann,1001,\"Ames, Ann\",ann@uni.example,ann,S1,ann.ames,A\n"
          "ben,1002,\"Bell, Ben\",ben@uni.example,ben,S2,ben.bell,A\n"
          "dan,1004,\"Dunn, Dan\",dan@uni.example,dan,S4,dan.dunn,B\n")


def _plan(names: list[str], lms: str = "canvas", roster: Roster | None = None) -> Collection:
    extracted = Path("/course/downloaded/week08/extracted")
    return plan([extracted / n for n in names], extracted, lms, NOTEBOOKS, roster or Roster.none())


def _roster(tmp_path: Path) -> Roster:
    (tmp_path / "roster.csv").write_text(ROSTER)
    return Roster.read(tmp_path / "roster.csv")


# -- file names ---------------------------------------------------------------------------------


def test_canvas_names_give_the_lms_id_the_notebook_and_the_late_mark():
    got = _plan(["submissions/amesann_1001_501_01_manual_grid_search.ipynb",
                 "submissions/bellben_late_1002_502_02_grid_vs_random.ipynb"])
    ann, ben = got.students
    assert (ann.student_id, ann.late, ann.files[0].notebook) == ("1001", False, "01_manual_grid_search.ipynb")
    assert ann.upload_prefix == "amesann_1001_501_"
    assert (ben.student_id, ben.late, ben.upload_prefix) == ("1002", True, "bellben_late_1002_502_")


def test_the_newest_copy_of_a_notebook_is_collected_and_the_older_reported():
    got = _plan(["s/amesann_1001_501_01_manual_grid_search.ipynb",
                 "s/amesann_1001_501_01_manual_grid_search-2.ipynb",
                 "s/amesann_1001_501_01_manual_grid_search-1.ipynb",
                 "s/amesann_1001_501_02_grid_vs_random (1).ipynb"])
    (ann,) = got.students
    assert [(f.notebook, f.source) for f in ann.files] == [
        ("01_manual_grid_search.ipynb", "s/amesann_1001_501_01_manual_grid_search-2.ipynb"),
        ("02_grid_vs_random.ipynb", "s/amesann_1001_501_02_grid_vs_random (1).ipynb")]
    assert sorted(s.source for s in got.skipped) == ["s/amesann_1001_501_01_manual_grid_search-1.ipynb",
                                                     "s/amesann_1001_501_01_manual_grid_search.ipynb"]
    assert all("older copy" in s.reason for s in got.skipped)


def test_other_files_are_skipped_with_the_reason_and_tool_leftovers_silently():
    got = _plan(["s/amesann_1001_501_notes.py", "s/amesann_1001_501_03_other.ipynb",
                 "__MACOSX/s/._amesann_1001_501_01_manual_grid_search.ipynb", "s/.ipynb_checkpoints/x.ipynb"])
    assert not got.students
    assert {s.source: s.reason.split(" (")[0] for s in got.skipped} == {
        "s/amesann_1001_501_notes.py": "not a notebook",
        "s/amesann_1001_501_03_other.ipynb":
            "the name does not look like a Canvas download of one of this assignment's notebooks"}


def test_roster_maps_lms_ids_and_an_unknown_id_is_skipped(tmp_path):
    got = _plan(["s/amesann_1001_501_01_manual_grid_search.ipynb", "s/eveeve_1666_503_01_manual_grid_search.ipynb"],
                roster=_roster(tmp_path))
    assert [s.student_id for s in got.students] == ["ann"]
    assert [s.reason for s in got.skipped] == ["LMS id 1666 is not in the roster"]


@pytest.mark.parametrize("name", [
    "Jane Doe_2001_assignsubmission_file_01_manual_grid_search.ipynb",  # flat download
    "Jane Doe_2001_assignsubmission_file_/01_manual_grid_search.ipynb",  # "download submissions in folders"
])
def test_moodle_names_give_the_participant_id(name):
    (jane,) = _plan([f"archive/{name}"], lms="moodle").students
    assert (jane.student_id, jane.name, jane.upload_prefix) == ("2001", "Jane Doe",
                                                                 "Jane Doe_2001_assignsubmission_file_")


def test_a_display_name_cannot_claim_another_participants_id():
    # Eve (participant 2002) names herself "Eve_2001_assignsubmission_file_" to be graded as 2001: she is not,
    # and her file is reported as skipped for the TA to look at.
    got = _plan(["a/Eve_2001_assignsubmission_file__2002_assignsubmission_file_/01_manual_grid_search.ipynb",
                 "a/Eve_2001_assignsubmission_file__2002_assignsubmission_file_01_manual_grid_search.ipynb",
                 "a/Eve_2002_assignsubmission_file_x_2001_assignsubmission_file_01_manual_grid_search.ipynb"],
                lms="moodle")
    assert not got.students
    assert len(got.skipped) == 3


def test_an_uploaded_file_name_cannot_claim_another_canvas_student():
    # Canvas keeps the student's own file name after its prefix: only an exact notebook name is collected.
    got = _plan(["s/evesmith_1666_503_x_1001_501_01_manual_grid_search.ipynb",
                 "s/eve_1001_501_smith_1666_503_01_manual_grid_search.ipynb"])
    assert not got.students


def test_the_collection_round_trips_through_json():
    got = _plan(["s/amesann_1001_501_01_manual_grid_search.ipynb", "s/x.py"])
    assert Collection.from_json(got.to_json()) == got


# -- the roster -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("student_id,name\nann,Ann\n", "needs the columns student_id and lms_id"),
    ("student_id,lms_id\nann,1\nben,1\n", "lms_id 1 appears more than once"),
    ("student_id,lms_id\n../x,1\n", "line 2"),
    ("student_id,lms_id\nann,\n", "lms_id is empty"),
])
def test_a_wrong_roster_stops_with_the_row(tmp_path, text, message):
    (tmp_path / "roster.csv").write_text(text)
    with pytest.raises(SystemExit, match=message):
        Roster.read(tmp_path / "roster.csv")


def test_a_download_too_large_to_unpack_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "d.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("a.ipynb", "0" * 100_000)  # compresses to almost nothing: a small zip bomb
    assert download_problem(path) is None
    monkeypatch.setattr("autograde.lms.MAX_FILE_BYTES", 50_000)
    assert "not unpacked" in download_problem(path)
    (tmp_path / "e.zip").write_text("not a zip")
    assert "not a zip file" in download_problem(tmp_path / "e.zip")


# -- the exports, parsed as the LMS documents them --------------------------------------------------


def _export_rows(lms, roster):
    cols = [Column("01", "01", None, 10.0), Column("01:q", "01", "q", 10.0)]
    grade_cols = [GradeColumn("Week 8 labs", (cols[0],))]
    return grade_rows(lms, roster, ["ann", "cat"], {"ann": {"01": 7.5}, "cat": {"01": 3.0}}, grade_cols)


def test_canvas_import_has_identity_columns_a_points_possible_row_and_the_grades(tmp_path):
    rows, ungraded, not_on_roster = _export_rows("canvas", _roster(tmp_path))
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    parsed = list(csv.reader(io.StringIO(text.getvalue())))
    assert parsed[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Week 8 labs"]
    assert parsed[1] == ["Points Possible", "", "", "", "", "10"]
    assert parsed[2] == ["Ames, Ann", "1001", "S1", "ann.ames", "A", "7.5"]
    assert parsed[3][1] == "1002" and parsed[3][5] == ""  # on the roster, no submission: Canvas keeps its grade
    assert (ungraded, not_on_roster) == (["ben", "dan"], ["cat"])


def test_moodle_import_has_username_email_and_grade_and_no_extra_row(tmp_path):
    rows, *_ = _export_rows("moodle", _roster(tmp_path))
    assert rows[0] == ["Username", "Email address", "ID number", "Week 8 labs"]
    assert rows[1] == ["ann", "ann@uni.example", "S1", "7.5"]
    assert all(float(r[3]) >= 0 for r in rows[1:] if r[3])


def test_a_display_name_that_looks_like_a_formula_is_not_one():
    roster = Roster((RosterEntry("ann", "1001", name="=HYPERLINK(\"x\")"),))
    rows, *_ = grade_rows("canvas", roster, ["ann"], {"ann": {}}, [])
    assert rows[2][0].startswith("'=")


# -- the whole route: a Canvas zip, grades, exports -----------------------------------------------------


def _canvas_zip(path: Path, root: Path) -> Path:
    good = nbformat.writes(submission(root))
    wrong = nbformat.writes(submission(root, wrong=True))
    with zipfile.ZipFile(path, "w") as out:
        out.writestr(f"amesann_1001_501_{NOTEBOOK}.ipynb", good)
        out.writestr(f"bellben_late_1002_502_{NOTEBOOK}.ipynb", good)  # first upload
        out.writestr(f"bellben_late_1002_502_{NOTEBOOK}-1.ipynb", wrong)  # the resubmission, graded
        out.writestr("bellben_late_1002_502_notes.txt", "hello")
        out.writestr(f"__MACOSX/._amesann_1001_501_{NOTEBOOK}.ipynb", "junk")
        out.writestr(f"evesmith_1666_503_{NOTEBOOK}.ipynb", good)  # not on the roster
    return path


@pytest.mark.slow
def test_a_canvas_zip_becomes_grades_and_feedback_canvas_imports(tmp_path):
    root = make_tiny_course(tmp_path / "course")
    (root / "roster.csv").write_text(ROSTER)
    download = _canvas_zip(tmp_path / "submissions.zip", root)

    got = collect(download, "canvas", "roster.csv", root=root)

    submitted = root / "submitted"
    assert sorted(p.relative_to(submitted).as_posix() for p in submitted.rglob("*") if p.is_file()) == [
        f"ann/{ASSIGNMENT}/{NOTEBOOK}.ipynb", f"ben/{ASSIGNMENT}/{NOTEBOOK}.ipynb"]
    assert "return a - b" in (submitted / "ben" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_text()  # the -1
    assert read_collection(root) == got
    assert {s.reason.split(" (")[0] for s in got.skipped} == {"LMS id 1666 is not in the roster", "not a notebook",
                                                               "an older copy of 01_tiny.ipynb"}

    settings = dataclasses.replace(Settings.from_environ(), lms="canvas", roster="roster.csv")
    grade_class(submitted, root=root, settings=settings)

    with (root / "grades_canvas.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1][0] == "Points Possible" and float(rows[1][5]) > 0
    by_id = {r[1]: r for r in rows[2:]}
    assert set(by_id) == {"1001", "1002", "1004"}
    assert float(by_id["1001"][5]) > float(by_id["1002"][5])  # ann right, ben's resubmission wrong
    assert by_id["1004"][5] == ""  # dan submitted nothing: Canvas keeps what it has
    with (root / "grades.csv").open() as handle:
        totals = {r["student"]: r["total"] for r in csv.DictReader(handle)}
    assert by_id["1001"][5] == totals["ann"]

    with zipfile.ZipFile(root / "feedback_canvas.zip") as bundle:
        names = bundle.namelist()
        assert names == [f"amesann_1001_501_{ASSIGNMENT}_feedback.zip", f"bellben_late_1002_502_{ASSIGNMENT}_feedback.zip"]
        with zipfile.ZipFile(io.BytesIO(bundle.read(names[0]))) as ann:
            assert f"{ASSIGNMENT}/index.html" in ann.namelist()
            assert "feedback for ann" in ann.read(f"{ASSIGNMENT}/index.html").decode()


@pytest.mark.slow
def test_a_moodle_download_in_folders_is_collected_by_participant_id(tmp_path):
    root = make_tiny_course(tmp_path / "course")
    path = tmp_path / "moodle.zip"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr(f"Ann Ames_2001_assignsubmission_file_/{NOTEBOOK}.ipynb", nbformat.writes(submission(root)))
        out.writestr("Ann Ames_2001_assignsubmission_onlinetext_/onlinetext.html", "<p>hi</p>")
    got = collect(path, "moodle", None, root=root)
    assert [(s.student_id, s.upload_prefix) for s in got.students] == [("2001", "Ann Ames_2001_assignsubmission_file_")]
    assert (root / "submitted" / "2001" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file()
