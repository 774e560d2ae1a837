"""nbgrader's Execute preprocessor, leaving a call server behind each notebook's kernel.

After the last cell of a notebook has run, the kernel is asked to fork a call
server (:func:`autograde.sandboxed.call_server.start`) that keeps the notebook's
state for the grader's checks; then the kernel shuts down as usual. The socket
is ``$WEEK08_CALLS_DIR/<notebook>.sock``. If the kernel is dead or refuses, no
server is left and every question of that notebook scores 0 with a message.
"""

from __future__ import annotations

import os
from pathlib import Path

from nbgrader.preprocessors import Execute


class ExecuteAndServe(Execute):
    """Execute every cell, then fork the call server from the kernel."""

    def preprocess(self, nb, resources=None, km=None):  # noqa: ANN001 - nbconvert's signature
        self._week08_name = Path(resources.get("unique_key", "notebook") if resources else "notebook").name
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):  # noqa: ANN001
        result = super().preprocess_cell(cell, resources, index)
        if index == len(self.nb.cells) - 1:
            self._serve()
        return result

    def _serve(self) -> None:
        folder = os.environ.get("WEEK08_CALLS_DIR")
        if not folder or self.kc is None:
            return
        path = os.path.join(folder, f"{self._week08_name}.sock")
        code = ("__import__('autograde.sandboxed.call_server', fromlist=['start'])"
                f".start(globals(), {path!r})")
        try:
            msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
            reply = self.wait_for_reply(msg_id)  # within the per-cell limit
            content = (reply or {}).get("content", {})
            if content.get("status") != "ok":
                self.log.warning("no call server for %s: %s: %s", self._week08_name, content.get("ename"),
                                 content.get("evalue"))
        except Exception as error:  # noqa: BLE001 - a dead kernel: no server, the grader says so
            self.log.warning("no call server for %s: %s", self._week08_name, error)
