"""Warm kernels (autograde.sandboxed.kernel_zygote + kernel_launcher): real kernels, separate, interruptible."""

from __future__ import annotations

import os
import signal
import socket
import time

import nbformat
import pytest
from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

from autograde.nbgrader_cli import environment
from autograde.sandboxed.kernel_zygote import receive_message, send_message
from autograde.sandboxed.nbgrader_run import start_zygote, use_zygote


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    """A running zygote, with JUPYTER_PATH and WEEK08_KERNEL_ZYGOTE pointing at it."""
    scratch = tmp_path_factory.mktemp("zygote")
    saved = dict(os.environ)
    os.environ.update(environment())
    process = start_zygote(scratch)
    assert use_zygote(process, scratch)
    yield process
    process.kill()
    process.wait()
    os.environ.clear()
    os.environ.update(saved)


def run(*sources: str, timeout: int = 60) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True).execute()
    return nb


def text(nb: nbformat.NotebookNode, index: int) -> str:
    return "".join(o.get("text", "") for o in nb.cells[index].outputs if o.output_type == "stream")


def test_kernel_is_forked_from_the_zygote(zygote):
    nb = run("import os\nprint(os.getppid())")
    assert text(nb, 0).strip() == str(zygote.pid)


def test_libraries_are_already_imported_but_student_state_is_not(zygote):
    nb = run("import sys\nprint('sklearn.ensemble' in sys.modules)", "print('x' in globals())")
    assert text(nb, 0).strip() == "True"
    assert text(nb, 1).strip() == "False"


def test_kernels_do_not_share_state(zygote):
    run("import numpy\nnumpy.mean = None\nleaked = 1")
    nb = run("import numpy\nprint(numpy.mean([1, 2]))", "print('leaked' in globals())")
    assert text(nb, 0).strip() == "1.5"
    assert text(nb, 1).strip() == "False"


def test_each_kernel_gets_fresh_random_state(zygote):
    draws = {text(run("import random, numpy\nprint(random.random(), numpy.random.rand())"), 0) for _ in range(3)}
    assert len(draws) == 3


def test_figures_are_shown_inline(zygote):
    nb = run("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()")
    assert any("image/png" in o.get("data", {}) for o in nb.cells[0].outputs)


def test_library_logs_go_to_the_notebook_as_in_a_fresh_kernel(zygote):
    nb = run("import logging, sys\nimport optuna\n"
             "print([h.stream is sys.stderr for h in logging.getLogger('optuna').handlers])")
    assert text(nb, 0).strip() == "[True]"


def test_environment_and_folder_come_from_the_launcher(zygote, tmp_path):
    os.environ["WEEK08_PROBE"] = "launcher"
    try:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "import os\nprint(os.environ.get('WEEK08_PROBE'), os.getcwd())")])
        NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        del os.environ["WEEK08_PROBE"]
    assert text(nb, 0).split() == ["launcher", str(tmp_path)]


def test_a_cell_that_runs_too_long_is_interrupted(zygote):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("while True:\n    pass")])
    start = time.monotonic()
    with pytest.raises(CellTimeoutError):
        NotebookClient(nb, timeout=2, kernel_name="python3", interrupt_on_timeout=False).execute()
    assert time.monotonic() - start < 30


def test_killing_the_launcher_kills_its_kernel(zygote):
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=30)
    pids: list[str] = []
    reply = client.execute_interactive("import os\nprint(os.getpid())", timeout=30,
                                       output_hook=lambda msg: pids.append(msg["content"].get("text", "")))
    assert reply["content"]["status"] == "ok"
    kernel_pid = int("".join(pids).strip())
    client.stop_channels()
    os.kill(manager.provisioner.process.pid, signal.SIGKILL)
    for _ in range(100):
        try:
            os.kill(kernel_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the kernel outlived its launcher")
    manager.cleanup_resources()


def test_without_a_zygote_the_launcher_starts_an_ordinary_kernel(zygote, monkeypatch):
    monkeypatch.delenv("WEEK08_KERNEL_ZYGOTE")
    nb = run("import os\nprint(os.getppid())")
    assert text(nb, 0).strip() not in {"", str(zygote.pid)}


def test_messages_sent_back_to_back_are_read_one_at_a_time():
    left, right = socket.socketpair()
    with left, right:
        send_message(left, {"pid": 1})
        send_message(left, {"exit": 0})
        left.shutdown(socket.SHUT_WR)
        assert receive_message(right) == ({"pid": 1}, [])
        assert receive_message(right) == ({"exit": 0}, [])
        assert receive_message(right) == (None, [])


def test_file_descriptors_travel_with_their_message(tmp_path):
    path = tmp_path / "stream.txt"
    left, right = socket.socketpair()
    with left, right, path.open("w") as handle:
        send_message(left, {"argv": ["-f", "x"]}, fds=[handle.fileno()])
        message, fds = receive_message(right, max_fds=3)
        assert message == {"argv": ["-f", "x"]} and len(fds) == 1
        os.write(fds[0], b"through the socket")
        os.close(fds[0])
    assert path.read_text() == "through the socket"
