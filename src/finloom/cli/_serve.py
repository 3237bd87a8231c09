"""``finloom serve``: run the API and web UI; ``--demo`` seeds a demo workspace first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finloom.cli._common import console, handle_errors


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
    from finloom.config import Settings
    from finloom.server import create_app
    from finloom.services.demo import DEMO_KEY_FILE, seed_demo
    from finloom.workbench import Workbench

    configure_logging()
    overrides = {k: v for k, v in {"host": host, "port": port, "workspace": workspace}.items() if v is not None}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    wb = Workbench(settings)
    if demo:
        wb.migrate()
        seed = seed_demo(wb, on_table=lambda name: console.print(f"registering demo table {name}"))
        for name, why in seed.skipped.items():
            console.print(f"[yellow]skipping demo table {name}:[/yellow] {why}")
        console.rule("[bold]finloom demo workspace")
        console.print(f"workspace: {settings.workspace}")
        console.print(f"open http://{settings.host}:{settings.port}/ and sign in with this admin API key:")
        console.print(f"[bold green]{seed.key}[/bold green]")
        console.print(f"(also saved in {settings.workspace / DEMO_KEY_FILE})")
    elif not (settings.workspace / "finloom.db").exists() and not settings.database_url:
        console.print("[yellow]new workspace: create a key with 'finloom keys create' to sign in[/yellow]")
    console.print("the assistant warms up in the background; its page says so until it is ready")
    app = create_app(settings, workbench=wb, warm_assistant=True)
    # log_config=None: uvicorn's loggers go through finloom's handler, so the PII filter sees them too
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", log_config=None)
