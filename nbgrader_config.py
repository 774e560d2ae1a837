"""nbgrader configuration of the Week 8 course (the course root is this folder).

solutions/week08/  -> nbgrader source (reference notebooks, the single source of truth)
notebooks/week08/  -> nbgrader release (what students get; regenerate with `make release`)
submitted/<student>/week08/ -> submissions; autograded/, feedback/, gradebook.db are outputs.
"""

import os

c = get_config()  # noqa: F821 - injected by traitlets

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "week08"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"

# A deleted test cell is put back from the gradebook, so it is graded (not silently 0).
c.OverwriteCells.add_missing_cells = True

# Per-cell time limit while autograding. Every solution notebook runs in well under
# 15 s in grading mode, so 60 s per cell leaves room for slow student code while an
# infinite loop costs one minute, not forever. WEEK08_CELL_TIMEOUT overrides it (tests use 10).
c.ExecutePreprocessor.timeout = int(os.environ.get("WEEK08_CELL_TIMEOUT", "60"))
c.ExecutePreprocessor.startup_timeout = 60
c.Execute.timeout = c.ExecutePreprocessor.timeout

# Feedback: drop the TA's model answers and rubrics (cells the grader adds under written answers); hide hidden tests' source and scrub the tracebacks of every test cell; sanitise the
# student's markdown and HTML outputs (no script, no event handlers: autograde/outputs/safe_html.py).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograde.outputs.feedback.RemoveRubrics",
    "autograde.outputs.feedback.ScrubHiddenTests",
    "nbconvert.preprocessors.sanitize.SanitizeHTML",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.SanitizeHTML.enabled = True
