"""Copying a sandbox's outputs back (autograde.trusted.collect): only the files expected, never through a link.

The scratch folder is the student's to write: every entry below it may be a planted
symbolic link, a FIFO or a huge file. The grader's own path to the scratch folder is
the only thing trusted.
"""

from __future__ import annotations

import os

from autograde.trusted.collect import collect

NB = "01_tiny.ipynb"


def scratch_with(tmp_path):
    scratch = tmp_path / "scratch"
    folder = scratch / "autograded" / "alice" / "week08"
    folder.mkdir(parents=True)
    secret = tmp_path / "solutions" / "week08"
    secret.mkdir(parents=True)
    (secret / NB).write_text('{"the": "reference solution"}')
    return scratch, folder, secret


def test_an_expected_regular_file_is_copied(tmp_path):
    scratch, folder, _ = scratch_with(tmp_path)
    (folder / NB).write_text('{"cells": []}')
    out = collect(scratch, folder, [NB], tmp_path / "out", 2**20)
    assert out.files == [NB] and not out.refused
    assert (tmp_path / "out" / NB).read_text() == '{"cells": []}'


def test_a_notebook_that_is_a_symlink_to_a_secret_is_refused(tmp_path):
    scratch, folder, secret = scratch_with(tmp_path)
    (folder / NB).symlink_to(secret / NB)
    out = collect(scratch, folder, [NB], tmp_path / "out", 2**20)
    assert out.refused == {NB: "a symbolic link"} and not (tmp_path / "out" / NB).exists()


def test_a_dangling_symlink_is_refused(tmp_path):
    scratch, folder, _ = scratch_with(tmp_path)
    (folder / NB).symlink_to(tmp_path / "nowhere")
    out = collect(scratch, folder, [NB], tmp_path / "out", 2**20)
    assert out.refused == {NB: "a symbolic link"} and not (tmp_path / "out").exists()


def test_a_symlinked_folder_above_the_notebook_is_refused(tmp_path):
    # The student replaces its autograded folder by a link to the solutions: the notebook's
    # own name is a regular file there, so O_NOFOLLOW on the last component is not enough.
    scratch, folder, secret = scratch_with(tmp_path)
    folder.rmdir()
    folder.symlink_to(secret)
    out = collect(scratch, folder, [NB], tmp_path / "out", 2**20)
    assert NB in out.refused and "link" in out.refused[NB]
    assert not (tmp_path / "out" / NB).exists()


def test_a_symlinked_folder_higher_up_is_refused(tmp_path):
    scratch, folder, _ = scratch_with(tmp_path)
    elsewhere = tmp_path / "classmate" / "alice" / "week08"
    elsewhere.mkdir(parents=True)
    (elsewhere / NB).write_text('{"a classmate": "notebook"}')
    (folder / NB).write_text("{}")
    os.rename(scratch / "autograded", tmp_path / "moved")
    (scratch / "autograded").symlink_to(tmp_path / "classmate")
    out = collect(scratch, folder, [NB], tmp_path / "out", 2**20)
    assert NB in out.refused and not (tmp_path / "out" / NB).exists()


def test_a_fifo_does_not_block_and_is_refused(tmp_path):
    scratch, folder, _ = scratch_with(tmp_path)
    os.mkfifo(folder / NB)
    out = collect(scratch, folder, [NB], tmp_path / "out", 2**20)
    assert out.refused == {NB: "not a regular file"}


def test_a_file_over_the_cap_is_refused(tmp_path):
    scratch, folder, _ = scratch_with(tmp_path)
    (folder / NB).write_bytes(b"x" * (2**20 + 1))
    out = collect(scratch, folder, [NB], tmp_path / "out", 2**20)
    assert out.refused == {NB: "larger than 1 MB"}


def test_unexpected_files_are_ignored_and_a_missing_notebook_is_not_an_error(tmp_path):
    scratch, folder, _ = scratch_with(tmp_path)
    (folder / "evil.html").write_text("<script>alert(1)</script>")
    (folder / "link.html").symlink_to("/etc/passwd")
    out = collect(scratch, folder, [NB], tmp_path / "out", 2**20)
    assert out.files == [] and out.refused == {}
    assert not (tmp_path / "out").exists()
