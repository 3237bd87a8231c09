"""The CLI's one error style: every command runs inside the ``handle_errors`` boundary."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from finloom.cli._common import handle_errors
from finloom.cli.main import app
from finloom.errors import ConfigError


def _commands(group: typer.Typer, prefix: str = "finloom") -> list[tuple[str, object]]:
    out = [(f"{prefix} {c.name or getattr(c.callback, '__name__', '?')}", c.callback) for c in group.registered_commands]
    if group.registered_callback is not None and group.registered_callback.callback is not None:
        out.append((f"{prefix} (callback)", group.registered_callback.callback))
    for sub in group.registered_groups:
        out += _commands(sub.typer_instance, f"{prefix} {sub.name}")
    return out


def test_every_command_goes_through_the_error_boundary():
    commands = _commands(app)
    assert len(commands) > 30
    unguarded = [name for name, fn in commands if not getattr(fn, "error_boundary", False)]
    assert unguarded == []


def test_the_boundary_prints_one_error_line_and_exits_1():
    demo = typer.Typer()

    @demo.command()
    @handle_errors
    def fail() -> None:
        raise ConfigError("x must be y; got z. Do w.")

    result = CliRunner().invoke(demo, [])
    assert result.exit_code == 1 and result.stderr == "error: x must be y; got z. Do w.\n"
