"""Shared CLI plumbing: the error boundary, the workbench and Rich output."""

from __future__ import annotations

import functools
import getpass
import json
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click
import typer
from rich.console import Console

from finloom.errors import FinloomError

if TYPE_CHECKING:
    from finloom.workbench import Workbench

__all__ = ["console", "err_console", "handle_errors", "local_actor", "open_workbench", "print_json", "run_with_progress"]

P = ParamSpec("P")
R = TypeVar("R")
console = Console()
err_console = Console(stderr=True)
_log = logging.getLogger("finloom.cli")
# Typer's own exits and usage errors pass through the boundary untouched
_CLICK_EXCEPTIONS = (typer.Exit, typer.Abort, click.exceptions.Exit, click.exceptions.Abort, click.ClickException)


def _print_error(message: str) -> None:
    err_console.print(f"[red]error:[/red] {message}", markup=True, highlight=False, soft_wrap=True)


def _unexpected(exc: Exception) -> str:
    first = " ".join(str(exc).split())[:200]
    return (
        f"the command must finish without an internal error; got {type(exc).__name__}"
        f"{': ' + first if first else ''}. This is a bug in finloom: please report it with the command."
    )


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """The command boundary: ``error: ...`` on stderr and exit code 1, never a traceback.

    Library errors print their message; any other exception prints one line naming its type
    (the traceback goes to the ``finloom.cli`` logger at debug level).
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except FinloomError as exc:
            _print_error(exc.message)
            raise typer.Exit(1) from exc
        except _CLICK_EXCEPTIONS:
            raise
        except Exception as exc:
            _log.debug("unexpected error in %s", fn.__name__, exc_info=True)
            _print_error(_unexpected(exc))
            raise typer.Exit(1) from exc

    wrapper.error_boundary = True  # type: ignore[attr-defined]  # tests check every command has it
    return wrapper


def open_workbench(**overrides: Any) -> Workbench:
    """A migrated workbench for the current settings (jobs run in child processes)."""
    from finloom.config import Settings
    from finloom.workbench import Workbench

    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    return Workbench(settings).migrate()


def local_actor() -> str:
    """Who runs the command, for the audit log and ``created_by``: the operating-system user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        return "cli"


def json_or_text(key: str, text: str) -> Any:
    """A ``key=value`` option's value: JSON when it parses (3, 0.5, true, [1, 2]), else the text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def key_values(items: list[str], option: str, *, value: Callable[[str, str], Any] = json_or_text,
               example: str = "") -> dict[str, Any]:
    """Repeated ``key=value`` options as a dict; ``value`` reads each value (JSON or text by default).

    Examples
    --------
    >>> key_values(["steps=3", "name=abc"], "--param")
    {'steps': 3, 'name': 'abc'}
    """
    from finloom.errors import ConfigError

    out: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key:
            hint = f" Write e.g. {option} {example}." if example else ""
            raise ConfigError(f"{option} must look like key=value; got {item!r}.{hint}")
        out[key] = value(key, text)
    return out


def print_json(data: Any) -> None:
    """Print JSON (for ``--json`` output and piping)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def run_with_progress(task: str, work: Callable[[Callable[..., None]], R]) -> R:
    """Run ``work(progress)`` showing progress on stderr (keeps stdout for data): a bar on a
    terminal, periodic plain lines otherwise (:func:`finloom.cli._progress.progress_reporter`)."""
    from finloom.cli._progress import progress_reporter

    with progress_reporter(task) as progress:
        return work(progress)

