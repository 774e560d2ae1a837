"""Feedback that never shows hidden tests.

nbgrader 0.9.6's ``generate_feedback`` shows the source of hidden tests, and the
traceback of a failed test prints the hidden lines even when the source is
cleared. :class:`ScrubHiddenTests` runs in ``GenerateFeedback.preprocessors``
(see ``nbgrader_config.py``) and, in every test cell:

- removes the lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``;
- replaces the traceback of an error by one plain line, ``<error name>: <message>``.

The student's own cells keep their tracebacks: those are the student's code.

:class:`RemoveRubrics` drops the TA-only model answers and rubrics that the grader puts under each
written answer of the autograded notebook (:mod:`autograde.trusted.written`), so feedback never has them.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool

from helpers.notebook_code import is_test_cell, mentions_hidden_tests, strip_hidden_tests

#: Replaces the hidden region in the feedback copy of a test cell.
HIDDEN_NOTE = "# (hidden tests ran here when your notebook was graded)"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain_error(output: NotebookNode) -> NotebookNode:
    """Turn an error output into a one-line traceback without any source lines."""
    name = output.get("ename", "Error")
    value = _ANSI.sub("", str(output.get("evalue", "")))
    first = value.strip().splitlines()[0] if value.strip() else ""
    output["evalue"] = first
    output["traceback"] = [f"{name}: {first}"]
    return output


class RemoveRubrics(Preprocessor):
    """Remove every cell marked ``metadata.week08.rubric`` (the TA's model answers and rubrics)."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        nb.cells = [c for c in nb.cells if not is_rubric(c)]
        return nb, resources


def is_rubric(cell: NotebookNode) -> bool:
    """Whether ``cell`` is a TA-only rubric cell (any other shape of metadata is the student's, kept)."""
    meta = cell.get("metadata")
    marker = meta.get("week08") if isinstance(meta, dict) else None
    return isinstance(marker, dict) and "rubric" in marker


class ScrubHiddenTests(Preprocessor):
    """Remove hidden tests and test-cell tracebacks from a notebook (for feedback)."""

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if cell.cell_type != "code" or not is_test_cell(cell):
            return cell, resources
        cell.source = strip_hidden_tests(cell.source, replacement=HIDDEN_NOTE)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                plain_error(output)
            elif output.get("output_type") == "stream" and mentions_hidden_tests(output.get("text", "")):
                output["text"] = HIDDEN_NOTE + "\n"
        return cell, resources
