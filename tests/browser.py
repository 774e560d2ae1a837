"""Shared pieces of the real-browser tests: Debian's chromium, driven by Playwright."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: Headless flags verified on these machines (shared/STACK-NOTES.md); a fresh profile is added per test.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make browser installs it)")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    """Wait for ``url`` to answer 200; fail if the server exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            pytest.fail(f"the server exited with status {server.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"nothing answered on {url} within {timeout:.0f} s")


def stop(server: subprocess.Popen) -> None:
    """Stop a server we started, by its process id."""
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)
    if server.stdout:
        server.stdout.close()


@contextlib.contextmanager
def open_page(url: str, width: int = 1280, height: int = 800, timeout_ms: int = 60_000) -> Iterator:
    """A Playwright page in headless Debian chromium (fresh profile) showing ``url``; closed afterwards."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile, sync_api.sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": width, "height": height})
        try:
            page = browser.new_page()
            page.goto(url, timeout=timeout_ms)
            yield page
        finally:
            browser.close()
