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
