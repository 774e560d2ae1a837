"""One plot style for every figure in the labs."""

from __future__ import annotations

import matplotlib as mpl

#: Colours used consistently: grid search, random search, Bayesian optimisation,
#: active learning, reference/truth.
PALETTE: dict[str, str] = {
    "grid": "#1f77b4",
    "random": "#ff7f0e",
    "bayes": "#2ca02c",
    "active": "#9467bd",
    "truth": "#333333",
    "highlight": "#d62728",
}


def use_style() -> None:
    """Apply the course's matplotlib style: readable fonts, light grid, no top/right spines."""
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 120,
            "savefig.bbox": "tight",
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "image.cmap": "viridis",
        }
    )
