"""Loading the shipped datasets, checked against their SHA-256 checksums.

Every dataset a notebook uses lives in ``data/`` at the root of the course
(``data/README.md`` gives each file's source and licence). Checksums are listed
in ``data/SHA256SUMS`` in the format of ``sha256sum``, so
``cd data && sha256sum -c SHA256SUMS`` verifies them by hand too.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

#: Root of the course (the folder holding ``data/`` and ``helpers/``).
REPO_ROOT = Path(__file__).resolve().parent.parent
#: Folder of the shipped datasets; ``WEEK08_DATA_DIR`` overrides it.
DATA_DIR = Path(os.environ.get("WEEK08_DATA_DIR", REPO_ROOT / "data"))

#: Name of the target column in every classification/regression CSV.
TARGET = "target"


class DatasetError(RuntimeError):
    """A dataset is missing, unknown or does not match its checksum."""


def _checksums() -> dict[str, str]:
    sums = DATA_DIR / "SHA256SUMS"
    if not sums.exists():
        raise DatasetError(f"{sums} is missing: the data folder is incomplete.")
    table: dict[str, str] = {}
    for line in sums.read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            table[name.lstrip("*").strip()] = digest
    return table


def list_datasets() -> list[str]:
    """Return the names (without ``.csv``) of all shipped datasets."""
    return sorted(Path(name).stem for name in _checksums() if name.endswith(".csv"))


def dataset_path(name: str) -> Path:
    """Return the path of a shipped dataset after verifying its checksum.

    Parameters
    ----------
    name:
        Dataset name, e.g. ``"breast_cancer"`` (with or without ``.csv``).

    Raises
    ------
    DatasetError
        If the name is unknown, the file is missing or its checksum differs.
    """
    filename = name if name.endswith(".csv") else f"{name}.csv"
    expected = _checksums().get(filename)
    if expected is None:
        raise DatasetError(f"Unknown dataset {name!r}; shipped: {', '.join(list_datasets())}.")
    path = DATA_DIR / filename
    if not path.exists():
        raise DatasetError(f"{path} is missing; restore it from the course repository.")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != expected:
        raise DatasetError(
            f"{path} does not match its checksum (expected {expected[:12]}..., got {actual[:12]}...). "
            "The file was changed; restore it from the course repository."
        )
    return path


def load_dataset(name: str, *, as_frame: bool = False):
    """Load a shipped dataset.

    Parameters
    ----------
    name:
        Dataset name, e.g. ``"breast_cancer"``, ``"wine"``, ``"penguins"``, ``"polynomial"``.
    as_frame:
        If True return the whole table as a :class:`pandas.DataFrame` (useful for
        mixed-type data such as ``penguins``). Otherwise return ``(X, y)``.

    Returns
    -------
    ``(X, y)`` as NumPy arrays (features as float, target as the column's dtype),
    or a DataFrame when ``as_frame=True``.
    """
    frame = pd.read_csv(dataset_path(name))
    if as_frame:
        return frame
    if TARGET not in frame.columns:
        raise DatasetError(f"{name} has no {TARGET!r} column; load it with as_frame=True.")
    X = frame.drop(columns=TARGET).to_numpy(dtype=float)
    y = frame[TARGET].to_numpy()
    return X, y
