"""Every command's --help renders (flags without '<bool>'), and every command the README documents exists
and parses as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from finloom.cli.main import app

runner = CliRunner()
ROOT = get_command(app)
README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _paths(command, path=()):
    yield list(path)
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if not getattr(sub, "hidden", False):
            yield from _paths(sub, (*path, name))


ALL = list(_paths(ROOT))


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) or "finloom" for p in ALL])
def test_every_command_help_renders(path):
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "<bool>" not in result.output


def _readme_commands() -> list[list[str]]:
    """The 'finloom ...' lines of the README's code blocks, with 'a|b|c' alternatives expanded."""
    lines = []
    for block in re.findall(r"```(?:bash)?\n(.*?)```", README, flags=re.S):
        lines += [line.split("  ")[0].strip() for line in block.splitlines() if line.startswith("finloom ")]
    commands = []
    for line in lines:
        words = shlex.split(line.replace("[", " ").replace("]", " "))[1:]
        path: list[str] = []
        for word in words:
            if not re.fullmatch(r"[a-z][a-z0-9-]*(\|[a-z][a-z0-9-]*)*", word):
                break
            path.append(word)
            if "|" in word:
                break
        alternatives = path[-1].split("|") if path else [""]
        commands += [[*path[:-1], alt] for alt in alternatives if alt]
    return commands


DOCUMENTED = _readme_commands()


def test_the_readme_documents_commands():
    assert ["serve"] in DOCUMENTED and ["market", "report"] in DOCUMENTED and ["nlp", "predict"] in DOCUMENTED


@pytest.mark.parametrize("path", DOCUMENTED, ids=[" ".join(p) for p in DOCUMENTED])
def test_every_documented_command_exists(path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, f"README documents 'finloom {' '.join(path)}': {result.output}"


EXAMPLES = [line for line in re.findall(r"^(finloom [^\n#]*?)(?:\s{2,}.*)?$", README, flags=re.M)
            if not re.search(r"[A-Z]{2,}|\||\[", line)]


def _resolve(words):
    command, args = ROOT, list(words)
    while hasattr(command, "commands") and args and args[0] in command.commands:
        command, args = command.commands[args[0]], args[1:]
    return command, args


@pytest.mark.parametrize("line", [e for e in EXAMPLES if _resolve(shlex.split(e)[1:])[1]])
def test_every_documented_example_parses(line):
    command, args = _resolve(shlex.split(line)[1:])
    command.make_context(line.split()[0], args, resilient_parsing=False)  # raises on an unknown option


def test_market_subcommands_take_the_series_the_same_way():
    for path in (["market", "fit"], ["market", "report"], ["market", "lab", "run"]):
        out = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120"}).output
        assert re.search(r"^\s+data <str>", out, flags=re.M), path  # a positional DATA everywhere
    assert "lab" not in runner.invoke(app, ["--help"]).output.split("Commands:")[1].split()  # one way: market lab
