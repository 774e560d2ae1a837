"""Every stub students receive documents its contract (numpydoc), so Shift-Tab shows it."""

from __future__ import annotations

import ast

import nbformat
import pytest

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.catalog import notebook_names

RELEASED = COURSE_ROOT / "notebooks" / ASSIGNMENT


def stub_functions(name: str) -> list[ast.FunctionDef]:
    """The functions defined by the cells of a released notebook that still raise NotImplementedError."""
    nb = nbformat.read(RELEASED / f"{name}.ipynb", as_version=4)
    functions = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "raise NotImplementedError" in cell.source:
            tree = ast.parse(cell.source)
            functions += [node for node in ast.walk(tree)
                          if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    return functions


def has_parameters(function: ast.FunctionDef) -> bool:
    args = function.args
    return bool(args.posonlyargs or args.args or args.kwonlyargs or args.vararg or args.kwarg)


def section(docstring: str, title: str) -> bool:
    """Whether ``docstring`` has a numpydoc section ``title`` (the title, then a dashed underline)."""
    lines = [line.strip() for line in docstring.splitlines()]
    return any(line == title and nxt.startswith("---") and set(nxt) == {"-"}
               for line, nxt in zip(lines, lines[1:]))


@pytest.mark.parametrize("name", notebook_names())
def test_every_stub_students_receive_documents_its_contract(name):
    stubs = stub_functions(name)
    assert stubs, f"{name}: no exercise stub found in the release"
    problems = []
    for function in stubs:
        docstring = ast.get_docstring(function)
        if not docstring:
            problems.append(f"{function.name}: no docstring")
            continue
        if has_parameters(function) and not section(docstring, "Parameters"):
            problems.append(f"{function.name}: no Parameters section")
        if not section(docstring, "Returns"):
            problems.append(f"{function.name}: no Returns section")
    assert not problems, f"{name}: " + "; ".join(problems)


def documented_parameters(docstring: str) -> set[str]:
    """Names listed in the Parameters section (``x : type`` or ``x, y : type`` entries)."""
    lines = docstring.splitlines()
    names, inside = set(), False
    for i, line in enumerate(lines):
        underlined = i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}
        if underlined:
            inside = line.strip() == "Parameters"
        elif inside and line and not line[0].isspace() and set(line.strip()) != {"-"}:
            names |= {part.strip() for part in line.split(" : ")[0].split(",")}
    return names


@pytest.mark.parametrize("name", notebook_names())
def test_every_parameter_of_a_stub_is_documented(name):
    missing = []
    for function in stub_functions(name):
        documented = documented_parameters(ast.get_docstring(function) or "")
        args = function.args
        missing += [f"{function.name}({arg.arg})" for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]
                    if arg.arg not in documented]
    assert not missing, f"{name}: parameters without an entry under Parameters: {missing}"
