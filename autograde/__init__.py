"""The Week 8 grader: nbgrader plus checks that compare with the reference solution.

Data flow (folders at the course root)::

    solutions/week08/*.ipynb      reference notebooks with nbgrader markup (source of truth)
        |  make release  (nbgrader generate_assignment)
        v
    notebooks/week08/*.ipynb      what students receive
        |  students work, LMS download, nbgrader zip_collect
        v
    submitted/<student>/week08/   read-only input (demo/submitted/ when empty)
        |  make grade  (autograde.grade: nbgrader autograde + generate_feedback)
        v
    autograded/, feedback/, gradebook.db, grades.csv

Modules:

- :mod:`autograde.trusted.reference` -- extracts functions from a notebook (the reference
  solution or a student's submission) without running its experiments;
- :mod:`autograde.checks` -- the hidden part of every check;
- :mod:`autograde.grade` -- the ``make grade`` driver;
- :mod:`autograde.outputs.feedback` -- the preprocessor that scrubs hidden tests from feedback;
- :mod:`autograde.outputs.export` -- ``grades.csv`` from the gradebook.
"""

from pathlib import Path

#: The course root (holds ``solutions/``, ``notebooks/``, ``nbgrader_config.py``).
COURSE_ROOT = Path(__file__).resolve().parent.parent
#: The single nbgrader assignment of this package.
ASSIGNMENT = "week08"


def _skip_slow_optional_imports() -> None:
    """Make jsonschema skip its optional IRI format checker (``rfc3987_syntax``).

    Importing it compiles a Lark grammar: about 2 s in every process that imports
    nbformat (each student's nbgrader run, each feedback run, the grader). nbformat's
    notebook schema never uses the ``iri`` formats, and jsonschema treats the module as
    absent (it imports it in ``try: ... except ImportError``).
    """
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type] - None: "not installed"


_skip_slow_optional_imports()
