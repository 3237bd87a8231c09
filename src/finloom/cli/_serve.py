"""``finloom serve``: run the API and web UI; ``--demo`` seeds a demo workspace first."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from finloom.cli._common import console, handle_errors

DEMO_KEY_FILE = "demo-admin-key.txt"


def _scenario_demos() -> dict[str, tuple[str, Any]]:
    """Demo tables the scenarios write themselves: labelled intents, tagged loan-agreement
    sentences (one row per token) and a trade blotter."""
    import pandas as pd

    from finloom.apps.compliance.demo import demo_blotter
    from finloom.apps.customer_service._demo_intents import demo_intents_table
    from finloom.nlp._demo import demo_ner_table

    def intents_zh() -> pd.DataFrame:
        return demo_intents_table("zh")

    return {
        "bank_intents": ("Labelled customer messages (English, 10 intents) for text classification", demo_intents_table),
        "bank_intents_zh": ("Labelled customer messages in Chinese (10 intents); train with a Chinese or multilingual "
                            "encoder (FINLOOM_ENCODER_PATH): the bundled MiniLM reads English only", intents_zh),
        "loan_clauses_ner": ("Loan-agreement sentences (EN + ZH), one row per token, ORG/PER/LOC tagged (BIO), for "
                             "training an entity tagger", demo_ner_table),
        "trade_blotter": ("A month of trades with planted rule breaches", demo_blotter),
    }


def seed_demo(wb: Any) -> str:
    """Register the demo tables (once) and make sure a demo admin key exists; returns the key."""
    from finloom.data.demo import DEMO_DATASETS
    from finloom.errors import MissingDependencyError, NotFoundError
    from finloom.store import create_api_key

    existing = {d.name for d in wb.datasets.list()}
    for demo in DEMO_DATASETS.values():
        if demo.name in existing:
            continue
        try:
            df = demo.load()
        except MissingDependencyError as exc:
            console.print(f"[yellow]skipping demo table {demo.name}:[/yellow] {exc.message}")
            continue
        with console.status(f"registering demo table {demo.name}"):
            wb.datasets.add(
                demo.name, df, metadata=demo.metadata(df), description=demo.title, source_label="finloom demo",
                licence=demo.source, created_by="demo",
            )
    for name, (title, load) in _scenario_demos().items():
        if name not in existing:
            df = load()
            wb.datasets.add(name, df, description=title, source_label="finloom demo", licence="written by finloom", created_by="demo")
    key_file = wb.workspace / DEMO_KEY_FILE
    key = key_file.read_text().strip() if key_file.exists() else ""
    if key:
        try:
            with wb.session() as session:
                from finloom.store import authenticate

                authenticate(session, key)
        except Exception:
            key = ""
    if not key:
        with wb.session() as session:
            key, _ = create_api_key(session, user="demo", role="admin", label="demo workspace")
        from finloom._io import atomic_write_text

        atomic_write_text(key_file, key + "\n")
        os.chmod(key_file, 0o600)
    (wb.workspace / ".demo").touch()
    _ = NotFoundError  # demo names are fixed; registry errors propagate as they are
    return key


@handle_errors
def serve(
    demo: Annotated[bool, typer.Option("--demo", help="Seed demo datasets and an admin key first.")] = False,
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    workspace: Annotated[Path | None, typer.Option(help="Workspace directory (FINLOOM_WORKSPACE).")] = None,
) -> None:
    """Run the finloom workbench (HTTP API + web UI)."""
    import uvicorn

    from finloom._logging import configure_logging
    from finloom.api import create_app
    from finloom.config import Settings
    from finloom.workbench import Workbench

    configure_logging()
    overrides = {k: v for k, v in {"host": host, "port": port, "workspace": workspace}.items() if v is not None}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    wb = Workbench(settings)
    if demo:
        wb.migrate()
        key = seed_demo(wb)
        console.rule("[bold]finloom demo workspace")
        console.print(f"workspace: {settings.workspace}")
        console.print(f"open http://{settings.host}:{settings.port}/ and sign in with this admin API key:")
        console.print(f"[bold green]{key}[/bold green]")
        console.print(f"(also saved in {settings.workspace / DEMO_KEY_FILE})")
    elif not (settings.workspace / "finloom.db").exists() and not settings.database_url:
        console.print("[yellow]new workspace: create a key with 'finloom keys create' to sign in[/yellow]")
    console.print("the assistant warms up in the background; its page says so until it is ready")
    app = create_app(settings, workbench=wb, warm_assistant=True)
    # log_config=None: uvicorn's loggers go through finloom's handler, so the PII filter sees them too
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", log_config=None)
