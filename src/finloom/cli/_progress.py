"""The progress display of every long command: a bar on a terminal, plain lines anywhere else.

Rich bars draw nothing when stderr is not a terminal (a CI log, ``2> train.log``, ``nohup``),
so a two-hour run would leave no trace; there the same updates become periodic lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from finloom._base import ProgressCallback
from finloom._progress import ProgressLines

__all__ = ["INTERVAL", "progress_reporter"]

INTERVAL = 5.0  # seconds between two plain lines at most (epoch ends and the end excepted)


@contextmanager
def _bar(title: str, console: Console) -> Iterator[ProgressCallback]:
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(title, total=1.0)

        def update(fraction: float, message: str = "") -> None:
            bar.update(task, completed=fraction, description=f"{title}: {message}"[:80] if message else title)

        yield update


@contextmanager
def progress_reporter(
    title: str, *, console: Console | None = None, interval: float = INTERVAL
) -> Iterator[ProgressCallback]:
    """A ``progress(fraction, message)`` callback for ``title``, shown on stderr.

    On a terminal: a transient Rich bar. Otherwise plain lines
    (:class:`~finloom._progress.ProgressLines`): the first update, at most one every ``interval``
    seconds, the last update of each epoch, and the final state when the work ends.

    Examples
    --------
    >>> import io
    >>> out = Console(file=io.StringIO())  # not a terminal
    >>> with progress_reporter("training", console=out) as progress:
    ...     progress(0.5, "epoch 1/2 step 3/6 loss 0.41")
    >>> "training:  50% epoch 1/2 step 3/6 loss 0.41" in out.file.getvalue()
    True
    """
    if console is None:
        from finloom.cli._common import err_console

        console = err_console
    if console.is_terminal:
        with _bar(title, console) as update:
            yield update
        return
    target = console

    def write(line: str) -> None:
        target.print(line, markup=False, highlight=False, soft_wrap=True)

    lines = ProgressLines(title, write, interval=interval)
    yield lines
    lines.flush()
