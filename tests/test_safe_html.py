"""Feedback and the class report run no student script in the reader's browser (autograde.outputs.safe_html).

A submission puts script everywhere a notebook can hold it (markdown, an image's
``onerror``, a ``text/html`` output, an ``application/javascript`` output); it is
graded through ``make grade``'s code path and its pages are opened in headless
Chromium: none of the script runs, the student's text and tables still show.
"""

from __future__ import annotations

import nbformat
import pytest

from autograde.grade import grade_class
from autograde.outputs.safe_html import CSP, with_csp
from tests.browser import needs_chromium, open_page
from tests.corpus import make_tiny_course, submission, write

pytestmark = pytest.mark.slow

MARK = "window.__pwned = (window.__pwned || []).concat"
MARKDOWN = (f"STUDENT TEXT in markdown\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            f"<script>{MARK}('markdown script')</script>\n\n"
            f"<img src=\"x\" onerror=\"{MARK}('img onerror')\">\n\n"
            f"<a id=\"link\" href=\"javascript:{MARK}('javascript link')\">a link</a>\n")
OUTPUTS = ("from IPython.display import HTML, Javascript, display\n"
           f"display(HTML(\"<b>bold output</b><script>{MARK}('html output')</script>"
           f"<img src=x onerror=\\\"{MARK}('html onerror')\\\">\"))\n"
           f"display(Javascript(\"{MARK}('javascript output')\"))\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = make_tiny_course(tmp_path_factory.mktemp("safe-html") / "course")
    nb = submission(root, extra=OUTPUTS)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(MARKDOWN))
    write(nb, root / "submitted", "scripter")
    grade_class(root / "submitted", root=root)
    return root


def test_every_page_carries_a_policy_that_forbids_script(graded):
    pages = [*(graded / "feedback" / "scripter").rglob("*.html"), graded / "class_report" / "index.html"]
    assert len(pages) >= 3
    for page in pages:
        head = page.read_text()[:4000]
        assert CSP in head and "script-src" not in CSP and "default-src 'none'" in CSP, page


def test_the_sanitiser_removes_script_before_the_policy_is_needed(graded):
    from bs4 import BeautifulSoup

    page = (graded / "feedback" / "scripter" / "week08" / "01_tiny.html").read_text()
    soup = BeautifulSoup(page, "html.parser")
    assert not [s for s in soup.find_all("script") if "__pwned" in s.get_text()]
    handlers = [(tag.name, a) for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
    assert handlers == []
    assert not [a for a in soup.find_all("a") if str(a.get("href", "")).lower().startswith("javascript:")]
    assert "STUDENT TEXT in markdown" in page and "bold output" in page


def test_with_csp_puts_the_policy_first_in_head():
    assert with_csp("<html><head><title>x</title></head></html>").startswith(
        '<html><head><meta http-equiv="Content-Security-Policy"')
    assert with_csp("<p>no head</p>").startswith('<meta http-equiv="Content-Security-Policy"')


@needs_chromium
@pytest.mark.parametrize("page", ["feedback/scripter/week08/01_tiny.html", "feedback/scripter/week08/index.html",
                                  "class_report/index.html"])
def test_no_student_script_runs_in_the_browser(graded, page):
    with open_page((graded / page).as_uri()) as tab:
        tab.wait_for_timeout(500)
        if tab.locator("#link").count():
            tab.locator("#link").first.click()
            tab.wait_for_timeout(200)
        assert tab.evaluate("window.__pwned || []") == []
        text = tab.inner_text("body")
    if page.endswith("01_tiny.html"):
        assert "STUDENT TEXT in markdown" in text and "bold output" in text
