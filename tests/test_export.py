"""grades.csv is safe to open in a spreadsheet (autograde.outputs.export)."""

from __future__ import annotations

import csv

from autograde.outputs.export import Column, spreadsheet_safe, write_grades

COLS = [Column("01_tiny", "01_tiny", None, 2.0), Column("01_tiny:test_add", "01_tiny", "test_add", 1.0)]
NAMES = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)", "\tx", "\rcmd", "alice"]


def test_a_student_name_that_looks_like_a_formula_is_written_as_text(tmp_path):
    path = tmp_path / "grades.csv"
    write_grades(path, COLS, {name: {"01_tiny": 1.5, "01_tiny:test_add": 1.0} for name in NAMES},
                 {name: "ok" for name in NAMES})
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    students = {row["student"] for row in rows}
    for name in NAMES:
        expected = name if name == "alice" else "'" + name.replace("\r", "\ufffd")
        assert expected in students
    for row in rows:
        assert not row["student"].startswith(("=", "+", "-", "@", "\t", "\r"))
        if row["student"] != "max_points":
            assert (row["total"], row["01_tiny"], row["01_tiny:test_add"]) == ("1.5", "1.5", "1")  # numbers stay


def test_ordinary_text_is_left_alone():
    assert spreadsheet_safe("alice") == "alice" and spreadsheet_safe("timed out") == "timed out"
    assert spreadsheet_safe("a=b") == "a=b"
