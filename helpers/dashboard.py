"""``make dashboard``: trackio's dashboard of the course's project, on this machine only.

The lecture runs ``trackio show --project ...``. In a plain terminal that command
reads trackio's default folder (the home cache), not the course's ``.trackio/``
where notebook 04 logs; this module sets ``TRACKIO_DIR`` first (see
:mod:`helpers.tracking`) and then serves the same dashboard::

    python -m helpers.dashboard                      # project cs203-week08-lab, port 7860 or the next free one
    python -m helpers.dashboard --project P --port 7861

It listens on 127.0.0.1 only and runs until Ctrl+C (or until its process is
stopped). It never opens a browser itself: open the printed address.
"""

from __future__ import annotations

import argparse
import sys

from helpers import tracking


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options: ``--project`` and ``--port``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.dashboard", description=__doc__.split("\n")[0])
    parser.add_argument("--project", default=tracking.PROJECT,
                        help=f"trackio project to show (default: {tracking.PROJECT})")
    parser.add_argument("--port", type=int, default=None,
                        help="port on 127.0.0.1 (default: 7860, or the next free one)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve the dashboard until interrupted; return the exit status."""
    args = parse_args(argv)
    trackio = tracking.import_trackio()
    folder = tracking.tracking_dir()
    if not trackio.SQLiteStorage.get_project_db_path(args.project).exists():
        print(f"* No runs in project {args.project!r} under {folder} yet: run notebook 04 first. "
              "The dashboard starts anyway and shows them once they are logged.")
    print(f"* trackio data: {folder}")
    print("* Stop the dashboard with Ctrl+C.", flush=True)
    try:
        trackio.show(project=args.project, open_browser=False, block_thread=True, host="127.0.0.1",
                     server_port=args.port)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
