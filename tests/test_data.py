"""Shipped datasets: present, checksummed, documented, and refused when changed."""

import hashlib
import re

import pytest

import helpers
from helpers.data import DatasetError

DATA = helpers.DATA_DIR


def test_every_csv_has_a_checksum_and_a_readme_row():
    csvs = sorted(p.name for p in DATA.glob("*.csv"))
    sums = dict(reversed(line.split()) for line in (DATA / "SHA256SUMS").read_text().splitlines())
    assert sorted(sums) == csvs
    readme = (DATA / "README.md").read_text()
    for name in csvs:
        digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert sums[name] == digest, name
        row = next((line for line in readme.splitlines() if f"`{name}`" in line), "")
        assert digest in row, f"data/README.md row of {name} lacks its checksum"
        assert re.search(r"CC|MIT|BSD|public domain", row, re.I), f"no licence for {name}"


@pytest.mark.parametrize("name", helpers.list_datasets())
def test_every_dataset_loads(name):
    frame = helpers.load_dataset(name, as_frame=True)
    assert len(frame) > 0


def test_load_dataset_returns_features_and_target():
    X, y = helpers.load_dataset("breast_cancer")
    assert X.shape == (569, 30) and y.shape == (569,)


def test_changed_file_is_refused(tmp_path, monkeypatch):
    for path in DATA.iterdir():
        if path.is_file():
            (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "wine.csv").write_text("target\n1\n")
    monkeypatch.setattr("helpers.data.DATA_DIR", tmp_path)
    with pytest.raises(DatasetError, match="checksum"):
        helpers.load_dataset("wine")


def test_unknown_dataset_is_refused():
    with pytest.raises(DatasetError, match="Unknown dataset"):
        helpers.load_dataset("california_housing")
