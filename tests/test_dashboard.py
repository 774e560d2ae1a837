"""``make dashboard`` serves trackio's dashboard, and the logged runs appear in headless Chromium.

The test logs a few runs into a scratch tracking folder, starts
``python -m helpers.dashboard`` (what ``make dashboard`` runs) on a free port of
127.0.0.1, loads the page in Debian's ``chromium`` through Playwright, checks
that every run name and a metric are on the page and that a run's page shows its
configuration, saves a screenshot to
``test-output/nb04_dashboard.png`` and stops the server by its process id.

Needs ``/usr/bin/chromium`` (``apt-get install -y chromium``); skipped without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from helpers.data import REPO_ROOT
from tests.browser import free_port, needs_chromium, open_page, stop, wait_until_served

PROJECT = "cs203-week08-lab"
RUNS = ["LogisticRegression", "RandomForest", "rf-n-estimators-sweep"]
SCREENSHOT = REPO_ROOT / "test-output" / "nb04_dashboard.png"

pytestmark = [pytest.mark.browser, needs_chromium]

LOG_RUNS = """
import helpers.tracking
import trackio

for name in ["LogisticRegression", "RandomForest"]:
    trackio.init(project="{project}", name=name, embed=False, auto_log_cpu=False,
                 config={{"model": name, "experiment": "model-comparison"}})
    trackio.log({{"train_accuracy": 0.99, "test_accuracy": 0.97 if name == "LogisticRegression" else 0.95}})
    trackio.finish()
trackio.init(project="{project}", name="rf-n-estimators-sweep", embed=False, auto_log_cpu=False,
             config={{"model": "RandomForest", "experiment": "n_estimators_sweep", "max_depth": 10}})
for n, acc in [(10, 0.93), (20, 0.95), (30, 0.96)]:
    trackio.log({{"n_estimators": n, "test_accuracy": acc}})
trackio.finish()
"""


def test_dashboard_shows_the_logged_runs(tmp_path):
    home, store = tmp_path / "home", tmp_path / "store"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"TRACKIO_DIR", "HF_HOME", "XDG_CACHE_HOME"}}
    env.update(HOME=str(home), WEEK08_TRACKIO_DIR=str(store), PYTHONUNBUFFERED="1")
    logged = subprocess.run([sys.executable, "-c", textwrap.dedent(LOG_RUNS.format(project=PROJECT))],
                            env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert logged.returncode == 0, logged.stdout + logged.stderr

    port = free_port()
    url = f"http://127.0.0.1:{port}/?project={PROJECT}"
    server = subprocess.Popen([sys.executable, "-m", "helpers.dashboard", "--port", str(port)],
                              env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        wait_until_served(f"http://127.0.0.1:{port}/", server)
        with open_page(url) as page:
            for name in RUNS:
                page.get_by_text(name, exact=True).first.wait_for(timeout=30_000)
            page.get_by_text("test_accuracy", exact=True).first.wait_for(timeout=30_000)
            page.wait_for_timeout(1000)  # let the charts draw before the screenshot
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
            # The Runs tab lists the runs; a run's page shows its configuration.
            page.get_by_role("button", name="Runs", exact=True).click()
            page.get_by_text("rf-n-estimators-sweep", exact=True).first.click()
            page.get_by_text("Configuration", exact=True).first.wait_for(timeout=30_000)
            page.get_by_text("n_estimators_sweep").first.wait_for(timeout=30_000)
            body = page.inner_text("body")
    finally:
        stop(server)
    for name in RUNS:
        assert name in body
    assert '"max_depth": 10' in body
    trackio_in_home = [p for p in home.rglob("*") if "trackio" in p.name.lower()]
    assert trackio_in_home == [], f"trackio wrote into HOME: {trackio_in_home}"
