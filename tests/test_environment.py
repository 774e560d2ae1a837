"""environment.yml (for conda users) and pyproject.toml (for make setup) list the same packages."""

import tomllib

import yaml

from autograde import COURSE_ROOT


def _pyproject() -> set[str]:
    data = tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text())
    return {d.replace(" ", "") for d in data["project"]["dependencies"]}


def _environment() -> set[str]:
    data = yaml.safe_load((COURSE_ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in data["dependencies"] if isinstance(d, dict) and "pip" in d)
    return {d.replace(" ", "") for d in pip if not d.startswith("-e")}


def test_environment_yml_and_pyproject_list_the_same_packages():
    assert _environment() == _pyproject()


def test_environment_yml_pins_python_311():
    data = yaml.safe_load((COURSE_ROOT / "environment.yml").read_text())
    assert "python=3.11" in data["dependencies"]
