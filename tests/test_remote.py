"""The grader's end of the wire (autograde.trusted.remote): it talks only to the student's own servers."""

from __future__ import annotations

import contextlib
import os
import signal

from autograde.sandboxed import call_server
from autograde.trusted.remote import Channel, Remote
from tests.serving import served


def classmate():
    return 42


def test_a_channel_reaches_the_server_at_its_own_path(tmp_path):
    with served({"answer": classmate}) as channel:
        assert Remote(channel, "answer")() == 42


def test_a_calls_folder_linked_to_a_classmates_servers_is_refused(tmp_path):
    # A submission replaces its calls/ folder by a link to a classmate's (graded at the same
    # time): the grader would then score the classmate's functions as the student's.
    (tmp_path / "victim").mkdir()
    server = call_server.start({"answer": classmate}, str(tmp_path / "victim" / "nb.sock"), timeout=10)
    try:
        scratch = tmp_path / "attacker"
        scratch.mkdir()
        (scratch / "calls").symlink_to(tmp_path / "victim")
        channel = Channel(scratch / "calls" / "nb.sock", timeout=10, beneath=scratch)
        assert channel.sock is None and "symbolic link" in channel.lost
        with Channel(tmp_path / "victim" / "nb.sock", timeout=10) as own:  # the classmate is still served
            assert Remote(own, "answer")() == 42
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server, signal.SIGKILL)


def test_a_socket_that_is_itself_a_link_is_refused(tmp_path):
    with served({"answer": classmate}) as victim:
        scratch = tmp_path / "attacker"
        (scratch / "calls").mkdir(parents=True)
        (scratch / "calls" / "nb.sock").symlink_to(victim.path)
        channel = Channel(scratch / "calls" / "nb.sock", timeout=10, beneath=scratch)
        assert channel.sock is None and channel.lost
