"""JupyterLab serving the released notebooks shows notebook 01 in a real (headless) browser."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from autograde import COURSE_ROOT
from tests.browser import free_port, needs_chromium, open_page, stop, wait_until_served

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]
SCREENSHOT = COURSE_ROOT / "test-output" / "jupyterlab_nb01.png"


def test_jupyterlab_shows_notebook_01_with_its_title_and_first_exercise(tmp_path):
    port = free_port()
    env = dict(os.environ, HOME=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
         f"--ServerApp.root_dir={COURSE_ROOT / 'notebooks'}", "--LabApp.news_url=None",
         "--ServerApp.open_browser=False", "--allow-root"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_served(f"http://127.0.0.1:{port}/api", server)
        url = f"http://127.0.0.1:{port}/lab/tree/week08/01_manual_grid_search.ipynb"
        with open_page(url, width=1400, height=1000, timeout_ms=90_000) as page:
            page.locator(".jp-RenderedMarkdown h1", has_text="Lab 01").first.wait_for(timeout=90_000)
            page.locator(".jp-RenderedMarkdown h3", has_text="Exercise 1").first.wait_for(timeout=60_000)
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
            body = page.inner_text("body")
    finally:
        stop(server)
    assert "count_parameters" in body
    assert SCREENSHOT.stat().st_size > 10_000
