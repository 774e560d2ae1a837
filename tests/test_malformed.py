"""Malformed submissions: each gets a row in grades.csv and a clear message in its feedback."""

from __future__ import annotations

import csv
import json
import os

import nbformat
import pytest

from autograde.grade import grade_class
from tests.corpus import NOTEBOOK, make_tiny_course, submission, write

pytestmark = pytest.mark.slow


def _cases(root):
    good = submission(root)
    raw = json.loads(nbformat.writes(good))
    cases = {
        "invalid_json": ('{"cells": [ oops', "not valid notebook JSON"),
        "empty_file": ("", "empty"),
        "nbformat_3": (nbformat.writes(nbformat.convert(good, 3)), "format 3"),
        "megabytes_of_output": (None, "clear the outputs"),
        "missing_notebook": (None, "missing from the submission"),
        "renamed_notebook": (None, "graded as 01_tiny"),
        "extra_notebooks": (None, "not part of the assignment"),
        "duplicate_grade_ids": (None, ""),
        "test_cell_as_markdown": (None, ""),
        "stripped_metadata": (None, ""),
    }
    dup = json.loads(json.dumps(raw))
    solution = next(c for c in dup["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "add")
    dup["cells"].append(json.loads(json.dumps(solution)) | {"id": "copied-cell"})
    markdown = json.loads(json.dumps(raw))
    test_cell = next(c for c in markdown["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "test_add")
    test_cell.update(cell_type="markdown")
    test_cell.pop("outputs"), test_cell.pop("execution_count")
    stripped = json.loads(json.dumps(raw))
    for cell in stripped["cells"]:
        cell["metadata"] = {}
    big = json.loads(json.dumps(raw))
    big["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * (25 * 1024 * 1024)}]
    cases["duplicate_grade_ids"] = (json.dumps(dup), "")
    cases["test_cell_as_markdown"] = (json.dumps(markdown), "")
    cases["stripped_metadata"] = (json.dumps(stripped), "")
    cases["megabytes_of_output"] = (json.dumps(big), "clear the outputs")
    return cases, nbformat.writes(good)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = make_tiny_course(tmp_path_factory.mktemp("malformed") / "course")
    submitted = root / "submitted"
    cases, good = _cases(root)
    for student, (content, _) in cases.items():
        if content is not None:
            write(content, submitted, student)
    (submitted / "missing_notebook" / "week08").mkdir(parents=True)
    write(good, submitted, "renamed_notebook", name=f"{NOTEBOOK} (1)")
    write(good, submitted, "extra_notebooks")
    write(good, submitted, "extra_notebooks", name="scratch_work")
    os.environ["WEEK08_CELL_TIMEOUT"] = "10"
    try:
        grade_class(submitted, root=root)
    finally:
        os.environ.pop("WEEK08_CELL_TIMEOUT")
    with (root / "grades.csv").open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"root": root, "rows": rows, "cases": cases}


def test_every_malformed_submission_has_a_row(graded):
    assert set(graded["cases"]) <= set(graded["rows"])


@pytest.mark.parametrize("student", ["invalid_json", "empty_file", "nbformat_3", "megabytes_of_output",
                                     "missing_notebook", "renamed_notebook", "extra_notebooks",
                                     "duplicate_grade_ids", "test_cell_as_markdown", "stripped_metadata"])
def test_feedback_explains_what_went_wrong(graded, student):
    expected = graded["cases"][student][1]
    index = (graded["root"] / "feedback" / student / "week08" / "index.html").read_text()
    assert "Total:" in index
    if expected:
        assert expected in index or any(expected in p.read_text() for p in
                                        (graded["root"] / "feedback" / student / "week08").glob("*.html"))


def test_unreadable_notebooks_score_zero_and_say_malformed(graded):
    for student in ("invalid_json", "empty_file", "megabytes_of_output"):
        assert graded["rows"][student]["status"] == "malformed"
        assert float(graded["rows"][student]["total"]) == 0


def test_readable_variants_are_still_graded(graded):
    # The answers are right; the notebook was upgraded, renamed, or came with extras.
    for student in ("nbformat_3", "renamed_notebook", "extra_notebooks", "duplicate_grade_ids",
                    "test_cell_as_markdown"):
        assert float(graded["rows"][student]["total"]) == 2, (student, graded["rows"][student])


def test_stripped_metadata_is_graded_from_the_gradebook_copy(graded):
    # Test cells come back from the gradebook; the answers no longer sit in known cells.
    assert graded["rows"]["stripped_metadata"]["status"] in {"ok", "flagged", "error"}
