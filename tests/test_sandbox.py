"""The sandbox every process running student code starts in (autograde.sandbox, bubblewrap).

Each test is an attack a submission could make, run directly in the sandbox:
what it may touch is its own scratch folder and its own processes, nothing else.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid

import pytest

from autograde import sandbox

pytestmark = pytest.mark.skipif(sandbox.available() != "bwrap", reason=sandbox.BWRAP_MISSING)


@pytest.fixture(autouse=True)
def bubblewrap(monkeypatch):
    """These tests are about bubblewrap, whatever ``WEEK08_SANDBOX`` chooses for grading."""
    monkeypatch.setattr(sandbox, "engine", lambda: "bwrap")


def run(tmp_path, code: str, *args: str, hidden=(), timeout: float = 60) -> subprocess.CompletedProcess:
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    jail = sandbox.Jail(writable=scratch, hidden=list(hidden))
    return sandbox.run([sys.executable, "-c", textwrap.dedent(code), *args], name=f"test-{uuid.uuid4().hex[:8]}",
                       jail=jail, timeout=timeout, cwd=scratch)


def test_a_submission_sees_only_its_own_processes(tmp_path):
    out = run(tmp_path, """
        import os, sys
        pids = [p for p in os.listdir('/proc') if p.isdigit()]
        try:
            os.kill(int(sys.argv[1]), 0)
            print('grader visible')
        except ProcessLookupError:
            print('grader not found')
        print(len(pids))
    """, str(os.getpid()))
    lines = out.stdout.split()
    assert lines[0:2] == ["grader", "not"], out
    assert int(lines[-1]) <= 4  # bubblewrap's init, the submission and what it started


def test_killing_every_process_it_can_reach_spares_classmates_and_the_grader(tmp_path):
    victim = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        run(tmp_path, "import os, signal\nos.kill(-1, signal.SIGKILL)")
        assert victim.poll() is None, "a process outside the sandbox was killed"
    finally:
        victim.kill()
        victim.wait()


def test_dev_shm_and_tmp_are_private_to_one_submission(tmp_path):
    name = f"week08-probe-{uuid.uuid4().hex}"
    run(tmp_path, f"open('/dev/shm/{name}', 'w').write('x'); open('/tmp/{name}', 'w').write('x')")
    assert not os.path.exists(f"/dev/shm/{name}") and not os.path.exists(f"/tmp/{name}")
    out = run(tmp_path, f"import os; print(os.path.exists('/dev/shm/{name}'), os.path.exists('/tmp/{name}'))")
    assert out.stdout.split() == ["False", "False"]


def test_a_daemon_that_keeps_the_pipe_open_neither_survives_nor_stalls_grading(tmp_path):
    marker = f"week08-daemon-{uuid.uuid4().hex}"
    out = run(tmp_path, f"""
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:  # the daemon keeps stdout and stderr, the pipes the grader reads
                import sys
                sys.argv[0] = '{marker}'
                time.sleep(300)
            os._exit(0)
        print('parent done')
    """, marker, timeout=30)  # without a process namespace this waits for the daemon: TimeoutExpired
    assert out.stdout.strip() == "parent done"
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert marker not in ps


def test_only_the_scratch_folder_is_writable_and_hidden_paths_do_not_exist(tmp_path):
    secret = tmp_path / "solutions"
    secret.mkdir()
    (secret / "answer.txt").write_text("42")
    key = tmp_path / "gradebook.db"
    key.write_text("grades")
    out = run(tmp_path, f"""
        import os
        print(os.listdir({str(secret)!r}), open({str(key)!r}).read() == '')
        for target in [{str(tmp_path / 'outside.txt')!r}, '/etc/week08', {sys.prefix!r} + '/week08']:
            try:
                open(target, 'w')
                print('wrote', target)
            except OSError:
                pass
        open('mine.txt', 'w').write('ok')
    """, hidden=[secret, key])
    assert out.stdout.split("\n")[0] == "[] True", out
    assert "wrote /etc" not in out.stdout and f"wrote {sys.prefix}" not in out.stdout
    assert not (tmp_path / "outside.txt").exists()  # /tmp inside is the sandbox's own
    assert (tmp_path / "scratch" / "mine.txt").read_text() == "ok"


def test_there_is_no_network(tmp_path):
    out = run(tmp_path, """
        import socket
        try:
            socket.create_connection(('1.1.1.1', 80), timeout=5)
            print('connected')
        except OSError as error:
            print('refused', error.errno)
    """)
    assert out.stdout.startswith("refused"), out


def test_the_grader_dying_takes_the_sandbox_with_it(tmp_path):
    marker = f"week08-orphan-{uuid.uuid4().hex}"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    launcher = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from autograde import sandbox
        jail = sandbox.Jail(writable=Path({str(scratch)!r}))
        sandbox.popen([sys.executable, '-c', 'import time, sys; time.sleep(300)', {marker!r}],
                      name='test-orphan', jail=jail)
        time.sleep(2)
        import os
        os._exit(0)  # the grader dies without cleaning up
    """)
    subprocess.run([sys.executable, "-c", launcher], check=True, timeout=60)
    for _ in range(50):
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        if marker not in ps:
            break
        signal.sigtimedwait([], 0.1) if hasattr(signal, "sigtimedwait") else None
    assert marker not in ps


def test_a_folder_the_grader_shares_is_readable_at_its_own_path_and_not_writable(tmp_path):
    # nb04's hidden case passes folders made by the grader (in and outside a git repository,
    # under the host's /tmp) to environment_record: the sandbox's private /tmp must still show them.
    import tempfile
    shared = tempfile.mkdtemp(prefix="week08-test-shared-")
    decoy = tempfile.mkdtemp(prefix="week08-test-not-shared-")
    try:
        with open(os.path.join(shared, "given.txt"), "w") as f:
            f.write("from the grader")
        scratch = tmp_path / "scratch"
        scratch.mkdir()
        jail = sandbox.Jail(writable=scratch, visible=[shared])
        code = textwrap.dedent(f"""
            import os
            print(open({shared!r} + '/given.txt').read())
            try:
                open({shared!r} + '/planted.txt', 'w')
                print('wrote')
            except OSError:
                print('read-only')
            print(sorted(p for p in os.listdir('/tmp')))
        """)
        out = sandbox.run([sys.executable, "-c", code], name=f"test-{uuid.uuid4().hex[:8]}", jail=jail,
                          timeout=60, cwd=scratch)
        lines = out.stdout.splitlines()
        assert lines[:2] == ["from the grader", "read-only"], out
        listing = eval(lines[2])  # noqa: S307 - our own print of a list of names
        assert os.path.basename(shared) in listing and os.path.basename(decoy) not in listing  # not the host's /tmp
        assert not os.path.exists(os.path.join(shared, "planted.txt"))
    finally:
        import shutil
        shutil.rmtree(shared, ignore_errors=True)
        shutil.rmtree(decoy, ignore_errors=True)
