"""Hidden checks: the public checks of ``helpers.checks`` run on unseen inputs,
with the reference solution (extracted from ``solutions/``) as the oracle.

Never shipped to students. Each module mirrors ``helpers.checks.nbNN`` and
exposes one ``check_<exercise>(student_function)`` per graded exercise; the
hidden-test part of each nbgrader test cell calls it.
"""
