"""What crosses the Dask wire (autograde.cluster): typed records, checked on arrival; refusals in plain words."""

from __future__ import annotations

import multiprocessing

import pytest

from autograde import cluster
from autograde.cluster import GradingReply, GradingRequest, lost, receive, worker_problem
from autograde.grade import Paths, grading_key
from autograde.settings import Settings
from autograde.submissions import Submission


def _request(**changes) -> GradingRequest:
    values = dict(student="ann", key="k", root="/nowhere", settings={}, staged=["01_tiny"],
                  files={"01_tiny.ipynb": b"{}", "timestamp.txt": b"2026-12-01"}, template_db=b"db")
    return GradingRequest(**{**values, **changes})


def test_a_request_round_trips_through_plain_data():
    request = _request(problems={"02_x": "missing"}, notes=["renamed"])
    assert GradingRequest.from_wire(request.to_wire()) == request


def test_a_request_carrying_a_file_that_was_not_staged_is_refused():
    with pytest.raises(ValueError, match="unexpected file"):
        GradingRequest.from_wire(_request(files={"../../etc/cron.d/x": b"*"}).to_wire())


def test_a_request_with_text_where_bytes_belong_is_refused():
    with pytest.raises(ValueError, match="expected bytes"):
        GradingRequest.from_wire(_request(files={"01_tiny.ipynb": "{}"}).to_wire())


def test_a_reply_round_trips_and_rejects_wrong_types():
    reply = GradingReply({"student": "ann", "content_hash": "x"}, {"01_tiny.ipynb": b"{}"}, "log", "host:1")
    assert GradingReply.from_wire(reply.to_wire()) == reply
    with pytest.raises(ValueError):
        GradingReply.from_wire({**reply.to_wire(), "notebooks": {"01_tiny.ipynb": 3}})


def test_receive_keeps_only_the_staged_notebooks_and_recomputes_the_content_hash(tmp_path):
    folder = tmp_path / "submitted" / "ann" / "week08"
    folder.mkdir(parents=True)
    (folder / "01_tiny.ipynb").write_text("{}")
    sub = Submission("ann", folder, staged=["01_tiny"])
    reply = GradingReply({"student": "ann", "content_hash": "forged", "scores": {"01_tiny": 1.0}},
                         {"01_tiny.ipynb": b"{}", "evil.ipynb": b"{}", "02_big.ipynb": b"x"}, "the log", "w:1")
    paths = Paths(tmp_path)
    result = receive(reply, sub, paths, Settings())
    assert result.content_hash == sub.content_hash() and result.scores == {"01_tiny": 1.0}
    assert sorted(p.name for p in paths.collected("ann").iterdir()) == ["01_tiny.ipynb"]
    assert "the log" in (paths.work / "logs" / "ann.stderr").read_text()


def test_receive_refuses_a_reply_for_another_student(tmp_path):
    with pytest.raises(ValueError, match="came back for"):
        receive(GradingReply({"student": "ben"}, {}), Submission("ann", tmp_path), Paths(tmp_path), Settings())


def test_a_worker_without_a_sandbox_refuses(monkeypatch):
    monkeypatch.setattr(cluster.sandbox, "engine", lambda: "none")
    why = worker_problem(grading_key(cluster.COURSE_ROOT), str(cluster.COURSE_ROOT))
    assert why and "no bubblewrap sandbox on this worker" in why


def test_a_worker_with_weaker_isolation_than_asked_refuses_and_one_with_it_grades(monkeypatch):
    key, root = grading_key(cluster.COURSE_ROOT), str(cluster.COURSE_ROOT)
    monkeypatch.setattr(cluster.sandbox, "engine", lambda: "unshare")
    assert "sandbox" in worker_problem(key, root, "bwrap")
    assert worker_problem(key, root, "unshare") is None
    monkeypatch.setattr(cluster.sandbox, "engine", lambda: "bwrap")
    assert worker_problem(key, root, "bwrap") is None


def test_a_worker_with_other_course_files_refuses(monkeypatch):
    monkeypatch.setattr(cluster.sandbox, "engine", lambda: "bwrap")
    why = worker_problem("0123456789abcdef", str(cluster.COURSE_ROOT))
    assert why and "not the driver's version" in why


def test_a_daemon_worker_process_refuses(monkeypatch):
    monkeypatch.setattr(cluster.sandbox, "engine", lambda: "bwrap")
    monkeypatch.setattr(multiprocessing.current_process(), "_config", {"daemon": True})
    why = worker_problem(grading_key(cluster.COURSE_ROOT), str(cluster.COURSE_ROOT))
    assert why and "DASK_DISTRIBUTED__WORKER__DAEMON=False" in why


def test_a_student_lost_on_the_cluster_is_an_error_row_graded_again_next_run(tmp_path):
    class KilledWorker(Exception):  # distributed.scheduler.KilledWorker, by name
        pass

    result = lost(Submission("ann", tmp_path), KilledWorker("week08-grade-ann", "w"))
    assert result.status == "error" and result.content_hash == "error"
    assert "died several times" in result.messages[0]
