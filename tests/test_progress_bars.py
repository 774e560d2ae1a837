"""tqdm progress bars in a notebook are drawn as a widget, with no "IProgress not found" warning."""

from __future__ import annotations

import tomllib

import nbformat
import pytest
from nbclient import NotebookClient

from autograde import COURSE_ROOT
from autograde.bundle import _student_pyproject


def test_the_student_edition_keeps_the_widget_package_tqdm_needs():
    data = tomllib.loads(_student_pyproject((COURSE_ROOT / "pyproject.toml").read_text()))
    names = {d.split(">")[0].split("=")[0].split("<")[0].strip() for d in data["project"]["dependencies"]}
    assert "nbgrader" not in names  # the grader's packages are left out ...
    assert {"tqdm", "ipywidgets"} <= names  # ... but not the widgets tqdm.auto draws with


@pytest.mark.slow
def test_tqdm_auto_in_a_kernel_draws_a_widget_without_a_warning():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from tqdm.auto import tqdm\nfor _ in tqdm(range(3)):\n    pass")]
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs)
    assert "IProgress" not in text
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
