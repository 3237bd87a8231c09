"""A job's log: its progress as plain lines in ``log.txt`` next to its outputs."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from finloom._base import ProgressCallback, noop_progress
from finloom._progress import ProgressLines

__all__ = ["LOG_NAME", "logged_progress"]

LOG_NAME = "log.txt"
INTERVAL = 5.0  # seconds between two progress lines at most (epoch ends and the end excepted)


def _appender(log_path: Callable[[], Path]) -> Callable[[str], None]:
    def write(line: str) -> None:
        # one short append per line (O_APPEND): a reader sees whole lines, a crash loses at most one
        with log_path().open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    return write


def logged_progress(
    progress: ProgressCallback, log_path: Callable[[], Path], *, interval: float = INTERVAL
) -> ProgressCallback:
    """``progress`` that also appends progress lines (:class:`~finloom._progress.ProgressLines`:
    at most one every ``interval`` s, each epoch's end, the end) to the file ``log_path()``.

    The path is asked for at the first line, so a job that reports nothing writes no log; a
    context without a progress callback (library use, doctests) gets none.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> log = pathlib.Path(tempfile.mkdtemp()) / LOG_NAME
    >>> seen = []
    >>> progress = logged_progress(lambda f, m="": seen.append(f), lambda: log)
    >>> progress(0.5, "epoch 1/2 step 3/6 loss 0.41")
    >>> seen, "50% epoch 1/2 step 3/6 loss 0.41" in log.read_text()
    ([0.5], True)
    """
    if progress is noop_progress:
        return progress
    lines = ProgressLines("", _appender(log_path), interval=interval,
                          stamp=lambda: time.strftime("%Y-%m-%d %H:%M:%S"))

    def both(fraction: float, message: str = "") -> None:
        lines(fraction, message)
        progress(fraction, message)

    return both
