"""``finloom monitor ...``: fit the transaction scorer, ingest or replay events, work the case queue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from finloom.cli._common import console, handle_errors, local_actor, open_workbench, print_json

app = typer.Typer(
    help="Risk monitoring: transaction alerts, cases and narratives.", no_args_is_help=True
)
cases_app = typer.Typer(
    help="The case queue: list, show, assign, note, close, narrative.", no_args_is_help=True
)
app.add_typer(cases_app, name="cases")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _hub():  # type: ignore[no-untyped-def]
    from finloom.services.monitoring import MonitorHub

    return MonitorHub()


@app.command("fit")
@handle_errors
def fit(
    accounts: Annotated[int, typer.Option(help="Accounts per generated stream.")] = 600,
    days: Annotated[int, typer.Option(help="Days per stream.")] = 45,
    warmup_days: Annotated[int, typer.Option(help="Days that only build account state.")] = 14,
    seed: int = 0,
    as_json: JsonOpt = False,
) -> None:
    """Fit the scorer on generated demo streams (train + calibration) and make it this workspace's."""
    from finloom.services import monitoring as service

    out = service.fit_demo(
        _hub(),
        open_workbench(),
        local_actor(),
        service.FitIn(accounts=accounts, days=days, warmup_days=warmup_days, seed=seed),
    )
    if as_json:
        print_json(out.model_dump())
        return
    console.print(
        f"scorer fitted on {out.train_events:,} + {out.calibration_events:,} events → {out.path}"
    )


@app.command("replay")
@handle_errors
def replay(
    file: Annotated[Path, typer.Argument(help="JSON-lines or CSV events.")],
    speed: Annotated[float, typer.Option(help="Times real time; 0 = as fast as possible.")] = 0.0,
    batch: int = 500,
    as_json: JsonOpt = False,
) -> None:
    """Score the events of a file once each; alerts open cases."""
    from finloom.services import monitoring as service

    hub = _hub()
    out = service.replay_file(hub, open_workbench(), file, speed=speed, batch=batch)
    hub.flush()  # the alerts' notifications leave before the process ends
    if as_json:
        print_json(out.model_dump())
        return
    console.print(
        f"{out.accepted:,} scored, {out.duplicates:,} duplicates, rejected {out.rejected or 0}, "
        f"{out.alerts:,} alerts"
    )


@app.command("ingest")
@handle_errors
def ingest(event: Annotated[str, typer.Argument(help="One event as a JSON object.")]) -> None:
    """Score one event given as JSON."""
    from finloom.services import monitoring as service

    hub = _hub()
    print_json(service.ingest(hub, open_workbench(), [event]).model_dump())
    hub.flush()


@app.command("publish")
@handle_errors
def publish(
    file: Path, stream: str = "finloom:tx", shards: int = 1, url: str = "redis://127.0.0.1:6379/0"
) -> None:
    """Append a file's events to Redis shard streams (``<stream>:<shard>``)."""
    from finloom.services import monitoring as service

    n = service.publish_file(file, stream=stream, shards=shards, url=url)
    console.print(f"{n:,} events published to {stream}:0..{shards - 1}")


@app.command("consume")
@handle_errors
def consume(
    stream: str = "finloom:tx",
    name: str = "consumer-0",
    shards: Annotated[
        str, typer.Option(help="Comma-separated shard numbers this consumer owns.")
    ] = "0",
    batch: int = 500,
    idle_polls: int = 3,
    url: str = "redis://127.0.0.1:6379/0",
) -> None:
    """Consume shard streams through the consumer group until they stay empty."""
    from finloom.services import monitoring as service

    hub = _hub()
    stats = service.consume_redis(
        hub,
        open_workbench(),
        stream=stream,
        name=name,
        shards=[int(s) for s in shards.split(",")],
        batch=batch,
        idle_polls=idle_polls,
        url=url,
    )
    hub.flush()
    print_json(stats)


@app.command("status")
@handle_errors
def status() -> None:
    """Events seen, alerts, open cases, rejections by reason."""
    from finloom.services import monitoring as service

    print_json(service.status(_hub(), open_workbench()))


@cases_app.command("list")
@handle_errors
def list_cases(
    status: Annotated[str | None, typer.Option(help="open or closed")] = None,
    assignee: str | None = None,
    account: str | None = None,
    as_json: JsonOpt = False,
) -> None:
    """The queue, riskiest first."""
    from finloom.services import monitoring as service

    rows = service.cases(
        _hub(), open_workbench(), status=status, assignee=assignee, account_id=account
    )
    if as_json:
        print_json([r.model_dump() for r in rows])
        return
    table = Table(title=f"{len(rows)} case(s)")
    for col in ("case", "account", "status", "assignee", "disposition", "max risk"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r.case_id), r.account_id, r.status, r.assignee, r.disposition, f"{r.max_risk:.3f}"
        )
    console.print(table)


@cases_app.command("show")
@handle_errors
def show(case_id: int) -> None:
    """One case with its alerts and notes."""
    from finloom.services import monitoring as service

    print_json(service.case(_hub(), open_workbench(), case_id).model_dump())


@cases_app.command("update")
@handle_errors
def update(
    case_id: int,
    assignee: str | None = None,
    note: str | None = None,
    disposition: Annotated[
        str | None, typer.Option(help="fraud, not_fraud or escalated (closes)")
    ] = None,
) -> None:
    """Assign, add a note and/or close a case."""
    from finloom.errors import ConfigError
    from finloom.services import monitoring as service

    if disposition is not None and disposition not in service.DISPOSITIONS:
        raise ConfigError(
            f"--disposition must be one of {list(service.DISPOSITIONS)}; got {disposition!r}."
        )
    body = service.CaseUpdateIn.model_validate(
        {"assignee": assignee, "note": note, "disposition": disposition}
    )
    hub = _hub()
    print_json(
        service.update_case(hub, open_workbench(), local_actor(), case_id, body).model_dump()
    )
    hub.flush()


@cases_app.command("narrative")
@handle_errors
def narrative(case_id: int) -> None:
    """Draft the case's suspicious-activity narrative (checked by the faithfulness guard)."""
    from finloom.services import monitoring as service

    out = service.narrative(_hub(), open_workbench(), local_actor(), case_id)
    console.print(out.text)
    console.print(f"[dim]unsupported numbers: {out.unsupported_numbers}[/dim]")
