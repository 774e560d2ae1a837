"""Code launched inside the sandbox, next to student code: never trusted with a grade.

Everything here may be read, replaced or killed by the student's code it runs
beside. It holds no solution, no expected value and no key; it only executes
notebooks and answers the grader's calls with plain data.
"""
