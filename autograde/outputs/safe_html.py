"""Pages built from untrusted text (feedback, the class report) that cannot run script in the reader's browser.

Two layers, so that one mistake does not open the other:

1. **sanitising**: nbconvert's :class:`~nbconvert.preprocessors.SanitizeHTML` (bleach
   allow-lists) runs in nbgrader's feedback preprocessors (``nbgrader_config.py``): a
   student's markdown and ``text/html`` outputs keep their text, tables and images,
   lose ``<script>``, event handlers and ``javascript:`` links; ``application/javascript``
   outputs are dropped. Pages the grader writes itself escape every student string.
2. **a Content-Security-Policy** in every page (:func:`with_csp`): no script of any kind
   runs (inline, event handler or loaded), nothing is fetched from the network; inline
   styles and ``data:`` images (the figures) still show.
"""

from __future__ import annotations

import re
from pathlib import Path

#: No script, no network: only the page itself, its inline styles and data: images and fonts.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'"
META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


def with_csp(page: str) -> str:
    """``page`` with the policy as the first element of its ``<head>`` (before anything a browser could run)."""
    match = _HEAD.search(page)
    if match is None:
        return META + page
    return page[: match.end()] + META + page[match.end():]


def protect(folder: Path) -> int:
    """Add the policy to every ``.html`` file under ``folder``; the number of files."""
    count = 0
    for path in sorted(folder.rglob("*.html")):
        if path.is_symlink() or not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if META not in text:
            path.write_text(with_csp(text))
        count += 1
    return count
