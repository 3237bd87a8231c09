"""The ``finloom`` command: one Typer sub-app per area, composed here."""

from __future__ import annotations

import importlib

import typer

import finloom
from finloom.cli._common import handle_errors
from finloom.cli._platform import datasets_app, db_app, jobs_app, keys_app
from finloom.cli._serve import serve

app = typer.Typer(
    name="finloom",
    help="finloom: offline generative-AI workbench for banks and fintechs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags read '--int8 / --no-int8', not '--int8 <bool>'
)


@app.callback()
@handle_errors
def _configure(ctx: typer.Context) -> None:
    """Every command logs warnings through finloom's PII-masking handler (``serve`` logs more) and
    writes CSV files with the configured formula guard (``FINLOOM_CSV_FORMULA_GUARD``)."""
    import logging

    from finloom._logging import configure_logging
    from finloom.config import Settings
    from finloom.data import formula_guard_setting

    configure_logging(logging.WARNING)
    ctx.with_resource(formula_guard_setting(Settings().csv_formula_guard))


app.command("serve")(serve)
app.add_typer(db_app, name="db")
app.add_typer(datasets_app, name="datasets")
app.add_typer(jobs_app, name="jobs")
app.add_typer(keys_app, name="keys")

# Engine and scenario command groups: (module, attribute, name, hidden). 'lab' is kept, hidden, for
# scripts written before it moved to 'market lab'.
_AREAS = (
    ("finloom.cli.synth", "app", "synth", False),
    ("finloom.cli.market", "app", "market", False),
    ("finloom.cli.market", "lab_app", "lab", True),
    ("finloom.cli.nlp", "app", "nlp", False),
    ("finloom.cli.report", "app", "report", False),
    ("finloom.cli.compliance", "app", "compliance", False),
    ("finloom.cli.guard", "app", "guard", False),
    ("finloom.cli.chat", "app", "chat", False),
    ("finloom.cli.credit", "app", "credit", False),
    ("finloom.cli.images", "app", "images", False),
    ("finloom.cli.advisor", "app", "advisor", False),
    ("finloom.cli.monitor", "app", "monitor", False),
    ("finloom.cli.documents", "app", "documents", False),
    ("finloom.cli.recommend", "app", "recommend", False),
    ("finloom.cli.marketing", "app", "marketing", False),
)
for module_name, attr, name, hidden in _AREAS:
    try:
        sub = getattr(importlib.import_module(module_name), attr)
    except ModuleNotFoundError as exc:  # that area is not built into this version
        if exc.name != module_name:
            raise
        continue
    app.add_typer(sub, name=name, hidden=hidden)

# Areas that are one command taking the dataset as its argument: (module, function, name).
_COMMANDS = (("finloom.cli.insights", "insights", "insights"),)
for module_name, attr, name in _COMMANDS:
    try:
        command = getattr(importlib.import_module(module_name), attr)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        continue
    app.command(name)(command)


@app.command("version")
@handle_errors
def version() -> None:
    """Print the finloom version."""
    typer.echo(finloom.__version__)


if __name__ == "__main__":  # pragma: no cover
    app()
