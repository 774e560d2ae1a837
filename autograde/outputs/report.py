"""The class report: ``class_report/index.html`` with PNG figures.

- score distribution per notebook (histograms);
- pass rate per autograded question (horizontal bars, the hardest at the top; written answers are the TA's);
- how many students still have written answers waiting for a TA;
- the slowest submissions and every flagged or broken one, with the reasons.
"""

from __future__ import annotations

import base64
import csv
import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from autograde.outputs.export import Column  # noqa: E402
from autograde.outputs.safe_html import META  # noqa: E402


def _read_grades(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    return rows[0], rows[1:]


def _score_figure(out: Path, cols: list[Column], rows: list[dict[str, str]]) -> None:
    notebooks = [c for c in cols if c.grade_id is None]
    n = max(len(notebooks), 1)
    ncols = min(4, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.6 * nrows), squeeze=False, sharey=True)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    for ax, col in zip(axes.ravel(), notebooks):
        values = [float(r[col.name]) for r in rows]
        ax.hist(values, bins=min(10, max(int(col.max_points), 1)), range=(0, max(col.max_points, 1)),
                color="#1f77b4", edgecolor="white")
        ax.set_title(col.name, fontsize=9)
        ax.set_xlabel(f"points (of {col.max_points:g})", fontsize=8)
    for row in axes:
        row[0].set_ylabel("students")
    fig.suptitle("Score distribution per notebook")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def _pass_rate_figure(out: Path, cols: list[Column], rows: list[dict[str, str]]) -> list[tuple[str, float]]:
    questions = [c for c in cols if c.grade_id is not None and not c.written]  # written answers: the TA's
    rates = [(c.name, sum(float(r[c.name]) >= c.max_points for r in rows) / max(len(rows), 1)) for c in questions]
    rates.sort(key=lambda item: (item[1], item[0]), reverse=True)
    fig, ax = plt.subplots(figsize=(8, 0.25 * len(rates) + 1.2))
    ax.barh([name for name, _ in rates], [100 * rate for _, rate in rates], color="#2ca02c")
    ax.set_xlim(0, 100)
    ax.set_xlabel("students with full points (%)")
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title("Students with full points, per autograded question (hardest at the top)")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return rates


def _inline(path: Path) -> str:
    """A figure as a ``data:`` URI: the page's policy allows no other image source (safe_html)."""
    if not path.is_file():
        return ""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def write_report(folder: Path, cols: list[Column], results: Mapping[str, Any], grades: Path) -> Path:
    """Write the report for the students in ``results`` (``Result`` objects) and ``grades.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    maxima, rows = _read_grades(grades)
    if rows:
        _score_figure(folder / "scores.png", cols, rows)
        rates = _pass_rate_figure(folder / "pass_rates.png", cols, rows)
    else:
        rates = []
    slowest = sorted(results.values(), key=lambda r: (-r.seconds, r.student))[:10]
    attention = [r for r in sorted(results.values(), key=lambda r: r.student) if r.status != "ok"]
    totals = [float(r["total"]) for r in rows]
    waiting = [r["student"] for r in rows if r.get("written_status", "").startswith("pending")]
    mean = sum(totals) / len(totals) if totals else 0.0

    def table(items, header):
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in item) + "</tr>" for item in items)
        return f"<table><tr>{''.join(f'<th>{h}</th>' for h in header)}</tr>{body}</table>"

    page = f"""<!doctype html><html><head>{META}<meta charset="utf-8"><title>Class report</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:2px 8px;text-align:left;
vertical-align:top}}img{{max-width:100%}}</style></head><body>
<h1>Week 8: class report</h1>
<p>{len(rows)} students &middot; mean total {mean:.1f} of {maxima.get('total', '?')} &middot;
{len(attention)} need attention (flagged, timed out, malformed, missing or error) &middot;
{len(waiting)} still have written answers for a TA to grade (formgrader).</p>
<h2>Scores</h2><img src="{_inline(folder / "scores.png")}" alt="score distribution per notebook">
<h2>Pass rate per question</h2><img src="{_inline(folder / "pass_rates.png")}" alt="pass rate per question">
{table([(name, f"{100 * rate:.0f}%") for name, rate in reversed(rates[-10:])], ["hardest questions", "pass rate"])}
<h2>Need attention</h2>
{table([(r.student, r.status, " / ".join(r.messages)) for r in attention], ["student", "status", "why"])
 if attention else "<p>None.</p>"}
<h2>Slowest submissions</h2>
{table([(r.student, f"{r.seconds:.1f} s", r.status) for r in slowest], ["student", "grading time", "status"])}
</body></html>
"""
    (folder / "index.html").write_text(page)
    return folder / "index.html"
