"""The check vocabulary cannot be fooled by objects that compare equal to anything."""

import pytest

from helpers.checks import CheckFailed, check, expect_close, expect_equal


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __float__(self):
        raise TypeError


def test_always_equal_object_does_not_pass_expect_equal():
    with pytest.raises(CheckFailed):
        expect_equal(AlwaysEqual(), 135, "fits")


def test_always_equal_object_does_not_pass_expect_close():
    with pytest.raises(CheckFailed):
        expect_close(AlwaysEqual(), 0.5, "score")


def test_check_turns_not_implemented_into_a_plain_message():
    @check
    def check_f(f):
        f()

    def stub():
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="still raises NotImplementedError"):
        check_f(stub)


def test_check_reports_a_crash_of_the_student_function():
    @check
    def check_g(g):
        g()

    with pytest.raises(CheckFailed, match="ZeroDivisionError"):
        check_g(lambda: 1 / 0)


def test_a_failing_check_shows_its_message_and_only_the_students_frames():
    from helpers.checks.core import brief_failure

    def students_function():
        raise ValueError("bad grid")

    @check
    def check_g(f):
        f()

    with pytest.raises(CheckFailed) as caught:
        check_g(students_function)
    shown = "\n".join(brief_failure(caught.value))
    assert shown.startswith("\u2717 check_g: your function raised ValueError: bad grid")
    assert "students_function" in shown and "ValueError: bad grid" in shown
    assert "helpers/checks" not in shown and "wrapper" not in shown


@pytest.mark.slow
def test_in_a_kernel_a_failing_check_shows_no_traceback_through_the_grader(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import helpers\nhelpers.setup()"),
        nbformat.v4.new_code_cell("from helpers.checks.nb01 import check_count_fits\n"
                                  "def count_fits(grid, n_folds):\n    return 0\n"
                                  "check_count_fits(count_fits)"),
        nbformat.v4.new_code_cell("def count_fits(grid, n_folds):\n    return {}['missing']\n"
                                  "check_count_fits(count_fits)"),
    ])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell, students_line in ((nb.cells[1], None), (nb.cells[2], "{}['missing']")):
        [error] = [o for o in cell.outputs if o.output_type == "error"]
        shown = "\n".join(error.traceback)
        assert error.ename == "CheckFailed" and shown.startswith("\u2717 check_count_fits:"), shown
        assert "helpers/checks" not in shown and "site-packages" not in shown, shown
        assert len(error.traceback) <= 6, shown
        if students_line:
            assert students_line in shown and "KeyError: 'missing'" in shown, shown
