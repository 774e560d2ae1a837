"""The helpers package: budget knob, seeding, plot style."""

import random

import matplotlib as mpl
import numpy as np
import pytest

import helpers


@pytest.mark.parametrize(
    "env, fast",
    [
        ({}, False),
        ({"NBGRADER_EXECUTION": "autograde"}, True),
        ({"WEEK08_FAST": "1"}, True),
        ({"NBGRADER_EXECUTION": "autograde", "WEEK08_FAST": "0"}, False),
    ],
)
def test_budget_follows_grading_and_fast_mode(monkeypatch, env, fast):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("WEEK08_FAST", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert helpers.fast_mode() is fast
    assert helpers.budget(full=60, fast=8) == (8 if fast else 60)


def test_seed_everything_makes_random_and_numpy_repeat():
    helpers.seed_everything(7)
    first = (random.random(), np.random.rand())
    helpers.seed_everything(7)
    assert (random.random(), np.random.rand()) == first


def test_setup_applies_the_course_style(capsys):
    mpl.rcdefaults()
    helpers.setup()
    assert mpl.rcParams["axes.spines.top"] is False
    assert "helpers ready" in capsys.readouterr().out
