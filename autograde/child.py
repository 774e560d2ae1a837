"""The verifier's worker: runs the test cells of a submission's notebooks against its functions.

Started by :mod:`autograde.verify` inside the sandbox (no network, read-only
filesystem, the solutions and grading state hidden). It reads its instructions
from standard input **before** any student code is loaded:

    {"submissions": {notebook: path}, "reference": {notebook: definitions source},
     "cells": [[notebook, grade_id, source], ...], "start": index, "key": secret,
     "check_modules": [module, ...]}

then loads the reference functions (from the source it was sent, since the
solutions folder is hidden from it) and the hidden checks, takes a snapshot of
the grader's and the libraries' functions, loads only the *definitions* of the
submission (top-level experiments, monkeypatches and ``showtraceback`` overrides
never run), and runs the test cells from ``start`` on. After each cell it checks
that nothing in the snapshot was replaced; a submission that patched a check,
NumPy or scikit-learn fails that question and is reported as tampering. Each
verdict goes to standard output as one JSON line signed with ``key``
(an HMAC), so printed lines from student code cannot pass for verdicts.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import hmac
import io
import json
import os
import sys
import types

#: Modules whose attributes must not change while a submission is checked.
GUARDED_PREFIXES = ("helpers", "autograde", "numpy", "sklearn", "pandas", "scipy", "optuna", "trackio",
                    "builtins", "math", "random")


def snapshot() -> dict[tuple[str, str], int]:
    """Identity of every function and class of the guarded modules.

    Only callables are guarded: libraries fill in caches and flags lazily (from
    None to a value), which is not tampering; replacing a function or class is.
    """
    seen = {}
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(GUARDED_PREFIXES):
            continue
        try:
            items = list(vars(module).items())
        except TypeError:
            continue
        for attr, value in items:
            if not attr.startswith("__") and callable(value) and not isinstance(value, types.ModuleType):
                seen[(name, attr)] = id(value)
    return seen


def changed(before: dict[tuple[str, str], int]) -> list[str]:
    """Attributes of guarded modules replaced since ``before`` was taken."""
    out = []
    for (name, attr), ident in before.items():
        module = sys.modules.get(name)
        if module is None:
            continue
        value = vars(module).get(attr, None)
        if value is None and attr not in vars(module):
            out.append(f"{name}.{attr} (deleted)")
        elif id(value) != ident:
            out.append(f"{name}.{attr}")
    return out


def _sign(key: bytes, record: dict) -> str:
    body = json.dumps(record, sort_keys=True)
    return json.dumps({"record": record, "mac": hmac.new(key, body.encode(), hashlib.sha256).hexdigest()})


def _fail_all(channel, key: bytes, cells: list, message: str, tampered: bool) -> None:
    """Send a failed verdict for each of ``cells``; all but the last say more are coming."""
    for i, (notebook, grade_id, _) in enumerate(cells):
        record = {"notebook": notebook, "grade_id": grade_id, "passed": False, "message": message,
                  "tampered": tampered, "more": i < len(cells) - 1}
        channel.write(_sign(key, record) + "\n")


def main() -> int:
    order = json.loads(sys.stdin.readline())
    key = order.pop("key").encode()
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever student code prints goes to stderr, not to the verdict channel
    sys.stdout = sys.stderr

    from autograde import reference
    from helpers.notebook_code import load_definitions, load_source

    for notebook, source in order["reference"].items():
        reference.provide(notebook, load_source(source, f"reference_{notebook}"))
    for check_module in order.get("check_modules", []):
        __import__(check_module)
    guarded = snapshot()
    cells = order["cells"][order["start"]:]
    loaded: dict[str, types.ModuleType | None] = {}  # None: the notebook's functions could not be loaded
    for index, (notebook, grade_id, source) in enumerate(cells):
        if notebook not in loaded:
            rest = [cell for cell in cells[index:] if cell[0] == notebook]
            try:
                loaded[notebook] = load_definitions(order["submissions"][notebook], f"submission_{notebook}")
                problem = ""
            except BaseException as error:  # noqa: BLE001
                if isinstance(error, KeyboardInterrupt):
                    raise
                loaded[notebook] = None
                problem = f"could not load the notebook's functions: {type(error).__name__}: {error}"
            tampered = changed(guarded)
            if tampered:
                _fail_all(channel, key, rest, f"loading the notebook replaced {', '.join(tampered[:3])}", True)
                break  # this process can no longer be trusted: the verifier starts a fresh one
            if problem:
                _fail_all(channel, key, rest, problem, False)
        module = loaded[notebook]
        if module is None:
            continue  # its failed verdicts were sent when loading failed
        namespace = dict(vars(module))
        passed, message = True, ""
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, f"<{grade_id}>", "exec"), namespace)  # noqa: S102
        except BaseException as error:  # noqa: BLE001 - SystemExit from student code too
            if isinstance(error, KeyboardInterrupt):
                raise
            text = str(error).strip().splitlines()
            passed, message = False, f"{type(error).__name__}: {text[0] if text else ''}"
        tampered = changed(guarded)
        if tampered:
            passed, message = False, f"tampering: the submission replaced {', '.join(tampered[:3])}"
        record = {"notebook": notebook, "grade_id": grade_id, "passed": passed, "message": message,
                  "tampered": bool(tampered)}
        channel.write(_sign(key, record) + "\n")
        if tampered:
            break  # this process can no longer be trusted: the verifier starts a fresh one
    channel.flush()
    builtins.print("done", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
