"""Progress as plain text lines, for logs and for output that is not a terminal."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ProgressLines", "format_duration"]

_EPOCH = re.compile(r"\bepoch (\d+)", re.IGNORECASE)


def format_duration(seconds: float) -> str:
    """``42s``, ``3m05s`` or ``2h01m``.

    Examples
    --------
    >>> format_duration(42.4), format_duration(185), format_duration(7260)
    ('42s', '3m05s', '2h01m')
    """
    s = int(round(max(seconds, 0.0)))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


@dataclass(frozen=True)
class _Update:
    when: float
    fraction: float
    message: str


class ProgressLines:
    """A progress callback ``(fraction, message)`` that writes plain lines through ``write``.

    It writes the first update, then at most one line every ``interval`` seconds, the last
    update of each epoch made of several updates (when the ``epoch N`` in the messages
    changes: training steps, then the validation score) and the end (``fraction`` >= 1). :meth:`flush` writes the last update if it was held back. A line reads
    ``<stamp> <title>: <percent>% <message> (elapsed <t>, ETA <t>)``.

    Parameters
    ----------
    title : what is running (omitted from the line when empty).
    write : receives each line, without a newline.
    interval : seconds between two lines at most (epoch ends and the end excepted).
    clock : monotonic seconds (tests pass a fake).
    stamp : the wall-clock prefix of each line.

    Examples
    --------
    >>> lines, now = [], iter([0.0, 1.0, 2.0, 3.0, 4.0])
    >>> progress = ProgressLines("training", lines.append, interval=10, clock=lambda: next(now),
    ...                          stamp=lambda: "12:00")
    >>> for f, m in [(0.25, "epoch 1/2 step 1/2"), (0.5, "epoch 1/2 step 2/2"), (0.75, "epoch 2/2 step 1/2"),
    ...              (1.0, "epoch 2/2 step 2/2")]:
    ...     progress(f, m)
    >>> print("\\n".join(lines))
    12:00 training:  25% epoch 1/2 step 1/2 (elapsed 1s, ETA 3s)
    12:00 training:  50% epoch 1/2 step 2/2 (elapsed 2s, ETA 2s)
    12:00 training: 100% epoch 2/2 step 2/2 (elapsed 4s)
    """

    def __init__(self, title: str, write: Callable[[str], None], *, interval: float = 5.0,
                 clock: Callable[[], float] = time.monotonic,
                 stamp: Callable[[], str] = lambda: time.strftime("%H:%M:%S")) -> None:
        self.title = title
        self.write = write
        self.interval = interval
        self.clock = clock
        self.stamp = stamp
        self._start = clock()
        self._last_written = -math.inf
        self._pending: _Update | None = None
        self._epoch: str | None = None
        self._in_epoch = 0  # updates seen in the current epoch

    def __call__(self, fraction: float, message: str = "") -> None:
        update = _Update(self.clock(), float(fraction), str(message))
        found = _EPOCH.search(update.message)
        epoch = found.group(1) if found else None
        if epoch != self._epoch:
            if self._pending is not None and self._epoch is not None and self._in_epoch > 1:
                self._emit(self._pending)  # the last update (often the validation score) of the epoch that ended
            self._epoch, self._in_epoch = epoch, 0
        self._in_epoch += 1
        if update.fraction >= 1.0 or update.when - self._last_written >= self.interval:
            self._emit(update)
        else:
            self._pending = update

    def flush(self) -> None:
        """Write the last update if it was held back (call it when the work ends)."""
        if self._pending is not None:
            self._emit(self._pending)

    def _emit(self, update: _Update) -> None:
        self._pending = None
        self._last_written = update.when
        self.write(self.format(update.fraction, update.message, update.when - self._start))

    def format(self, fraction: float, message: str, elapsed: float) -> str:
        """One line: stamp, title, percentage, message, elapsed time and the ETA."""
        fraction = min(max(fraction, 0.0), 1.0)
        timing = f"elapsed {format_duration(elapsed)}"
        if 0.0 < fraction < 1.0:
            timing += f", ETA {format_duration(elapsed * (1.0 - fraction) / fraction)}"
        title = f"{self.title}: " if self.title else ""
        text = f" {message}" if message else ""
        return f"{self.stamp()} {title}{fraction * 100:3.0f}%{text} ({timing})"
