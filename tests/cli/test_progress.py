"""progress_reporter: a Rich bar on a terminal, plain progress lines in logs."""

from __future__ import annotations

import io
import re

from rich.console import Console
from typer.testing import CliRunner

from finloom.cli._common import run_with_progress
from finloom.cli._progress import progress_reporter


def test_progress_reporter_writes_lines_when_not_a_terminal():
    out = Console(file=io.StringIO(), width=40)  # narrow: lines must not wrap
    with progress_reporter("fitting GANSynthesizer", console=out, interval=3600) as progress:
        progress(0.0, "start")
        progress(0.5, "epoch 150/300 loss 1.2345 (generator) and a long message")
        progress(0.75, "epoch 225/300")
    lines = out.file.getvalue().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"\d\d:\d\d:\d\d fitting GANSynthesizer:   0% start \(elapsed 0s\)", lines[0])
    assert re.fullmatch(r"\d\d:\d\d:\d\d fitting GANSynthesizer:  75% epoch 225/300 \(elapsed \d+s, ETA \d+s\)",
                        lines[1])  # the last state is written when the work ends


def test_progress_reporter_draws_a_bar_on_a_terminal():
    out = Console(file=io.StringIO(), force_terminal=True, width=100)
    with progress_reporter("training", console=out) as progress:
        progress(0.5, "epoch 1/2")
    text = out.file.getvalue()
    assert "\x1b[" in text and "(elapsed" not in text  # a Rich live display, not plain lines


def test_run_with_progress_prints_lines_in_a_non_tty_cli_run():
    import typer

    app = typer.Typer()

    @app.command()
    def work() -> None:
        def job(progress):
            for i in range(3):
                progress((i + 1) / 3, f"epoch {i + 1}/3")
            return 3

        typer.echo(str(run_with_progress("counting", job)))

    res = CliRunner().invoke(app, [])
    assert res.exit_code == 0 and res.stdout == "3\n"
    lines = res.stderr.splitlines()
    assert len(lines) == 2 and "counting:  33% epoch 1/3 (elapsed" in lines[0]  # 67% comes within 5 s
    assert lines[1].endswith("counting: 100% epoch 3/3 (elapsed 0s)")
