"""``finloom documents``: generate fictional documents; read and check scanned ones (OCR)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from finloom.cli._common import handle_errors
from finloom.cli._jobs import Wait, import_input, job_folder, job_workbench, publish_dir, run_job

app = typer.Typer(
    help="Documents: generate fictional payslips, statements, bills, letters and ID cards; "
    "read and check scans (Tesseract OCR).",
    no_args_is_help=True,
)
_out = Console()
_LANG = "Language of the documents: en or zh."


@app.command()
@handle_errors
def generate(
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Directory for the images, truth JSON and manifest.json."),
    ],
    n: Annotated[int, typer.Option("--n", help="Number of documents.")] = 10,
    lang: Annotated[str, typer.Option(help=_LANG)] = "en",
    doc_type: Annotated[
        list[str] | None, typer.Option("--type", help="Document type (repeat); default all five.")
    ] = None,
    noise: Annotated[str, typer.Option(help="none, light, medium (default) or heavy.")] = "medium",
    fraud_rate: Annotated[
        float, typer.Option(help="Share of documents with a planted fraud variant.")
    ] = 0.0,
    dpi: Annotated[int, typer.Option(help="Resolution, 150-300.")] = 200,
    fmt: Annotated[str, typer.Option("--format", help="png or pdf.")] = "png",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    wait: Wait = True,
) -> None:
    """Generate N fictional documents with their ground truth (a 'documents.generate' job)."""
    wb = job_workbench()
    params = {
        "n": n,
        "lang": lang,
        "noise": noise,
        "fraud_rate": fraud_rate,
        "dpi": dpi,
        "format": fmt,
        "seed": seed,
        **({"doc_types": doc_type} if doc_type else {}),
    }
    job = run_job(wb, "documents.generate", params, wait=wait)
    if job is None:
        return
    publish_dir(job_folder(wb, job), out)
    info = job.result or {}
    _out.print(
        f"wrote {info.get('documents')} documents ({info.get('frauds')} with a fraud variant) to {out}"
    )


def _run_check(files: list[Path], out: Path, params: dict[str, object], wait: bool) -> None:
    wb = job_workbench()
    params = {**params, "files": [import_input(wb, f, "FILE") for f in files]}
    job = run_job(wb, "documents.check", params, wait=wait)
    if job is None:
        return
    publish_dir(job_folder(wb, job), out)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    table = Table("file", "page", "type", "fields read", "findings")
    for page in results["pages"]:
        fields = page.get("fields", {})
        read = sum(f["value"] is not None for f in fields.values())
        findings = ", ".join(f"{f['check']}" for f in page["findings"]) or page.get("error", "-")
        table.add_row(
            page["file"],
            str(page["page"] or "-"),
            str(page.get("doc_type")),
            f"{read}/{len(fields)}",
            findings,
        )
    _out.print(table)
    _out.print(f"results and annotated pages in {out}")


@app.command()
@handle_errors
def extract(
    files: Annotated[list[Path], typer.Argument(help="Images (PNG, JPEG, TIFF) or PDFs.")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Directory for results.json and the annotated pages."),
    ],
    lang: Annotated[str, typer.Option(help=_LANG)] = "en",
    doc_type: Annotated[
        str | None, typer.Option("--type", help="Document type; default: from the title.")
    ] = None,
    wait: Wait = True,
) -> None:
    """OCR FILES and extract their fields (name, dates, amounts, ...) with confidences and boxes."""
    _run_check(files, out, {"lang": lang, "doc_type": doc_type}, wait)


@app.command()
@handle_errors
def check(
    files: Annotated[list[Path], typer.Argument(help="Images (PNG, JPEG, TIFF) or PDFs.")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Directory for results.json and the annotated pages."),
    ],
    lang: Annotated[str, typer.Option(help=_LANG)] = "en",
    name: Annotated[str | None, typer.Option(help="Declared name.")] = None,
    income: Annotated[float | None, typer.Option(help="Declared monthly income.")] = None,
    id_number: Annotated[str | None, typer.Option(help="Declared ID number.")] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Application date YYYY-MM-DD (default today).")
    ] = None,
    max_age_days: Annotated[int, typer.Option(help="Documents older than this are stale.")] = 90,
    doc_type: Annotated[
        str | None, typer.Option("--type", help="Document type; default: from the title.")
    ] = None,
    wait: Wait = True,
) -> None:
    """OCR FILES, extract their fields and check them against the declared data (findings + evidence)."""
    declared = {"name": name, "monthly_income": income, "id_number": id_number, "as_of": as_of}
    _run_check(
        files,
        out,
        {
            "lang": lang,
            "doc_type": doc_type,
            "max_age_days": max_age_days,
            "declared": {k: v for k, v in declared.items() if v is not None},
        },
        wait,
    )
