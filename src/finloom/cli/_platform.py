"""Platform commands: database, datasets, jobs and API keys."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast, get_args

import typer
from rich.table import Table

from finloom.cli._common import (
    console,
    handle_errors,
    key_values,
    local_actor,
    open_workbench,
    print_json,
)
from finloom.cli._jobs import follow as _follow
from finloom.errors import ConfigError, did_you_mean
from finloom.jobs import JobStatus

if TYPE_CHECKING:
    from finloom.jobs import JobSummary

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
datasets_app = typer.Typer(help="Register and inspect datasets.", no_args_is_help=True)
jobs_app = typer.Typer(help="Submit, list, inspect, follow and cancel jobs.", no_args_is_help=True)
keys_app = typer.Typer(help="Create and revoke API keys.", no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
_JOB_STATUSES: tuple[str, ...] = get_args(JobStatus)


@db_app.command("upgrade")
@handle_errors
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    from finloom.store import current_revision

    wb = open_workbench()
    console.print(f"database at revision [bold]{current_revision(wb.engine)}[/bold] ({wb.settings.resolved_database_url().split('://')[0]})")


@datasets_app.command("add")
@handle_errors
def datasets_add(
    path: Annotated[Path, typer.Argument(help="CSV, TSV or Parquet file.")],
    name: Annotated[str, typer.Option("--name", "-n", help="Dataset name (default: file stem).")] = "",
    target: Annotated[str | None, typer.Option(help="Target column.")] = None,
    primary_key: Annotated[str | None, typer.Option(help="Primary key column.")] = None,
    description: Annotated[str, typer.Option(help="What the data is.")] = "",
    sep: Annotated[str | None, typer.Option(help="CSV delimiter (sniffed by default).")] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding (detected by default).")] = None,
    new_version: Annotated[bool, typer.Option("--new-version", help="Add a version to an existing dataset.")] = False,
) -> None:
    """Validate a table and register it in the workspace."""
    from finloom.services.datasets import add_dataset

    wb = open_workbench()
    options = {k: v for k, v in {"sep": sep, "encoding": encoding}.items() if v}
    with console.status(f"reading and validating {path.name}"):
        info = add_dataset(
            wb, local_actor(), name or path.stem, path, target=target, primary_key=primary_key,
            description=description, new_version=new_version, read_options=options,
        )
    console.print(f"registered [bold]{info.name}[/bold] v{info.version}: {info.n_rows} rows × {info.n_cols} columns")


@datasets_app.command("add-sql")
@handle_errors
def datasets_add_sql(
    name: Annotated[str, typer.Argument(help="Dataset name.")],
    query: Annotated[str, typer.Option("--query", "-q", help="SELECT statement to run.")],
    url: Annotated[str, typer.Option("--url", help="SQLAlchemy URL of the source database.")],
    target: Annotated[str | None, typer.Option(help="Target column.")] = None,
    description: Annotated[str, typer.Option(help="What the data is.")] = "",
) -> None:
    """Register the result of an SQL query as a dataset."""
    from finloom.data import read_sql
    from finloom.services.datasets import add_dataset

    wb = open_workbench()
    with console.status("running the query"):
        df = read_sql(query, url)
        info = add_dataset(wb, local_actor(), name, df, target=target, description=description,
                           source_label=f"sql:{query[:200]}")
    console.print(f"registered [bold]{info.name}[/bold] v{info.version}: {info.n_rows} rows × {info.n_cols} columns")


@datasets_app.command("list")
@handle_errors
def datasets_list(as_json: Json = False) -> None:
    """List datasets (newest version of each)."""
    items = [d.to_dict() for d in open_workbench().datasets.list()]
    if as_json:
        return print_json(items)
    table = Table("name", "version", "rows", "columns", "created")
    for d in items:
        table.add_row(d["name"], f"v{d['version']}", str(d["n_rows"]), str(d["n_cols"]), str(d["created_at"])[:19])
    console.print(table)


@datasets_app.command("show")
@handle_errors
def datasets_show(name: str, rows: Annotated[int, typer.Option(help="Preview rows.")] = 5, as_json: Json = False) -> None:
    """Show a dataset's columns and first rows."""
    wb = open_workbench()
    info = wb.datasets.get(name)
    preview = wb.datasets.preview(name, rows)
    if as_json:
        return print_json(info.to_dict())
    console.print(f"[bold]{info.name}[/bold] v{info.version} · {info.n_rows} rows · hash {info.content_hash[:12]}")
    table = Table("column", "kind", "dtype")
    for c in info.metadata.columns:
        role = " (target)" if c.name == info.metadata.target else " (key)" if c.name == info.metadata.primary_key else ""
        table.add_row(c.name + role, c.kind.value, c.dtype)
    console.print(table)
    console.print(preview.to_string(max_cols=12))


def _job_table(jobs: list[JobSummary]) -> Table:
    table = Table("id", "kind", "status", "progress", "created")
    for j in jobs:
        table.add_row(j.id[:8], j.kind, j.status, f"{j.progress * 100:.0f}%", (j.created_at or "")[:19])
    return table


@jobs_app.command("submit")
@handle_errors
def jobs_submit(
    kind: Annotated[str, typer.Argument(help="Job kind, e.g. demo.count, nlp.train (see the API's GET /api/jobs/kinds).")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="A parameter as key=value (repeatable).")] = None,
) -> None:
    """Run a job with parameters checked like the API's (same model per kind) and follow it to the end."""
    from finloom.services.jobs import submit_job

    wb = open_workbench()
    job = _follow(wb, submit_job(wb, local_actor(), kind, key_values(param or [], "--param", example="steps=3")))
    print_json(job.to_dict())
    if job.status == "failed":
        raise typer.Exit(1)


@jobs_app.command("list")
@handle_errors
def jobs_list(
    status: Annotated[str | None, typer.Option(help=f"Only this status: {', '.join(_JOB_STATUSES)}.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many (newest first).")] = 50,
    as_json: Json = False,
) -> None:
    """List recent jobs."""
    if status is not None and status not in _JOB_STATUSES:
        raise ConfigError(
            f"--status must be one of {', '.join(_JOB_STATUSES)}; got {status!r}.{did_you_mean(status, _JOB_STATUSES)}"
        )
    jobs = open_workbench().jobs.list(status=cast(JobStatus | None, status), limit=limit)
    print_json([j.to_dict() for j in jobs]) if as_json else console.print(_job_table(jobs))


@jobs_app.command("show")
@handle_errors
def jobs_show(job_id: str, follow: Annotated[bool, typer.Option("--follow", "-f", help="Show a live progress bar until it ends.")] = False) -> None:
    """Show one job (an id prefix is enough); --follow shows live progress."""
    wb = open_workbench()
    job = wb.jobs.find(job_id)
    if follow:
        job = _follow(wb, job)
    print_json(job.to_dict())
    if job.status == "failed":
        raise typer.Exit(1)


@jobs_app.command("cancel")
@handle_errors
def jobs_cancel(job_id: str) -> None:
    """Cancel a queued or running job."""
    from finloom.services.jobs import cancel_job

    wb = open_workbench()
    job = cancel_job(wb, local_actor(), wb.jobs.find(job_id).id)
    console.print(f"job {job.id[:8]} is {job.status}")


@keys_app.command("create")
@handle_errors
def keys_create(
    user: Annotated[str, typer.Option(help="Who the key is for.")] = "admin",
    role: Annotated[str, typer.Option(help="viewer, analyst or admin.")] = "admin",
    label: Annotated[str, typer.Option(help="A note, e.g. the machine.")] = "",
    expires_in_days: Annotated[int | None, typer.Option(help="Expiry in days (none by default).")] = None,
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    from finloom.services import parse_input
    from finloom.services.keys import KeyCreate, create_key

    spec = parse_input(KeyCreate, {"user": user, "role": role, "label": label, "expires_in_days": expires_in_days})
    created = create_key(open_workbench(), local_actor(), spec)
    console.print(f"API key for [bold]{user}[/bold] ({role}), id {created.id}. It is shown only this once:")
    typer.echo(created.key)


@keys_app.command("list")
@handle_errors
def keys_list() -> None:
    """List keys (ids, users, roles; never secrets)."""
    from finloom.services.keys import list_keys

    table = Table("id", "user", "role", "label", "revoked")
    for k in list_keys(open_workbench()):
        table.add_row(k.id, k.user, k.role, k.label, "yes" if k.revoked else "")
    console.print(table)


@keys_app.command("revoke")
@handle_errors
def keys_revoke(key_id: str) -> None:
    """Revoke a key by id (not the bootstrap admin key while FINLOOM_BOOTSTRAP_ADMIN_KEY is set)."""
    from finloom.services.keys import revoke_key

    revoke_key(open_workbench(), local_actor(), key_id)
    console.print(f"revoked {key_id}")
