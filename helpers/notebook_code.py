"""Load a notebook's definitions -- functions, classes, imports, constants -- without running it.

A check needs a student's functions, not their experiments. :func:`load_definitions`
keeps only the top-level ``import`` statements, ``def`` and ``class`` blocks and
``UPPER_CASE = ...`` constants of a notebook's code cells and runs them in a fresh
module, so loading is fast and prints nothing. ``make check`` uses it on the
student's notebooks, the grader on the reference solution and on submissions.

This is also the contract for authors of test cells: a test cell may use only
names that a notebook defines with ``import``, ``def``, ``class`` or an
``UPPER_CASE`` constant.
"""

from __future__ import annotations

import ast
import json
import re
import types
from pathlib import Path
from typing import Any


def read_notebook(path: str | Path) -> dict:
    """A notebook as plain JSON (faster to import than nbformat, which a kernel pays for)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"{path} is not a notebook in format 4 (no list of cells)")
    return nb


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _clean_source(source: str) -> str:
    """Drop IPython magics and shell escapes, which are not Python."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append("" if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


def _is_definition(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return all(isinstance(t, ast.Name) and t.id.isupper() for t in targets)
    return False


def definitions_source(nb: Any) -> str:
    """Return the Python source of a notebook's top-level definitions.

    Test cells (nbgrader ``grade`` cells that are not solutions) are skipped, so
    loading a notebook never runs its checks. Cells that do not parse are skipped
    too (a student's syntax error then shows up as a missing function).
    """
    chunks = []
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        if is_test_cell(cell):
            continue
        try:
            tree = ast.parse(_clean_source(_source(cell)))
        except SyntaxError:
            continue
        kept = [node for node in tree.body if _is_definition(node)]
        if kept:
            chunks.append(ast.unparse(ast.Module(body=kept, type_ignores=[])))
    return "\n\n".join(chunks)


def load_source(source: str, module_name: str) -> types.ModuleType:
    """Run already-extracted definitions (see :func:`definitions_source`) as a module."""
    module = types.ModuleType(module_name)
    exec(compile(source, f"<{module_name}>", "exec"), module.__dict__)  # noqa: S102
    return module


def load_definitions(path: str | Path, module_name: str | None = None) -> types.ModuleType:
    """Load a notebook's definitions as a module object.

    Parameters
    ----------
    path:
        Path of an ``.ipynb`` file.
    module_name:
        Name given to the module (defaults to the notebook's stem).

    Returns
    -------
    A module whose attributes are the notebook's functions, classes, imports and
    constants.
    """
    path = Path(path)
    nb = read_notebook(path)
    module = types.ModuleType(module_name or path.stem)
    module.__file__ = str(path)
    code = compile(definitions_source(nb), str(path), "exec")
    exec(code, module.__dict__)  # noqa: S102 - the point of this module
    return module



def is_test_cell(cell: Any) -> bool:
    """True for an nbgrader test cell (graded, not a solution)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


#: nbgrader's markers around the hidden part of a test cell (only solutions have one).
_HIDDEN_BEGIN = re.compile(r"#+\s*BEGIN\s+HIDDEN\s+TESTS")
_HIDDEN_END = re.compile(r"#+\s*END\s+HIDDEN\s+TESTS")


def mentions_hidden_tests(text: str) -> bool:
    """True if ``text`` contains nbgrader's begin-hidden-tests marker (with or without ``#``)."""
    return bool(re.search(r"BEGIN\s+HIDDEN\s+TESTS", text))


def strip_hidden_tests(source: str, replacement: str | None = None) -> str:
    """A test cell's source without its hidden-test region(s).

    Parameters
    ----------
    source:
        The cell's source.
    replacement:
        A line put where each hidden region was; None drops the region silently.
    """
    kept, hiding = [], False
    for line in source.splitlines():
        if _HIDDEN_BEGIN.search(line):
            hiding = True
            if replacement is not None:
                kept.append(replacement)
        elif hiding and _HIDDEN_END.search(line):
            hiding = False
        elif not hiding:
            kept.append(line)
    return "\n".join(kept)
