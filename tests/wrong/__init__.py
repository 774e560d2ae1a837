"""Plausible wrong implementations, one module per notebook.

Each module defines ``WRONG``: ``{function name: [wrong implementation, ...]}``.
``tests/test_checks.py`` proves that the checks pass on the reference solution
and fail on every wrong implementation listed here, and that every graded
exercise has at least one.
"""
