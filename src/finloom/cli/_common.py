"""Shared CLI plumbing: the error boundary, the workbench and Rich output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from finloom.errors import FinloomError

__all__ = ["console", "err_console", "fail", "handle_errors", "open_workbench", "print_json", "run_with_progress"]

P = ParamSpec("P")
R = TypeVar("R")
console = Console()
err_console = Console(stderr=True)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into ``error: ...`` on stderr and exit code 1 (the command boundary)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except FinloomError as exc:
            err_console.print(f"[red]error:[/red] {exc.message}", markup=True, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from exc

    return wrapper


def open_workbench(**overrides: Any) -> Any:
    """A migrated workbench for the current settings (jobs run in child processes)."""
    from finloom.config import Settings
    from finloom.workbench import Workbench

    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    return Workbench(settings).migrate()


def print_json(data: Any) -> None:
    """Print JSON (for ``--json`` output and piping)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def run_with_progress(task: str, work: Callable[[Callable[..., None]], R]) -> R:
    """Run ``work(progress)`` showing progress on stderr (keeps stdout for data): a bar on a
    terminal, periodic plain lines otherwise (:func:`finloom.cli._progress.progress_reporter`)."""
    from finloom.cli._progress import progress_reporter

    with progress_reporter(task) as progress:
        return work(progress)


def fail(err: FinloomError) -> typer.Exit:
    """Print ``error: …`` on stderr and return the exit to raise (for commands not using the decorator)."""
    err_console.print(f"error: {err}", markup=False, highlight=False)
    return typer.Exit(1)
