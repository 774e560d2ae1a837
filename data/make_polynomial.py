"""Regenerate data/polynomial.csv, the noisy-cubic dataset of notebook 01.

Run ``python data/make_polynomial.py``; the output is deterministic (seed 0),
so the checksum in ``data/SHA256SUMS`` stays valid.
"""

from pathlib import Path

import numpy as np
import pandas as pd


def make_polynomial(n: int = 60, seed: int = 0) -> pd.DataFrame:
    """Noisy samples of a cubic on [-3, 3]: y = 0.5 x^3 - x^2 - 2x + 1 + N(0, 2^2)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, size=n))
    y = 0.5 * x**3 - x**2 - 2 * x + 1 + rng.normal(0, 2.0, size=n)
    return pd.DataFrame({"x": x.round(4), "target": y.round(4)})


if __name__ == "__main__":
    out = Path(__file__).with_name("polynomial.csv")
    make_polynomial().to_csv(out, index=False)
    print(f"wrote {out}")
